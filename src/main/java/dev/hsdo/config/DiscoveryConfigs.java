package dev.hsdo.config;

import dev.hsdo.model.Tokens;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/** Reads the entries of {@code sources} that talk to a discovery service: one method per type. */
final class DiscoveryConfigs {
    private static final Pattern SERVICE = Pattern.compile("[A-Za-z0-9_.-]{1,128}");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Duration MAX_CONSUL_WAIT = Duration.ofMinutes(10);
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z0-9]+){2,3}");
    private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9_.:/@+=-]{1,255}");
    // AWS tag keys and values also allow spaces; hsdo's do not, so every one can be named in a filter and a log line.
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_.:/=+@-]{1,128}");
    private static final Pattern TAG_VALUE = Pattern.compile("[A-Za-z0-9_.:/=+@-]{1,256}");
    private static final Duration MIN_AWS_INTERVAL = Duration.ofSeconds(1);
    // Printable ASCII without space, quotes, backslash or '#': safe in a log line and a status page.
    private static final Pattern PREFIX = Pattern.compile("/[A-Za-z0-9_.:/=+@-]{0,254}");

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

    AwsAsgSourceConfig awsAsg(ConfigNode n, String name) {
        n.checkKeys("name", "type", "region", "endpoint", "groups", "port", "interval");
        List<String> groups = n.strings("groups", List.of());
        if (groups.isEmpty()) n.fail("groups", n.has("groups") ? "at least one group is required" : "is required (Auto Scaling group names)");
        matchEach(n, "groups", groups, GROUP, "letters, digits and _ . : / @ + = -");
        if (!n.has("port")) n.fail("port", "is required (the port every instance serves on)");
        int port = n.integer("port", 1, 1, 65535);
        return new AwsAsgSourceConfig(name, match(n, "region", REGION, "e.g. us-east-1"), endpoint(n), groups, port,
                interval(n));
    }

    AwsEc2TagsSourceConfig awsEc2Tags(ConfigNode n, String name) {
        n.checkKeys("name", "type", "region", "endpoint", "service", "service-tag", "port-tag", "port", "interval");
        String service = match(n, "service", TAG_VALUE, "letters, digits and _ . : / = + @ -");
        if (service == null && !n.has("service")) n.fail("service", "is required (the value of the service tag)");
        String serviceTag = match(n, "service-tag", TAG, "letters, digits and _ . : / = + @ -");
        String portTag = match(n, "port-tag", TAG, "letters, digits and _ . : / = + @ -");
        Integer port = n.has("port") ? n.integer("port", 1, 1, 65535) : null;
        return new AwsEc2TagsSourceConfig(name, match(n, "region", REGION, "e.g. us-east-1"), endpoint(n), service,
                serviceTag == null ? "HAProxy:Service:Name" : serviceTag, portTag == null ? "HAProxy:Service:Port" : portTag,
                port, interval(n));
    }

    EtcdRegistrySourceConfig etcdRegistry(ConfigNode n, String name) {
        n.checkKeys("name", "type", "endpoints", "prefix", "check-interval");
        List<String> urls = n.strings("endpoints", List.of("http://127.0.0.1:2379"));
        if (urls.isEmpty()) n.fail("endpoints", "at least one etcd URL is required");
        List<URI> endpoints = new ArrayList<>();
        for (int i = 0; i < urls.size(); i++) {
            URI u = url(urls.get(i));
            if (u == null) n.fail("endpoints[" + i + "]", "invalid value " + Tokens.show(urls.get(i)) + " (expected http://host:port or https://host:port)");
            else endpoints.add(u);
        }
        String prefix = match(n, "prefix", PREFIX, "starts with '/'; letters, digits and _ . : / = + @ -");
        if (prefix == null && !n.has("prefix")) n.fail("prefix", "is required (the key prefix services register under)");
        return new EtcdRegistrySourceConfig(name, endpoints, prefix, n.duration("check-interval", Duration.ofSeconds(5), false));
    }

    private static URI endpoint(ConfigNode n) {
        return n.has("endpoint") ? url(n, "endpoint", null) : null;
    }

    private static Duration interval(ConfigNode n) {
        Duration d = n.duration("interval", Duration.ofSeconds(30), false);
        if (d.compareTo(MIN_AWS_INTERVAL) >= 0) return d;
        n.fail("interval", "invalid duration " + Tokens.show(n.string("interval", "")) + " (at least 1s: AWS rate-limits its API)");
        return Duration.ofSeconds(30);
    }

    /** An http or https URL without path, query or credentials; null when invalid (reported). */
    private static URI url(ConfigNode n, String key, String def) {
        String s = n.string(key, def);
        URI u = url(s);
        if (u == null) n.fail(key, "invalid value " + Tokens.show(s) + " (expected http://host:port or https://host:port)");
        return u;
    }

    /** {@code s} as {@code scheme://authority} if it is an http or https URL without path, query or credentials. */
    private static URI url(String s) {
        try {
            URI u = new URI(s);
            boolean web = "http".equals(u.getScheme()) || "https".equals(u.getScheme());
            boolean bare = (u.getPath() == null || u.getPath().isEmpty() || u.getPath().equals("/"))
                    && u.getQuery() == null && u.getFragment() == null && u.getUserInfo() == null;
            if (web && u.getHost() != null && bare) return URI.create(u.getScheme() + "://" + u.getRawAuthority());
        } catch (URISyntaxException e) {
            // not a URL
        }
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
