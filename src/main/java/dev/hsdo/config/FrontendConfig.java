package dev.hsdo.config;

/**
 * A frontend.
 *
 * @param name           frontend name
 * @param bind           address:port to listen on
 * @param mode           http or tcp
 * @param defaultBackend backend for every request
 */
public record FrontendConfig(String name, String bind, Mode mode, String defaultBackend) {
}
