package dev.hsdo.cli;

import dev.hsdo.config.ConfigException;
import dev.hsdo.config.StoreConfig;
import dev.hsdo.store.FleetStore;
import dev.hsdo.store.etcd.EtcdFleetStore;

import java.util.List;

/** Opens the shared store that {@code store.type} names, for fleet mode. */
final class FleetStores {
    private FleetStores() {}

    /**
     * A connection to the configured fleet store.
     *
     * @throws ConfigException when the store kind cannot be shared by a fleet (the file store)
     */
    static FleetStore open(StoreConfig store) {
        return switch (store.type()) {
            case "etcd" -> new EtcdFleetStore(store.endpoints(), store.prefix(), store.timeout(), store.pollInterval());
            default -> throw new ConfigException(List.of("store.type: fleet mode needs a shared store (etcd or dynamodb), not "
                    + store.type()));
        };
    }
}
