package dev.hsdo.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Everything every HAProxy of the fleet should route to, published whole.
 *
 * @param generation increases by one with every change of content
 * @param digest     SHA-256 of the canonical content (not of the generation or epoch): equal content, equal digest
 * @param backends   backends sorted by name
 * @param epoch      the store's epoch: set by the store when it is first written (and again after it was wiped),
 *                   so that a reader tells a reset store's generation 1 from an old generation 1; 0 = not stored yet
 * @param tenants    the tenant → shard table ({@link TenantTable#EMPTY} when tenants are not used; null reads as empty)
 */
public record Plan(long generation, String digest, List<BackendPlan> backends, long epoch,
                   @com.fasterxml.jackson.annotation.JsonInclude(value = com.fasterxml.jackson.annotation.JsonInclude.Include.CUSTOM,
                           valueFilter = TenantTable.EmptyFilter.class) TenantTable tenants) {
    public Plan {
        if (tenants == null) tenants = TenantTable.EMPTY;
        if (generation < 0) throw new IllegalArgumentException("generation must be >= 0, got " + generation);
        if (epoch < 0) throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        backends = backends.stream().sorted(java.util.Comparator.comparing(BackendPlan::name)).toList();
        Set<String> names = new HashSet<>();
        for (BackendPlan b : backends)
            if (!names.add(b.name())) throw new IllegalArgumentException("duplicate backend " + b.name());
        String expected = digestOf(backends, tenants);
        if (digest == null) digest = expected;
        else if (!digest.equals(expected))
            throw new IllegalArgumentException("plan " + generation + ": digest " + digest + " does not match its content " + expected);
    }

    /** A plan without tenants. */
    public Plan(long generation, String digest, List<BackendPlan> backends, long epoch) {
        this(generation, digest, backends, epoch, TenantTable.EMPTY);
    }

    /** A plan of epoch 0 (not stored yet) at {@code generation} with its digest computed. */
    public static Plan of(long generation, List<BackendPlan> backends) {
        return new Plan(generation, null, backends, 0);
    }

    /** This plan in store epoch {@code newEpoch}. */
    public Plan withEpoch(long newEpoch) {
        return newEpoch == epoch ? this : new Plan(generation, digest, backends, newEpoch, tenants);
    }

    /** This plan's generation and backends with {@code backends} in place of its own (the digest recomputed). */
    public Plan withBackends(List<BackendPlan> newBackends) {
        return new Plan(generation, null, newBackends, epoch, tenants);
    }

    /**
     * Whether this plan replaces {@code other}: a newer store epoch (the store was wiped and written anew), or
     * the same epoch and a higher generation. Readers use this, never the generation alone, so a reset store
     * is followed rather than ignored.
     */
    public boolean supersedes(Plan other) {
        if (other == null) return true;
        if (epoch != other.epoch) return epoch > other.epoch;
        return generation > other.generation;
    }

    /** The empty plan that precedes every other. */
    public static Plan empty() {
        return of(0, List.of());
    }

    /** The backend named {@code name}, or null. */
    public BackendPlan backend(String name) {
        for (BackendPlan b : backends) if (b.name().equals(name)) return b;
        return null;
    }

    /** Whether {@code other} has the same content, whatever its generation. */
    public boolean sameContent(Plan other) {
        return other != null && digest.equals(other.digest);
    }

    /** The canonical text the digest is computed from: one line per backend and per server. */
    public static String canonical(List<BackendPlan> backends) {
        StringBuilder b = new StringBuilder();
        canonical(backends, b::append);
        return b.toString();
    }

    /** Writes the canonical text into {@code out}, one line per backend and per server. */
    private static void canonical(List<BackendPlan> backends, java.util.function.Consumer<String> out) {
        for (BackendPlan be : backends) {
            out.accept(header(be));
            for (ServerPlan s : be.servers()) out.accept(line(s));
        }
    }

    /** The canonical line of one backend. */
    private static String header(BackendPlan be) {
        StringBuilder b = new StringBuilder("backend ").append(be.name());
        if (be.heldBack() != null) b.append(" held-back ").append(be.heldBack().replace('\n', ' '));
        return b.append('\n').toString();
    }

    /** The canonical line of one server. */
    private static String line(ServerPlan s) {
        ServerOptions o = s.options();
        StringBuilder b = new StringBuilder(256);
        b.append("  server ").append(s.name()).append(' ').append(s.id()).append(' ').append(s.identity())
                .append(' ').append(s.address()).append(' ').append(s.port()).append(' ').append(s.weight())
                .append(' ').append(s.state().word()).append(' ').append(s.zone())
                .append(' ').append(s.drainUntil()).append(' ').append(o);
        // Only ramping servers carry this, so plans without slow start keep their digests.
        if (s.rampSince() != null) b.append(" ramp-since ").append(s.rampSince());
        return b.append('\n').toString();
    }

    // The encoded canonical line of each server in a plan still in use: the planner reuses the servers that did
    // not change, so the digest of a plan that differs by one server encodes one line, not all of them.
    private static final Map<ServerPlan, byte[]> LINES = Collections.synchronizedMap(new WeakHashMap<>());

    private static String digestOf(List<BackendPlan> backends, TenantTable tenants) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            // Line by line: the same bytes as digesting canonical(backends) at once.
            for (BackendPlan be : backends) {
                md.update(header(be).getBytes(StandardCharsets.UTF_8));
                for (ServerPlan s : be.servers())
                    md.update(LINES.computeIfAbsent(s, k -> line(k).getBytes(StandardCharsets.UTF_8)));
            }
            // Only plans with tenants carry this line, so plans without them keep their digests.
            if (!tenants.isEmpty()) md.update(("tenants " + tenants.digest() + '\n')
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
