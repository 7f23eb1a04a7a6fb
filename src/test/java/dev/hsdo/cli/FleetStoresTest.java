package dev.hsdo.cli;

import dev.hsdo.config.ConfigException;
import dev.hsdo.config.StoreConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FleetStoresTest {
    @Test
    void theFileStoreCannotCarryAFleetAndTheErrorSaysWhatCan() {
        assertThatThrownBy(() -> FleetStores.open(new StoreConfig("file", Path.of("plan.json")), Clock.systemUTC()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("store.type: fleet mode needs a shared store (etcd or dynamodb), not file");
    }
}
