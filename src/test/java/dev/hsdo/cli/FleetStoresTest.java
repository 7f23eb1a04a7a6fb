package dev.hsdo.cli;

import dev.hsdo.config.ConfigException;
import dev.hsdo.config.StoreConfig;
import org.junit.jupiter.api.Test;

import dev.hsdo.store.FleetStore;
import dev.hsdo.store.StoreException;
import dev.hsdo.testing.Ports;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FleetStoresTest {
    @Test
    void theFileStoreCannotCarryAFleetAndTheErrorSaysWhatCan() {
        assertThatThrownBy(() -> FleetStores.open(new StoreConfig("file", Path.of("plan.json")), Clock.systemUTC()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("store.type: fleet mode needs a shared store (etcd or dynamodb), not file");
    }

    @Test
    void storesThatDoNotAnswerOpenAndTheirCallsFailNamingTheStore() {
        int nobody = Ports.free();
        StoreConfig etcd = new StoreConfig("etcd", null, List.of("http://127.0.0.1:" + nobody), "/hsdo", null, null, null,
                Duration.ofSeconds(1), Duration.ofMillis(500));
        try (FleetStore store = FleetStores.open(etcd, Clock.systemUTC())) {
            assertThatThrownBy(() -> store.plans().current()).isInstanceOf(StoreException.class).hasMessageStartingWith("etcd: ");
        }
        StoreConfig dynamo = new StoreConfig("dynamodb", null, List.of(), "/hsdo", "hsdo", "eu-west-1",
                "http://127.0.0.1:" + nobody, Duration.ofSeconds(1), Duration.ofMillis(500));
        try (FleetStore store = FleetStores.open(dynamo, Clock.systemUTC())) {
            assertThatThrownBy(() -> store.agents(Duration.ofSeconds(15)).agents()).isInstanceOf(StoreException.class)
                    .hasMessageStartingWith("dynamodb hsdo: describe table: ");
        }
    }
}
