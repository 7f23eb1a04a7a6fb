package dev.hsdo.config;

import dev.hsdo.model.Tokens;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/** Reads the entries of {@code sources} that talk to a discovery service: one method per type. */
final class DiscoveryConfigs {
    private static final Pattern SERVICE = Pattern.compile("[A-Za-z0-9_.-]{1,128}");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Duration MAX_CONSUL_WAIT = Duration.ofMinutes(10);

    /** Resolves a path value of {@code key} against the config's directory. */
    private final BiFunction<ConfigNode, String, Path> paths;

    DiscoveryConfigs(BiFunction<ConfigNode, String, Path> paths) {
        this.paths = paths;
    }

    ConsulSourceConfig consul(ConfigNode n, String name) {
        n.checkKeys("name", "type", "address", "services", "health", "datacenter", "token", "ca-file", "wait");
        URI address = url(n, "address", "http://127.0.0.1:8500");
        List<String> services = n.strings("services", List.of());
        if (services.isEmpty() && !n.has("services")) n.fail("services", "is required (the Consul service names to watch)");
        else if (services.isEmpty()) n.fail("services", "at least one service is required");
        matchEach(n, "services", services, SERVICE, "letters, digits, '-', '_', '.', at most 128");
        ConsulSourceConfig.HealthPolicy health = ConsulSourceConfig.HealthPolicy.PASSING;
        String h = n.string("health", "passing");
        try {
            health = ConsulSourceConfig.HealthPolicy.valueOf(h.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            n.fail("health", "unknown value " + Tokens.show(h) + " (expected passing, warning or any)");
        }
        String dc = match(n, "datacenter", LABEL, "letters, digits, '-', '_', '.'");
        String token = n.secret("token");
        Path caFile = n.has("ca-file") ? paths.apply(n, "ca-file") : null;
        if (caFile != null && address != null && !"https".equals(address.getScheme()))
            n.fail("ca-file", "only applies to an https address (address is " + Tokens.show(address.toString()) + ")");
        Duration wait = n.duration("wait", Duration.ofMinutes(5), false);
        if (wait.compareTo(MAX_CONSUL_WAIT) > 0)
            n.fail("wait", "invalid duration " + Tokens.show(n.string("wait", "")) + " (at most 10m, Consul's limit)");
        return new ConsulSourceConfig(name, address, services, health, dc, token == null || token.isEmpty() ? null : token,
                caFile, wait);
    }

    /** An http or https URL without path, query or credentials; null when invalid (reported). */
    private static URI url(ConfigNode n, String key, String def) {
        String s = n.string(key, def);
        String rule = " (expected http://host:port or https://host:port)";
        try {
            URI u = new URI(s);
            boolean web = "http".equals(u.getScheme()) || "https".equals(u.getScheme());
            boolean bare = (u.getPath() == null || u.getPath().isEmpty() || u.getPath().equals("/"))
                    && u.getQuery() == null && u.getFragment() == null && u.getUserInfo() == null;
            if (web && u.getHost() != null && bare) return URI.create(u.getScheme() + "://" + u.getRawAuthority());
        } catch (URISyntaxException e) {
            // reported below
        }
        n.fail(key, "invalid value " + Tokens.show(s) + rule);
        return null;
    }

    /** The value of {@code key} if it matches {@code pattern}; null when absent or invalid (reported). */
    private static String match(ConfigNode n, String key, Pattern pattern, String rule) {
        String s = n.string(key, null);
        if (s == null || pattern.matcher(s).matches()) return s;
        n.fail(key, "invalid value " + Tokens.show(s) + " (" + rule + ")");
        return null;
    }

    private static void matchEach(ConfigNode n, String key, List<String> values, Pattern pattern, String rule) {
        for (int i = 0; i < values.size(); i++)
            if (!pattern.matcher(values.get(i)).matches())
                n.fail(key + "[" + i + "]", "invalid value " + Tokens.show(values.get(i)) + " (" + rule + ")");
    }
}
