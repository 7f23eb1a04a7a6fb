package dev.hsdo.testing;

import dev.hsdo.plan.ServerIds;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Finds identities whose natural server ids collide, by brute force: with 2^20 ids the birthday bound makes it quick. */
public final class CollidingIds {
    private CollidingIds() {}

    /** Two identities {@code prefix + n} with equal natural ids, the one that sorts first first. */
    public static List<String> pair(String prefix) {
        Map<Integer, String> seen = new HashMap<>();
        for (int i = 0; i < 1_000_000; i++) {
            String identity = prefix + i;
            String other = seen.putIfAbsent(ServerIds.natural(identity, 0), identity);
            if (other != null) return other.compareTo(identity) < 0 ? List.of(other, identity) : List.of(identity, other);
        }
        throw new IllegalStateException("no collision among a million identities " + prefix + "N");
    }
}
