package dev.hsdo.config;

import java.util.List;

/**
 * A frontend.
 *
 * @param name           frontend name
 * @param bind           address:port to listen on
 * @param mode           http or tcp
 * @param defaultBackend backend for every request no rule picks
 * @param useBackends    rules sending some requests to other backends, tried in order
 */
public record FrontendConfig(String name, String bind, Mode mode, String defaultBackend, List<UseBackend> useBackends) {
    public FrontendConfig {
        useBackends = List.copyOf(useBackends);
    }

    /** A frontend sending every request to its default backend. */
    public FrontendConfig(String name, String bind, Mode mode, String defaultBackend) {
        this(name, bind, mode, defaultBackend, List.of());
    }
}
