package dev.hsdo.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The status page served at {@code /}: one HTML file with its style and script inline, read once from the jar. */
final class StatusPage {
    private static final String RESOURCE = "status-page.html";

    private StatusPage() {}

    /** The page's text. */
    static String html() {
        return Holder.HTML;
    }

    // Loaded on first use, so a node whose page is never opened never reads it.
    private static final class Holder {
        static final String HTML = load();

        private static String load() {
            try (InputStream in = StatusPage.class.getResourceAsStream(RESOURCE)) {
                if (in == null) throw new IllegalStateException("the jar lacks " + RESOURCE);
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + RESOURCE, e);
            }
        }
    }
}
