package dev.hsdo.config;

/**
 * What every server of a backend gets unless its endpoint says otherwise.
 *
 * @param weight    0..256; equal on every instance so that rings agree
 * @param maxconn   0 for no limit
 * @param ssl       TLS to the server
 * @param sslVerify verify the server certificate against the system CAs
 */
public record ServerDefaults(int weight, int maxconn, boolean ssl, boolean sslVerify) {
}
