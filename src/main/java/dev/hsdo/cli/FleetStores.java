package dev.hsdo.cli;

import dev.hsdo.config.ConfigException;
import dev.hsdo.config.StoreConfig;
import dev.hsdo.store.FleetStore;
import dev.hsdo.store.dynamodb.DynamoFleetStore;
import dev.hsdo.store.etcd.EtcdFleetStore;

import java.time.Clock;
import java.util.List;

/** Opens the shared store that {@code store.type} names, for fleet mode. */
final class FleetStores {
    private FleetStores() {}

    /**
     * A connection to the configured fleet store. Opening makes no call, so a process starts while the store
     * does not answer; each call fails with a {@link dev.hsdo.store.StoreException} naming the store and the
     * reason until it does.
     *
     * @throws ConfigException when the store kind cannot be shared by a fleet (the file store)
     */
    static FleetStore open(StoreConfig store, Clock clock) {
        return switch (store.type()) {
            case "etcd" -> new EtcdFleetStore(store.endpoints(), store.prefix(), store.timeout(), store.pollInterval(), clock);
            case "dynamodb" -> new DynamoFleetStore(store.table(), store.region(), store.endpoint(), store.prefix(),
                    store.pollInterval(), store.timeout(), clock);
            default -> throw new ConfigException(List.of("store.type: fleet mode needs a shared store (etcd or dynamodb), not "
                    + store.type()));
        };
    }
}
