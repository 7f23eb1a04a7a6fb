package dev.hsdo.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.hsdo.model.Selector;
import dev.hsdo.model.Tokens;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads {@code hsdo.yaml} (or JSON), applies {@code HSDO_*} environment overrides and builds a validated
 * {@link HsdoConfig}. Every problem is collected, so one {@link ConfigException} lists them all.
 *
 * <p>An override variable is the key path upper-cased with {@code -}, {@code .} and list brackets turned
 * into {@code _}: {@code HSDO_BACKENDS_0_BALANCE} sets {@code backends[0].balance}; a list of strings is
 * given comma-separated.
 */
public final class ConfigLoader {
    /** Variables with the HSDO_ prefix that configure the launcher, not {@code hsdo.yaml}. */
    private static final Set<String> NOT_CONFIG = Set.of("HSDO_CONFIG", "HSDO_HOME", "HSDO_JAVA_OPTS", "HSDO_JAR", "HSDO_DATA_DIR", "HSDO_LOG_LEVEL");
    private static final Pattern METHOD = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,31}");
    // No spaces (they end the argument in the config line), no quotes or backslash (HAProxy's own quoting).
    private static final Pattern CHECK_PATH = Pattern.compile("/[!#-&(-\\[\\]-~]*");
    private static final Pattern STORE_PREFIX = Pattern.compile("[A-Za-z0-9/_.-]{1,128}");
    private static final Pattern HTTP_URL = Pattern.compile("https?://[A-Za-z0-9.\\[\\]:-]+(:[0-9]{1,5})?/?");
    private static final Pattern DYNAMO_TABLE = Pattern.compile("[A-Za-z0-9_.-]{3,255}");
    private static final Pattern RUNTIME_API = Pattern.compile("(unix@)?/[^\\s;#]+|(ipv4@)?[A-Za-z0-9.-]+:[0-9]{1,5}|(ipv6@)?\\[[0-9A-Fa-f:.]+]:[0-9]{1,5}");
    private static final String NAME_RULE = "letters, digits, '-', '_', '.', ':', at most 64";

    private final ConfigNode.Context ctx;
    private final Path baseDir;
    /** Port → key path of the bind that took it first. */
    private final Map<Integer, String> ports = new HashMap<>();

    private ConfigLoader(ConfigNode.Context ctx, Path baseDir) {
        this.ctx = ctx;
        this.baseDir = baseDir;
    }

    /**
     * Loads {@code file}; relative paths in it resolve against its directory.
     *
     * @param env the process environment (only {@code HSDO_*} variables are looked at)
     * @throws ConfigException listing every problem, each naming the file or variable, the key and the value
     */
    public static HsdoConfig load(Path file, Map<String, String> env) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(List.of(file + ": file not found"));
        } catch (CharacterCodingException e) {
            throw new ConfigException(List.of(file + ": not UTF-8 text"));
        } catch (IOException e) {
            throw new ConfigException(List.of(file + ": cannot read: " + e));
        }
        return parse(text, file.toAbsolutePath().getParent(), env, file.toString());
    }

    /**
     * Parses configuration text.
     *
     * @param baseDir what relative paths resolve against
     * @param env     the process environment (only {@code HSDO_*} variables are looked at)
     * @param origin  the name of the text in error messages, usually the file name
     * @throws ConfigException listing every problem
     */
    public static HsdoConfig parse(String text, Path baseDir, Map<String, String> env, String origin) {
        JsonNode tree;
        try {
            tree = StructuredText.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(List.of(origin + ": " + e.getMessage()));
        }
        if (tree.isMissingNode()) tree = JsonNodeFactory.instance.objectNode();
        if (!tree.isObject()) throw new ConfigException(List.of(origin + ": expected a mapping at top level, got a list or a value"));

        Map<String, String> overrides = new TreeMap<>();
        env.forEach((k, v) -> {
            if (k.startsWith("HSDO_") && !NOT_CONFIG.contains(k)) overrides.put(k, v);
        });
        ConfigNode.Context ctx = new ConfigNode.Context(origin, overrides);
        HsdoConfig config = new ConfigLoader(ctx, baseDir.toAbsolutePath()).root(new ConfigNode(ctx, tree, ""));
        for (String var : overrides.keySet()) {
            if (ctx.consumed.contains(var)) continue;
            String close = ConfigNode.closest(var, ctx.known);
            ctx.errors.add(var + ": no configuration key is set by this variable"
                    + (close != null ? " (did you mean " + close + "?)" : ""));
        }
        if (!ctx.errors.isEmpty()) throw new ConfigException(ctx.errors);
        return config;
    }

    private HsdoConfig root(ConfigNode n) {
        n.checkKeys("haproxy", "frontends", "backends", "sources", "reconcile-interval", "drain-period", "guard",
                "admin", "store", "fleet", "peers", "tenants");
        HaproxySettings haproxy = haproxy(n.object("haproxy"));
        List<SourceConfig> sources = new ArrayList<>();
        Map<String, String> sourceNames = new LinkedHashMap<>();
        for (ConfigNode s : n.list("sources")) {
            SourceConfig source = source(s, sourceNames);
            if (source != null) sources.add(source);
        }
        List<BackendConfig> backends = new ArrayList<>();
        Map<String, String> backendNames = new LinkedHashMap<>();
        for (ConfigNode b : nonEmpty(n, "backends")) backends.add(backend(b, backendNames, sourceNames.keySet()));
        checkFallbacks(n, backends);
        FleetConfig fleet = fleet(n.object("fleet"));
        // With the user's own HAProxy, frontends are theirs: hsdo renders none.
        boolean external = fleet.haproxySocket() != null;
        List<FrontendConfig> frontends = new ArrayList<>();
        Map<String, String> frontendNames = new LinkedHashMap<>();
        for (ConfigNode f : external ? n.list("frontends") : nonEmpty(n, "frontends"))
            frontends.add(frontend(f, frontendNames, backends));
        for (int i = 0; i < backends.size(); i++)
            if (backends.get(i).slots() != null && !external)
                n.object("backends[" + i + "]").fail("slots", "template slots live in your own haproxy.cfg: set "
                        + "fleet.haproxy-socket to that HAProxy's Runtime API");
        for (int i = 0; i < backends.size(); i++) {
            BackendConfig b = backends.get(i);
            if (external && b.healthCheck() != null && b.healthCheck().typeIn(b.mode()) == CheckType.EXTERNAL)
                n.object("backends[" + i + "]").object("health-check").fail("type", "external checks need servers "
                        + "rendered into haproxy.cfg and a reload per membership change, which hsdo cannot do for "
                        + "your own HAProxy (fleet.haproxy-socket): use type: mysql or tcp with steps");
        }
        Duration reconcile = n.duration("reconcile-interval", Duration.ofSeconds(1), false);
        Duration drain = n.duration("drain-period", Duration.ofSeconds(10), true);
        ConfigNode guard = n.object("guard");
        guard.checkKeys("max-removal-fraction");
        GuardConfig guardConfig = new GuardConfig(guard.fraction("max-removal-fraction", 0.5));
        AdminConfig admin = admin(n.object("admin"));
        StoreConfig store = store(n.object("store"));
        if (fleet.agentId() == null)
            fleet = fleet.withAgentId(FleetConfig.defaultAgentId(Hosts.name(), admin.bind(), haproxy.runtimeDir()));
        TenantsConfig tenants = n.has("tenants") ? TenantsConfigs.read(n.object("tenants"), frontends, backends,
                haproxy.runtimeDir(), (node, key) -> path(node, key, null)) : null;
        return new HsdoConfig(haproxy, frontends, backends, sources, reconcile, drain, guardConfig, admin, store, fleet,
                peers(n, backends, fleet), tenants);
    }

    /** The peers section: required when a backend is active/backup, and only then. */
    private PeersConfig peers(ConfigNode n, List<BackendConfig> backends, FleetConfig fleet) {
        boolean needed = backends.stream().anyMatch(BackendConfig::activeBackup);
        if (!n.has("peers")) {
            for (int i = 0; i < backends.size(); i++)
                if (backends.get(i).activeBackup())
                    n.object("backends[" + i + "]").fail("active-backup", "needs a top-level peers section "
                            + "(peers.bind: where this HAProxy's peer listener binds)");
            return null;
        }
        PeersConfig peers = CheckConfigs.peers(n.object("peers"), (node, key) -> bind(node, key, null), fleet.agentId());
        if (!needed) n.fail("peers", "no backend has active-backup: true, so no peers section is rendered");
        return peers;
    }

    /** The entries of a list that must have at least one; an empty list is reported unless it was malformed. */
    private List<ConfigNode> nonEmpty(ConfigNode n, String key) {
        int before = ctx.errors.size();
        List<ConfigNode> items = n.list(key);
        if (items.isEmpty() && ctx.errors.size() == before) n.fail(key, "at least one entry is required");
        return items;
    }

    private HaproxySettings haproxy(ConfigNode n) {
        n.checkKeys("binary", "runtime-dir", "maxconn", "threads", "log", "stats-bind", "health-bind", "timeouts",
                "hard-stop-after", "stop-with-hsdo");
        String binary = n.string("binary", "haproxy");
        if (binary.isBlank()) n.fail("binary", "must not be empty");
        else if (binary.contains("/")) binary = resolve(n, "binary", binary).toString();
        Path runtimeDir = path(n, "runtime-dir", "./run");
        // 0: let HAProxy derive maxconn from the file-descriptor limit, which always starts.
        int maxconn = n.integer("maxconn", 0, 0, 10_000_000);
        int threads = n.integer("threads", 1, 1, 64);
        String log = emptyToNull(n.string("log", null));
        String statsBind = bind(n, "stats-bind", null);
        String healthBind = bind(n, "health-bind", null);
        ConfigNode t = n.object("timeouts");
        t.checkKeys("connect", "client", "server");
        return new HaproxySettings(binary, runtimeDir, maxconn, threads, log, statsBind, healthBind,
                t.duration("connect", Duration.ofSeconds(1), false), t.duration("client", Duration.ofSeconds(30), false),
                t.duration("server", Duration.ofSeconds(2), false), n.duration("hard-stop-after", Duration.ofSeconds(30), false),
                n.bool("stop-with-hsdo", false));
    }

    private SourceConfig source(ConfigNode n, Map<String, String> names) {
        String name = name(n, names);
        String type = n.string("type", "file");
        DiscoveryConfigs discovery = new DiscoveryConfigs((node, key) -> path(node, key, null));
        return switch (type) {
            case "file" -> {
                n.checkKeys("name", "type", "path");
                if (!n.has("path")) n.fail("path", "is required");
                yield new FileSourceConfig(name, path(n, "path", "servers.yaml"));
            }
            case "dns" -> dnsSource(n, name);
            case "consul" -> discovery.consul(n, name);
            case "aws-asg" -> discovery.awsAsg(n, name);
            case "aws-ec2-tags" -> discovery.awsEc2Tags(n, name);
            case "etcd-registry" -> discovery.etcdRegistry(n, name);
            default -> {
                n.fail("type", "unknown source type " + Tokens.show(type)
                        + " (supported: file, dns, consul, aws-asg, aws-ec2-tags, etcd-registry)");
                yield null;
            }
        };
    }

    private static SourceConfig dnsSource(ConfigNode n, String name) {
        n.checkKeys("name", "type", "srv", "servers", "refresh", "timeout", "priority-policy", "weight-policy");
        String srv = n.string("srv", null);
        boolean srvOk = srv != null && DnsSourceConfig.isSrvName(srv);
        if (srv == null && !n.has("srv")) n.fail("srv", "is required (e.g. _http._tcp.app.example.com.)");
        else if (srv != null && !srvOk)
            n.fail("srv", "invalid value " + Tokens.show(srv) + " (expected _service._proto.name., e.g. _http._tcp.app.example.com.)");
        List<String> raw = n.strings("servers", List.of());
        List<DnsSourceConfig.Server> servers = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            try {
                servers.add(DnsSourceConfig.Server.parse(raw.get(i)));
            } catch (IllegalArgumentException e) {
                n.fail("servers[" + i + "]", "invalid value " + Tokens.show(raw.get(i)) + " (" + e.getMessage() + ")");
            }
        }
        Duration refresh = n.duration("refresh", Duration.ofSeconds(5), false);
        Duration timeout = n.duration("timeout", Duration.ofSeconds(1), false);
        var priority = choice(n, "priority-policy", DnsSourceConfig.PriorityPolicy.BACKUP);
        var weight = choice(n, "weight-policy", DnsSourceConfig.WeightPolicy.EQUAL);
        if (name == null || !srvOk) return null;
        return new DnsSourceConfig(name, srv, servers, refresh, timeout, priority, weight);
    }

    /** One of an enum's constants, written in lower case in the file. */
    private static <E extends Enum<E>> E choice(ConfigNode n, String key, E def) {
        String s = n.string(key, def.name().toLowerCase(Locale.ROOT));
        List<String> words = new ArrayList<>();
        for (E e : def.getDeclaringClass().getEnumConstants()) {
            String word = e.name().toLowerCase(Locale.ROOT);
            if (word.equals(s.strip().toLowerCase(Locale.ROOT))) return e;
            words.add(word);
        }
        n.fail(key, "unknown value " + Tokens.show(s) + " (expected one of " + String.join(", ", words) + ")");
        return def;
    }

    private BackendConfig backend(ConfigNode n, Map<String, String> names, Set<String> sourceNames) {
        n.checkKeys("name", "mode", "balance", "hash-type", "sources", "retries", "health-check", "server-defaults", "select",
                "timeout-queue", "timeout-server", "slow-start", "zone", "fallback", "slots", "slot-prefix", "active-backup");
        String name = name(n, names);
        Mode mode = mode(n, Mode.HTTP);
        String balance = BalanceRules.normalize(n.string("balance", mode == Mode.HTTP ? "uri" : "roundrobin"));
        String problem = BalanceRules.problem(balance, mode);
        if (problem != null) n.fail("balance", problem);
        String hashType = n.string("hash-type", BalanceRules.isHashing(balance) ? "consistent" : null);
        if (hashType != null) {
            hashType = BalanceRules.normalize(hashType);
            String hashProblem = BalanceRules.hashTypeProblem(hashType);
            if (hashProblem != null) n.fail("hash-type", hashProblem);
        }
        List<String> defaultSources = sourceNames.size() == 1 ? List.copyOf(sourceNames) : List.of();
        List<String> sources = n.strings("sources", defaultSources);
        if (sources.isEmpty()) {
            n.fail("sources", "at least one source is required" + defined(sourceNames));
        }
        for (int i = 0; i < sources.size(); i++) {
            if (!sourceNames.contains(sources.get(i)))
                n.fail("sources[" + i + "]", "unknown source " + Tokens.show(sources.get(i)) + defined(sourceNames));
        }
        int retries = n.integer("retries", 3, 0, 100);
        Selector select = null;
        String selectText = n.string("select", null);
        if (selectText != null) {
            try {
                select = Selector.parse(selectText);
            } catch (IllegalArgumentException e) {
                n.fail("select", e.getMessage());
            }
        }
        Duration queueTimeout = n.duration("timeout-queue", null, false);
        Duration serverTimeout = n.duration("timeout-server", null, false);
        String zoneWord = n.string("zone", ZoneAffinity.ALL.word());
        ZoneAffinity zone = ZoneAffinity.ALL;
        boolean known = false;
        for (ZoneAffinity z : ZoneAffinity.values()) if (z.word().equals(zoneWord)) { zone = z; known = true; }
        if (!known) n.fail("zone", "unknown value " + Tokens.show(zoneWord) + " (expected all, local or other)");
        String fallback = emptyToNull(n.string("fallback", null));
        if (fallback != null && fallback.equals(name)) n.fail("fallback", "a backend cannot be its own fallback");
        SlotsConfig slots = null;
        int count = n.integer("slots", 0, 0, 100_000);
        String prefix = n.string("slot-prefix", "srv");
        if (!Tokens.isName(prefix)) n.fail("slot-prefix", "invalid value " + Tokens.show(prefix) + " (" + NAME_RULE + ")");
        if (count > 0) slots = new SlotsConfig(count, prefix);
        else if (n.has("slot-prefix")) n.fail("slot-prefix", "only applies with slots > 0");
        boolean activeBackup = n.bool("active-backup", false);
        if (activeBackup && slots != null) n.fail("active-backup", "does not work with template slots (slots > 0)");
        ConfigNode check = n.object("health-check");
        return new BackendConfig(name, mode, balance, hashType, sources,
                CheckConfigs.withType(check, healthCheck(check), mode), serverDefaults(n.object("server-defaults")),
                retries, select, queueTimeout, serverTimeout, slowStart(n.object("slow-start")), zone, fallback, slots,
                activeBackup);
    }

    private SlowStartConfig slowStart(ConfigNode n) {
        n.checkKeys("enabled", "min", "max", "increase", "interval");
        SlowStartConfig d = SlowStartConfig.off();
        int max = n.integer("max", d.max(), 1, 256);
        int min = n.integer("min", d.min(), 1, 256);
        if (min > max) n.fail("min", "must not exceed max (" + max + "), got " + min);
        return new SlowStartConfig(n.bool("enabled", d.enabled()), min, max, n.integer("increase", d.increase(), 1, 256),
                n.duration("interval", d.interval(), false));
    }

    /** Every fallback names another backend of the same mode. */
    private static void checkFallbacks(ConfigNode n, List<BackendConfig> backends) {
        for (int i = 0; i < backends.size(); i++) {
            BackendConfig b = backends.get(i);
            if (b.fallback() == null || b.fallback().equals(b.name())) continue;
            BackendConfig f = backends.stream().filter(o -> b.fallback().equals(o.name())).findFirst().orElse(null);
            String key = "backends[" + i + "]";
            if (f == null) n.object(key).fail("fallback", "unknown backend " + Tokens.show(b.fallback())
                    + defined(backends.stream().map(BackendConfig::name).toList()));
            else if (f.mode() != b.mode())
                n.object(key).fail("fallback", "backend " + Tokens.show(f.name()) + " is " + f.mode().word() + ", not " + b.mode().word());
        }
    }

    private HealthCheck healthCheck(ConfigNode n) {
        n.checkKeys("enabled", "method", "path", "inter", "fastinter", "downinter", "rise", "fall", "timeout", "type",
                "mysql-user", "steps", "command");
        String method = n.string("method", "GET");
        if (!METHOD.matcher(method).matches())
            n.fail("method", "invalid value " + Tokens.show(method) + " (an HTTP method: letters, digits, '-', '_')");
        String path = n.string("path", "/");
        if (!CHECK_PATH.matcher(path).matches())
            n.fail("path", "invalid value " + Tokens.show(path) + " (starts with '/', no spaces, quotes or backslashes)");
        return new HealthCheck(n.bool("enabled", true), method, path,
                n.duration("inter", Duration.ofSeconds(2), false), n.duration("fastinter", Duration.ofMillis(500), false),
                n.duration("downinter", Duration.ofSeconds(2), false), n.integer("rise", 2, 1, 100),
                n.integer("fall", 3, 1, 100), n.duration("timeout", Duration.ofMillis(500), false));
    }

    private ServerDefaults serverDefaults(ConfigNode n) {
        n.checkKeys("weight", "maxconn", "ssl", "ssl-verify");
        return new ServerDefaults(n.integer("weight", 100, 0, 256), n.integer("maxconn", 0, 0, 10_000_000),
                n.bool("ssl", false), n.bool("ssl-verify", false));
    }

    private FrontendConfig frontend(ConfigNode n, Map<String, String> names, List<BackendConfig> backends) {
        n.checkKeys("name", "bind", "mode", "default-backend", "use-backends");
        String name = name(n, names);
        String bind = bind(n, "bind", null);
        if (bind == null && !n.has("bind")) n.fail("bind", "is required");
        List<String> defined = backends.stream().map(BackendConfig::name).toList();
        String backendName = n.string("default-backend", backends.size() == 1 ? backends.get(0).name() : null);
        BackendConfig backend = backends.stream().filter(b -> b.name() != null && b.name().equals(backendName)).findFirst().orElse(null);
        if (backendName == null) n.fail("default-backend", "is required" + defined(defined));
        else if (backend == null) n.fail("default-backend", "unknown backend " + Tokens.show(backendName) + defined(defined));
        Mode mode = mode(n, backend == null ? Mode.HTTP : backend.mode());
        if (backend != null && mode == Mode.HTTP && backend.mode() == Mode.TCP)
            n.fail("mode", "an http frontend cannot use tcp backend " + Tokens.show(backendName));
        List<UseBackend> rules = new ArrayList<>();
        for (ConfigNode r : n.list("use-backends")) {
            UseBackend rule = FrontendRules.rule(r, mode, backends);
            if (rule != null) rules.add(rule);
        }
        return new FrontendConfig(name, bind, mode, backendName, rules);
    }

    private AdminConfig admin(ConfigNode n) {
        n.checkKeys("bind", "token");
        String token = emptyToNull(n.secret("token"));
        String bind = n.has("bind") && n.string("bind", "").isEmpty() ? null : bind(n, "bind", "127.0.0.1:9090");
        if (bind != null && token == null && !BindAddress.parse(bind).isLoopback())
            n.fail("bind", Tokens.show(bind) + " is not a loopback address: set admin.token (HSDO_ADMIN_TOKEN) to expose the admin API");
        return new AdminConfig(bind, token);
    }

    private StoreConfig store(ConfigNode n) {
        String type = n.string("type", "file");
        StoreConfig defaults = new StoreConfig("file", null);
        Duration poll = n.duration("poll-interval", defaults.pollInterval(), false);
        Duration timeout = n.duration("timeout", defaults.timeout(), false);
        String prefix = n.string("prefix", defaults.prefix());
        if (prefix.isEmpty() || !STORE_PREFIX.matcher(prefix).matches())
            n.fail("prefix", "invalid value " + Tokens.show(prefix) + " (letters, digits, '/', '-', '_', '.')");
        switch (type) {
            case "file" -> {
                n.checkKeys("type", "path");
                return new StoreConfig(type, path(n, "path", "./state/plan.json"));
            }
            case "etcd" -> {
                n.checkKeys("type", "endpoints", "prefix", "poll-interval", "timeout");
                List<String> endpoints = n.strings("endpoints", List.of());
                if (endpoints.isEmpty()) n.fail("endpoints", "at least one etcd URL is required, e.g. http://127.0.0.1:2379");
                for (int i = 0; i < endpoints.size(); i++)
                    if (!HTTP_URL.matcher(endpoints.get(i)).matches())
                        n.fail("endpoints[" + i + "]", "invalid value " + Tokens.show(endpoints.get(i)) + " (http://host:port or https://host:port)");
                return new StoreConfig(type, null, endpoints, prefix, null, null, null, poll, timeout);
            }
            case "dynamodb" -> {
                n.checkKeys("type", "table", "region", "endpoint", "prefix", "poll-interval", "timeout");
                String table = n.string("table", null);
                if (table == null) n.fail("table", "is required");
                else if (!DYNAMO_TABLE.matcher(table).matches())
                    n.fail("table", "invalid value " + Tokens.show(table) + " (3..255 letters, digits, '_', '-', '.')");
                String endpoint = emptyToNull(n.string("endpoint", null));
                if (endpoint != null && !HTTP_URL.matcher(endpoint).matches())
                    n.fail("endpoint", "invalid value " + Tokens.show(endpoint) + " (http://host:port or https://host:port)");
                return new StoreConfig(type, null, List.of(), prefix, table, emptyToNull(n.string("region", null)), endpoint,
                        poll, timeout);
            }
            default -> {
                n.fail("type", "unknown store type " + Tokens.show(type) + " (supported: file, etcd, dynamodb)");
                return defaults;
            }
        }
    }

    private FleetConfig fleet(ConfigNode n) {
        n.checkKeys("agent-id", "zone", "controller-id", "lease-ttl", "status-ttl", "haproxy-socket");
        FleetConfig d = FleetConfig.defaults();
        // Unset: derived from the host and the admin port once those are known.
        String agentId = n.string("agent-id", null);
        if (agentId != null && !Tokens.isName(agentId)) n.fail("agent-id", "invalid value " + Tokens.show(agentId) + " (" + NAME_RULE + ")");
        String controllerId = n.string("controller-id", d.controllerId());
        if (!Tokens.isName(controllerId))
            n.fail("controller-id", "invalid value " + Tokens.show(controllerId) + " (" + NAME_RULE + ")");
        String zone = emptyToNull(n.string("zone", null));
        if (zone != null && !Tokens.isZone(zone)) n.fail("zone", "invalid value " + Tokens.show(zone) + " (letters, digits, '-', '_', '.')");
        Duration lease = n.duration("lease-ttl", d.leaseTtl(), false);
        if (lease.toMillis() > 0 && lease.toSeconds() < 2) n.fail("lease-ttl", "must be at least 2s, got " + lease.toMillis() + "ms");
        Duration status = n.duration("status-ttl", d.statusTtl(), false);
        if (status.toMillis() > 0 && status.toSeconds() < 2) n.fail("status-ttl", "must be at least 2s, got " + status.toMillis() + "ms");
        String socket = emptyToNull(n.string("haproxy-socket", null));
        if (socket != null && !RUNTIME_API.matcher(socket).matches())
            n.fail("haproxy-socket", "invalid value " + Tokens.show(socket)
                    + " (a unix socket path, unix@/path, ipv4@HOST:PORT or HOST:PORT)");
        return new FleetConfig(agentId, zone, controllerId, lease, status, socket);
    }

    /** The validated, unique {@code name} of a list entry; {@code seen} maps names to the entry that took them. */
    private static String name(ConfigNode n, Map<String, String> seen) {
        String name = n.string("name", null);
        if (name == null) {
            if (!n.has("name")) n.fail("name", "is required");
        } else if (!Tokens.isName(name)) {
            n.fail("name", "invalid value " + Tokens.show(name) + " (" + NAME_RULE + ")");
        } else {
            String other = seen.putIfAbsent(name, n.path());
            if (other != null) n.fail("name", "duplicate name " + Tokens.show(name) + " (also " + other + ")");
        }
        return name;
    }

    private static Mode mode(ConfigNode n, Mode def) {
        String s = n.string("mode", def.word());
        for (Mode m : Mode.values()) if (m.word().equals(s.toLowerCase(Locale.ROOT))) return m;
        n.fail("mode", "unknown value " + Tokens.show(s) + " (expected http or tcp)");
        return def;
    }

    /** A {@code host:port} value, {@code def} when absent, null when invalid; also checks that no other bind took the same port. */
    private String bind(ConfigNode n, String key, String def) {
        String s = n.string(key, def);
        if (s == null) return null;
        BindAddress address;
        try {
            address = BindAddress.parse(s);
        } catch (IllegalArgumentException e) {
            n.fail(key, "invalid address " + Tokens.show(s) + " (" + e.getMessage() + ")");
            return null;
        }
        String other = ports.putIfAbsent(address.port(), n.child(key));
        if (other != null) n.fail(key, "port " + address.port() + " is also used by " + other);
        return s;
    }

    private Path path(ConfigNode n, String key, String def) {
        return resolve(n, key, n.string(key, def));
    }

    private Path resolve(ConfigNode n, String key, String value) {
        try {
            return baseDir.resolve(value).normalize();
        } catch (InvalidPathException e) {
            n.fail(key, "invalid path " + Tokens.show(value) + " (" + e.getReason() + ")");
            return baseDir;
        }
    }

    private static String defined(java.util.Collection<String> names) {
        return names.isEmpty() ? " (none defined)" : " (defined: " + String.join(", ", names) + ")";
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
