package dev.hsdo.config;

/**
 * A backend whose servers come from a {@code server-template} in the user's own {@code haproxy.cfg}:
 * hsdo fills slots {@code PREFIX1}..{@code PREFIXcount} with {@code set server} and never adds or deletes.
 *
 * @param count  number of slots hsdo manages (the template may declare more; those are left alone)
 * @param prefix the template's name prefix: {@code server-template srv 1-10 ...} has prefix {@code srv}
 */
public record SlotsConfig(int count, String prefix) {
    /** The server name of slot {@code slot}. */
    public String name(int slot) {
        return prefix + slot;
    }
}
