package dev.hsdo.discovery.consul;

/**
 * The index to send with the next blocking query, after Consul's rules for clients: an index that went
 * backwards (Consul restarted, a snapshot was restored) starts over from 0, which asks without blocking;
 * an index of 0 or less is never blocked on, because Consul would answer at once, every time. Pure.
 */
final class ConsulIndex {
    private ConsulIndex() {}

    /**
     * @param previous the index the last query was sent with (0 for none)
     * @param returned the {@code X-Consul-Index} of its answer (0 when absent)
     */
    static long next(long previous, long returned) {
        if (returned <= 0) return 1;
        if (returned < previous) return 0;
        return returned;
    }
}
