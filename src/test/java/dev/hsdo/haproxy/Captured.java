package dev.hsdo.haproxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Outputs captured from HAProxy 2.6.12, see src/test/resources/haproxy-output/README.md. */
final class Captured {
    private Captured() {}

    static String read(String name) {
        try (InputStream in = Captured.class.getResourceAsStream("/haproxy-output/" + name)) {
            if (in == null) throw new IllegalArgumentException("no captured output " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
