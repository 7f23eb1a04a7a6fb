package dev.hsdo.config;

/**
 * The admin HTTP API.
 *
 * @param bind  address:port, loopback by default; null or empty disables the API
 * @param token bearer token required for writes, or null (then writes are refused)
 */
public record AdminConfig(String bind, String token) {
}
