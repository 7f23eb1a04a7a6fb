package dev.hsdo.config;

import java.util.Objects;

/**
 * A frontend rule sending some requests to another backend than the default: those whose path starts with
 * {@code pathPrefix}, or those carrying header {@code headerName} with value {@code headerValue}. Exactly one
 * of the two conditions is set.
 *
 * @param backend     the backend to use
 * @param pathPrefix  the path prefix, or null
 * @param headerName  the header name, or null
 * @param headerValue the header value (with {@code headerName})
 */
public record UseBackend(String backend, String pathPrefix, String headerName, String headerValue) {
    public UseBackend {
        Objects.requireNonNull(backend, "backend");
        if ((pathPrefix == null) == (headerName == null))
            throw new IllegalArgumentException("use-backend " + backend + ": exactly one condition (path or header) is needed");
        if (headerName != null) Objects.requireNonNull(headerValue, "headerValue");
    }
}
