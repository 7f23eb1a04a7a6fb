package dev.hsdo.haproxy;

import java.util.Objects;

/**
 * One entry of a live map, as {@code show map <map>} lists it.
 *
 * @param ref   HAProxy's reference of the entry ({@code 0x55debdcbae00}), usable as {@code #<ref>} in {@code del map}
 * @param key   the key
 * @param value the value (may hold spaces)
 */
public record MapEntry(String ref, String key, String value) {
    public MapEntry {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }
}
