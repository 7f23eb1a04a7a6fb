package dev.hsdo.agent;

/**
 * One HAProxy of the rendered peers section.
 *
 * @param name    peer name
 * @param address {@code host:port} of its peer listener
 * @param local   whether it is this HAProxy
 */
public record PeerStatus(String name, String address, boolean local) {
}
