package dev.hsdo.discovery.dns;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a DNS server said about an SRV name, as plain values: the SRV records and the addresses of their
 * targets. An empty record list is a real answer (NXDOMAIN, or no SRV record), not a failure.
 *
 * @param records    the SRV records of the answer section
 * @param addresses  target name (lower case, with the trailing dot) → its A and AAAA addresses; a target
 *                   that has none is absent or maps to an empty list
 * @param ttlSeconds the smallest TTL among the records used, or -1 when there were none
 * @param server     the DNS server that answered, for messages
 */
public record SrvAnswer(List<Srv> records, Map<String, List<String>> addresses, long ttlSeconds, String server) {
    /**
     * One SRV record.
     *
     * @param priority 0..65535, lower is preferred
     * @param weight   0..65535, relative among records of one priority
     * @param port     the target's port (0 is invalid for a server)
     * @param target   the target host name, lower case with the trailing dot; {@code .} means no service
     */
    public record Srv(int priority, int weight, int port, String target) {
        public Srv {
            Objects.requireNonNull(target, "target");
        }
    }

    public SrvAnswer {
        records = List.copyOf(records);
        TreeMap<String, List<String>> copy = new TreeMap<>();
        addresses.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        addresses = java.util.Collections.unmodifiableMap(copy);
        Objects.requireNonNull(server, "server");
    }
}
