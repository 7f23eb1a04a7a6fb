package dev.hsdo.config;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hsdo.model.Tokens;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The configuration of {@code hsdo sidecar}, read from environment variables only: the names and defaults
 * of the haproxy-neighbors tool, plus {@code DISCOVERY_DNS_SERVERS}, {@code HSDO_DATA_DIR} and any
 * {@code HSDO_*} override of {@code hsdo.yaml} keys. The variables become a configuration tree that
 * {@link ConfigLoader} validates like a file, and every problem is reported under the variable it came from.
 */
public final class SidecarEnv {
    /** The variables and their defaults, in the order the README lists them; null means required. */
    public static final Map<String, String> DEFAULTS = defaults();
    private static final String ORIGIN = "sidecar";
    private static final Set<String> ALSO_KNOWN = Set.of("HSDO_DATA_DIR", "DISCOVERY_DNS_SERVERS");
    /** The sidecar's own HSDO_ variables, which are not {@code hsdo.yaml} overrides. */
    private static final Set<String> PEER_VARIABLES = Set.of("HSDO_ACTIVE_BACKUP", "HSDO_PEERS_BIND", "HSDO_PEERS_SRV");
    // Go's time.ParseDuration syntax, which the original tool read: "100ms", "1m30s", "1.5s".
    private static final Pattern GO_PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");
    private static final Pattern CHECK_WORD = Pattern.compile("\\S+");
    // HAProxy 2.6 refuses unix socket paths longer than this (see RuntimePaths); the longest is master.sock.
    private static final int MAX_SOCKET_PATH = 97;
    /** Key path of the generated tree → the variable it was set from, for error messages. */
    private static final EnvBlame BLAME = new EnvBlame(ORIGIN, keyVariables());

    /**
     * What the environment says.
     *
     * @param config  the validated configuration
     * @param dataDir where runtime files and the plan live (absolute)
     * @param slots   the value of {@code HAPROXY_SLOTS} if it was set (it no longer limits anything), else null
     * @param ignored variables of the original tool that hsdo does not use, set in this environment
     * @param peers   where the other HAProxies of the peers section come from ({@code HSDO_ACTIVE_BACKUP=true}),
     *                else null
     */
    public record Parsed(HsdoConfig config, Path dataDir, Integer slots, List<String> ignored, SidecarPeers peers) {
        public Parsed {
            ignored = List.copyOf(ignored);
        }

        /** What the environment says, without active/backup. */
        public Parsed(HsdoConfig config, Path dataDir, Integer slots, List<String> ignored) {
            this(config, dataDir, slots, ignored, null);
        }
    }

    private SidecarEnv() {}

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("HAPROXY_ENABLE_LOGS", "false");
        d.put("HAPROXY_BALANCE", "uri");
        d.put("HAPROXY_HTTP_CHECK", "meth OPTIONS");
        d.put("HAPROXY_BIND", "0.0.0.0:8888");
        d.put("HAPROXY_THREADS", "1");
        d.put("HAPROXY_SLOTS", "10");
        d.put("HAPROXY_STATS_BIND", "");
        d.put("HAPROXY_HEALTH_BIND", "");
        d.put("HAPROXY_MAXCONN", "500");
        d.put("HAPROXY_TIMEOUT_CONNECT", "100ms");
        d.put("HAPROXY_TIMEOUT_CLIENT", "5s");
        d.put("HAPROXY_TIMEOUT_SERVER", "5s");
        d.put("HAPROXY_TIMEOUT_CHECK", "100ms");
        d.put("DISCOVERY_METHOD", "dns");
        d.put("DISCOVERY_DNS_REFRESH", "5s");
        d.put("DISCOVERY_DNS_NAME", null);
        d.put("DISCOVERY_DNS_SERVERS", "");
        d.put("HSDO_DATA_DIR", "./hsdo-data");
        d.put("HSDO_ACTIVE_BACKUP", "false");
        d.put("HSDO_PEERS_BIND", "");
        d.put("HSDO_PEERS_SRV", "");
        return java.util.Collections.unmodifiableMap(d);
    }

    private static Map<String, String> keyVariables() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("haproxy.maxconn", "HAPROXY_MAXCONN");
        m.put("haproxy.threads", "HAPROXY_THREADS");
        m.put("haproxy.stats-bind", "HAPROXY_STATS_BIND");
        m.put("haproxy.health-bind", "HAPROXY_HEALTH_BIND");
        m.put("haproxy.timeouts.connect", "HAPROXY_TIMEOUT_CONNECT");
        m.put("haproxy.timeouts.client", "HAPROXY_TIMEOUT_CLIENT");
        m.put("haproxy.timeouts.server", "HAPROXY_TIMEOUT_SERVER");
        m.put("frontends[0].bind", "HAPROXY_BIND");
        m.put("backends[0].balance", "HAPROXY_BALANCE");
        m.put("backends[0].health-check.method", "HAPROXY_HTTP_CHECK");
        m.put("backends[0].health-check.path", "HAPROXY_HTTP_CHECK");
        m.put("backends[0].health-check.timeout", "HAPROXY_TIMEOUT_CHECK");
        m.put("sources[0].srv", "DISCOVERY_DNS_NAME");
        m.put("sources[0].servers", "DISCOVERY_DNS_SERVERS");
        m.put("sources[0].refresh", "DISCOVERY_DNS_REFRESH");
        m.put("backends[0].active-backup", "HSDO_ACTIVE_BACKUP");
        m.put("peers.local-name", "HSDO_PEERS_BIND");
        m.put("peers.bind", "HSDO_PEERS_BIND");
        return m;
    }

    /**
     * Reads the environment.
     *
     * @throws ConfigException listing every problem, each starting with the variable's name
     */
    public static Parsed parse(Map<String, String> env) {
        List<String> errors = new ArrayList<>();
        Map<String, String> v = new LinkedHashMap<>();
        DEFAULTS.forEach((name, def) -> {
            String value = env.get(name);
            // An empty value means the default, as for an unset variable, except where empty means "off".
            v.put(name, value == null || (value.isBlank() && def != null && !def.isEmpty()) ? def : value.strip());
        });
        if (!v.get("DISCOVERY_METHOD").equals("dns"))
            errors.add("DISCOVERY_METHOD: invalid value " + Tokens.show(v.get("DISCOVERY_METHOD")) + " (only dns is supported)");
        Boolean logs = bool(v.get("HAPROXY_ENABLE_LOGS"));
        if (logs == null) errors.add("HAPROXY_ENABLE_LOGS: invalid value " + Tokens.show(v.get("HAPROXY_ENABLE_LOGS")) + " (expected true or false)");
        Integer slots = null;
        try {
            slots = Integer.valueOf(v.get("HAPROXY_SLOTS"));
            if (slots < 1) throw new NumberFormatException();
        } catch (NumberFormatException e) {
            errors.add("HAPROXY_SLOTS: invalid value " + Tokens.show(v.get("HAPROXY_SLOTS")) + " (expected a positive integer)");
        }
        Path dataDir = dataDir(v.get("HSDO_DATA_DIR"), errors);

        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode haproxy = root.putObject("haproxy");
        haproxy.put("runtime-dir", "run");
        haproxy.put("maxconn", v.get("HAPROXY_MAXCONN"));
        haproxy.put("threads", v.get("HAPROXY_THREADS"));
        if (Boolean.TRUE.equals(logs)) haproxy.put("log", "stdout format raw local0");
        if (!v.get("HAPROXY_STATS_BIND").isEmpty()) haproxy.put("stats-bind", v.get("HAPROXY_STATS_BIND"));
        if (!v.get("HAPROXY_HEALTH_BIND").isEmpty()) haproxy.put("health-bind", v.get("HAPROXY_HEALTH_BIND"));
        ObjectNode timeouts = haproxy.putObject("timeouts");
        timeouts.put("connect", duration(v, "HAPROXY_TIMEOUT_CONNECT", errors));
        timeouts.put("client", duration(v, "HAPROXY_TIMEOUT_CLIENT", errors));
        timeouts.put("server", duration(v, "HAPROXY_TIMEOUT_SERVER", errors));

        root.putArray("frontends").addObject().put("name", "neighbors").put("bind", v.get("HAPROXY_BIND"))
                .put("default-backend", "peers");
        ObjectNode backend = root.putArray("backends").addObject().put("name", "peers").put("balance", v.get("HAPROXY_BALANCE"));
        backend.putArray("sources").add("dns");
        ObjectNode check = backend.putObject("health-check");
        httpCheck(v.get("HAPROXY_HTTP_CHECK"), check, errors);
        check.put("timeout", duration(v, "HAPROXY_TIMEOUT_CHECK", errors));

        ObjectNode source = root.putArray("sources").addObject().put("name", "dns").put("type", "dns");
        if (v.get("DISCOVERY_DNS_NAME") != null) source.put("srv", v.get("DISCOVERY_DNS_NAME"));
        ArrayNode servers = source.putArray("servers");
        for (String s : v.get("DISCOVERY_DNS_SERVERS").split(",")) if (!s.isBlank()) servers.add(s.strip());
        source.put("refresh", duration(v, "DISCOVERY_DNS_REFRESH", errors));
        root.putObject("store").put("type", "file").put("path", "state/plan.json");
        PeerConfig local = activeBackup(v, root, backend, errors);

        HsdoConfig config = null;
        Map<String, String> overrides = new LinkedHashMap<>(env);
        overrides.keySet().removeAll(PEER_VARIABLES);
        try {
            config = ConfigLoader.parse(root.toString(), dataDir == null ? Path.of(".").toAbsolutePath() : dataDir, overrides, ORIGIN);
        } catch (ConfigException e) {
            for (String line : e.errors()) errors.add(blame(line));
        }
        SidecarPeers peers = local == null || config == null ? null : peersFrom(config, v.get("HSDO_PEERS_SRV"), local, errors);
        if (!errors.isEmpty()) throw new ConfigException(errors);
        return new Parsed(config, dataDir, env.containsKey("HAPROXY_SLOTS") ? slots : null, ignored(env), peers);
    }

    /**
     * {@code HSDO_ACTIVE_BACKUP=true}: the backend becomes active/backup and the tree gets a peers section for
     * {@code HSDO_PEERS_BIND}. Returns this HAProxy as a peer, or null when active/backup is off or invalid.
     */
    private static PeerConfig activeBackup(Map<String, String> v, ObjectNode root, ObjectNode backend, List<String> errors) {
        Boolean on = bool(v.get("HSDO_ACTIVE_BACKUP"));
        if (on == null) {
            errors.add("HSDO_ACTIVE_BACKUP: invalid value " + Tokens.show(v.get("HSDO_ACTIVE_BACKUP")) + " (expected true or false)");
            return null;
        }
        if (!on) {
            for (String name : List.of("HSDO_PEERS_BIND", "HSDO_PEERS_SRV"))
                if (!v.get(name).isEmpty()) errors.add(name + ": is set to " + Tokens.show(v.get(name))
                        + " but HSDO_ACTIVE_BACKUP is not true (peers are only used by an active/backup backend)");
            return null;
        }
        PeerConfig local = localPeer(v.get("HSDO_PEERS_BIND"), errors);
        if (local == null) return null;
        backend.put("active-backup", true);
        root.putObject("peers").put("local-name", local.name()).put("bind", local.address());
        return local;
    }

    /** {@code HSDO_PEERS_BIND}: an IP literal other than the wildcard, since it names this HAProxy to the others. */
    private static PeerConfig localPeer(String value, List<String> errors) {
        String rule = " (ip:port of this HAProxy's peer listener, the address its SRV target resolves to, e.g. 10.0.0.1:10000)";
        if (value.isEmpty()) {
            errors.add("HSDO_PEERS_BIND: is required with HSDO_ACTIVE_BACKUP=true" + rule);
            return null;
        }
        int colon = value.lastIndexOf(':');
        String host = colon < 0 ? "" : value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        if (PeerConfig.addressProblem(value) != null || !Tokens.isIpLiteral(host)) {
            errors.add("HSDO_PEERS_BIND: invalid value " + Tokens.show(value) + rule);
            return null;
        }
        PeerConfig local = SidecarPeers.peer(host, Integer.parseInt(value.substring(colon + 1)));
        String ip = local.address().substring(0, local.address().lastIndexOf(':'));
        if (ip.equals("0.0.0.0") || ip.equals("[0:0:0:0:0:0:0:0]")) {
            errors.add("HSDO_PEERS_BIND: " + Tokens.show(value) + " is a wildcard address: the other sidecars name this"
                    + " HAProxy by the address its SRV target resolves to, so give that address" + rule);
            return null;
        }
        return local;
    }

    /** The peers' record: {@code HSDO_PEERS_SRV} with its own ports, else the neighbours record at this peer port. */
    private static SidecarPeers peersFrom(HsdoConfig config, String srv, PeerConfig local, List<String> errors) {
        DnsSourceConfig dns = (DnsSourceConfig) config.sources().get(0);
        int port = Integer.parseInt(local.address().substring(local.address().lastIndexOf(':') + 1));
        try {
            DnsSourceConfig record = new DnsSourceConfig("sidecar-peers", srv.isEmpty() ? dns.srv() : srv, dns.servers(),
                    dns.refresh(), dns.timeout(), DnsSourceConfig.PriorityPolicy.ALL, dns.weightPolicy());
            return new SidecarPeers(record, srv.isEmpty() ? port : null);
        } catch (IllegalArgumentException e) {
            errors.add("HSDO_PEERS_SRV: invalid value " + Tokens.show(srv) + " (an SRV name, _service._proto.name.)");
            return null;
        }
    }

    /** {@code sidecar: backends[0].balance: msg} → {@code HAPROXY_BALANCE: msg}, key paths in the message too. */
    static String blame(String line) {
        return BLAME.blame(line);
    }

    /** {@code meth M}, {@code uri /path} in any order, as the original's {@code http-check send} arguments. */
    private static void httpCheck(String value, ObjectNode check, List<String> errors) {
        List<String> words = new ArrayList<>();
        Matcher m = CHECK_WORD.matcher(value);
        while (m.find()) words.add(m.group());
        boolean ok = words.size() % 2 == 0 && !words.isEmpty();
        for (int i = 0; ok && i < words.size(); i += 2) {
            switch (words.get(i)) {
                case "meth" -> check.put("method", words.get(i + 1));
                case "uri" -> check.put("path", words.get(i + 1));
                default -> ok = false;
            }
        }
        if (!ok) errors.add("HAPROXY_HTTP_CHECK: invalid value " + Tokens.show(value)
                + " (expected 'meth <METHOD>' and/or 'uri <path>', e.g. 'meth OPTIONS' or 'meth GET uri /health')");
    }

    private static Path dataDir(String value, List<String> errors) {
        Path dir;
        try {
            dir = Path.of(value).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            errors.add("HSDO_DATA_DIR: invalid path " + Tokens.show(value) + " (" + e.getReason() + ")");
            return null;
        }
        int length = dir.resolve("run/master.sock").toString().getBytes(StandardCharsets.UTF_8).length;
        if (length > MAX_SOCKET_PATH) {
            errors.add("HSDO_DATA_DIR: " + Tokens.show(dir.toString()) + " is too long: HAProxy's sockets go in its run/ directory,"
                    + " and HAProxy accepts unix socket paths of at most " + MAX_SOCKET_PATH + " bytes (this one would be " + length + ")");
            return null;
        }
        return dir;
    }

    /** The duration in {@code hsdo.yaml} syntax (whole milliseconds), or the default's when malformed. */
    private static String duration(Map<String, String> v, String name, List<String> errors) {
        try {
            Duration d = goDuration(v.get(name));
            if (d.isZero()) throw new IllegalArgumentException("must be greater than 0");
            return d.toMillis() + "ms";
        } catch (IllegalArgumentException e) {
            errors.add(name + ": invalid duration " + Tokens.show(v.get(name)) + " (" + e.getMessage() + ")");
            return goDuration(DEFAULTS.get(name)).toMillis() + "ms";
        }
    }

    /** Parses Go's duration syntax ({@code 100ms}, {@code 5s}, {@code 1m30s}, {@code 1.5s}, {@code 0}). */
    static Duration goDuration(String text) {
        if (text.equals("0")) return Duration.ZERO;
        Matcher m = GO_PART.matcher(text);
        BigDecimal nanos = BigDecimal.ZERO;
        int at = 0;
        while (at < text.length() && m.find(at) && m.start() == at) {
            long unit = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit)));
            at = m.end();
        }
        if (at == 0 || at != text.length()) throw new IllegalArgumentException("expected e.g. 100ms, 5s, 1m30s");
        if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) throw new IllegalArgumentException("too long");
        Duration d = Duration.ofNanos(nanos.longValue());
        if (!d.isZero() && d.toMillis() == 0) throw new IllegalArgumentException("HAProxy counts in milliseconds: at least 1ms");
        return d;
    }

    /** Go's strconv.ParseBool, which the original used. */
    private static Boolean bool(String s) {
        return switch (s) {
            case "1", "t", "T", "true", "TRUE", "True" -> true;
            case "0", "f", "F", "false", "FALSE", "False" -> false;
            default -> null;
        };
    }

    /** Variables the original tool read that hsdo does not, so that an operator hears they are not used. */
    private static List<String> ignored(Map<String, String> env) {
        Set<String> out = new TreeSet<>();
        for (String k : env.keySet()) {
            String upper = k.toUpperCase(Locale.ROOT);
            boolean theirs = upper.startsWith("HAPROXY_") || upper.startsWith("DISCOVERY_") || upper.equals("SENTRY_DSN");
            if (theirs && !DEFAULTS.containsKey(k) && !ALSO_KNOWN.contains(k)) out.add(k);
        }
        return List.copyOf(out);
    }
}
