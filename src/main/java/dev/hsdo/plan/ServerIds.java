package dev.hsdo.plan;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Derives HAProxy server ids from endpoint identities. HAProxy places a server on the consistent-hash
 * ring by {@code full_hash(id * 4096 + node)} computed in 32 bits, so only the low 20 bits of an id
 * count: ids stay in 1..2^20-1, where every id gives distinct ring points.
 *
 * <p>Natural ids (a hash of the identity) make instances that never talk agree; when two identities hash to
 * the same id, the one already serving keeps it and the newcomer probes on. Instances with different
 * histories can then resolve that (rare) pair differently: see the README on id collisions.
 */
public final class ServerIds {
    /** The largest id whose ring points never alias another id's. */
    public static final int MAX_ID = (1 << 20) - 1;

    private ServerIds() {}

    /**
     * Assigns an id to every identity. The result depends only on the set of identities, never on their
     * order: identities are taken in sorted order and a collision is resolved by re-hashing the later
     * identity with a counter until a free id is found.
     */
    public static Map<String, Integer> assign(Collection<String> identities) {
        return assign(identities, Map.of());
    }

    /**
     * Assigns an id to every identity, {@code kept} ones first: an identity in {@code kept} keeps its id
     * there (an incumbent's id never changes, since a changed id would cut the serving server), and every id
     * in {@code kept} is taken, also by identities not in {@code identities} (servers held back by the guard).
     * The others, the newcomers, take their natural id or probe on from it, in sorted order; only they are
     * hashed. The result depends only on the set of identities and on {@code kept}, never on their order.
     *
     * @param kept identity → id of the servers whose ids are fixed; ids must be distinct and in 1..MAX_ID
     */
    public static Map<String, Integer> assign(Collection<String> identities, Map<String, Integer> kept) {
        Map<String, Integer> ids = new LinkedHashMap<>();
        Set<Integer> used = new HashSet<>(kept.values());
        Set<String> fresh = new TreeSet<>();
        for (String identity : identities) {
            Integer id = kept.get(identity);
            if (id != null) ids.put(identity, id);
            else fresh.add(identity);
        }
        for (String identity : fresh) {
            int id = natural(identity, 0);
            for (int attempt = 1; !used.add(id); attempt++) id = natural(identity, attempt);
            ids.put(identity, id);
        }
        return ids;
    }

    /** The id an identity takes at the given probe attempt (0 = its natural id). */
    public static int natural(String identity, int attempt) {
        String key = attempt == 0 ? identity : identity + "#" + attempt;
        byte[] h = sha256(key);
        long v = ((h[0] & 0xffL) << 24) | ((h[1] & 0xffL) << 16) | ((h[2] & 0xffL) << 8) | (h[3] & 0xffL);
        return (int) (v % MAX_ID) + 1;
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
