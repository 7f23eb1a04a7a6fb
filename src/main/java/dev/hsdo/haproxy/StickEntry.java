package dev.hsdo.haproxy;

/**
 * One entry of a stick table as {@code show table <name>} lists it.
 *
 * @param key       the entry's key as HAProxy prints it ({@code 1} for {@code stick on int(1)})
 * @param serverId  the {@code server_id} data, or null when the table stores none
 * @param serverKey the {@code server_key} data (the server's name, HAProxy 2.6+), or null when absent
 */
public record StickEntry(String key, Integer serverId, String serverKey) {
}
