package dev.hsdo.config;

import dev.hsdo.model.Tokens;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads a frontend's {@code use-backends} entries: {@code {backend: pow, if-path-beg: /pow}} or
 * {@code {backend: pow, if-header: {name: X-Kind, value: pow}}}. The values end up inside an HAProxy ACL,
 * so each is held to a small character set with nothing that could end the word or the line.
 */
final class FrontendRules {
    private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._~%/:@+=-]{0,255}");
    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern HEADER_VALUE = Pattern.compile("[A-Za-z0-9._~:/=+-]{1,128}");

    private FrontendRules() {}

    /** The rule, or null when it is invalid (every problem reported on {@code n}). */
    static UseBackend rule(ConfigNode n, Mode frontendMode, List<BackendConfig> backends) {
        n.checkKeys("backend", "if-path-beg", "if-header");
        String backend = n.string("backend", null);
        BackendConfig target = backends.stream().filter(b -> b.name() != null && b.name().equals(backend)).findFirst().orElse(null);
        boolean ok = true;
        if (backend == null) {
            n.fail("backend", "is required");
            ok = false;
        } else if (target == null) {
            n.fail("backend", "unknown backend " + Tokens.show(backend) + " (defined: "
                    + String.join(", ", backends.stream().map(BackendConfig::name).toList()) + ")");
            ok = false;
        } else if (target.mode() == Mode.TCP) {
            n.fail("backend", "rules match HTTP requests; backend " + Tokens.show(backend) + " is tcp");
            ok = false;
        }
        if (frontendMode == Mode.TCP) {
            n.fail(null, "path and header rules need an http frontend");
            ok = false;
        }
        boolean byPath = n.has("if-path-beg");
        boolean byHeader = n.has("if-header");
        if (byPath == byHeader) {
            n.fail(null, "exactly one of if-path-beg or if-header is needed");
            return null;
        }
        if (byPath) {
            String path = n.string("if-path-beg", "");
            if (!PATH.matcher(path).matches()) {
                n.fail("if-path-beg", "invalid value " + Tokens.show(path) + " (starts with '/'; letters, digits and . _ ~ % / : @ + = -)");
                return null;
            }
            return ok ? new UseBackend(backend, path, null, null) : null;
        }
        ConfigNode h = n.object("if-header");
        h.checkKeys("name", "value");
        String name = h.string("name", null);
        String value = h.string("value", null);
        if (name == null || !HEADER_NAME.matcher(name).matches()) {
            h.fail("name", name == null ? "is required" : "invalid value " + Tokens.show(name) + " (letters, digits, '-', '_')");
            ok = false;
        }
        if (value == null || !HEADER_VALUE.matcher(value).matches()) {
            h.fail("value", value == null ? "is required" : "invalid value " + Tokens.show(value) + " (letters, digits and . _ ~ : / = + -)");
            ok = false;
        }
        return ok ? new UseBackend(backend, null, name, value) : null;
    }
}
