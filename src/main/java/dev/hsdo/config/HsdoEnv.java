package dev.hsdo.config;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hsdo.model.Tokens;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HSDO's environment variables (BedrockStreaming/hsdo, its {@code conf/env.yaml} names and defaults) as the
 * configuration of {@code hsdo controller} and {@code hsdo agent}, so that a deployment can switch without
 * rewriting its environment. The variables become a configuration tree that {@link ConfigLoader} validates
 * like a file (so {@code HSDO_*} overrides still apply), and every problem names the variable.
 *
 * <p>HSDO's server and client both become slots mode on the user's own HAProxy: the main backend and,
 * with a fallback, a second one, each filled from its {@code server-template}.
 */
public final class HsdoEnv {
    /** The variables and their defaults, in the order the README lists them; null means none. */
    public static final Map<String, String> DEFAULTS = defaults();
    /** Names of older HSDO versions (or of its README) that hsdo does not read, with the name it reads. */
    private static final Map<String, String> RENAMED = renamed();
    private static final String ORIGIN = "hsdo-env";
    private static final String SOURCE = "hsdo";
    private static final EnvBlame BLAME = new EnvBlame(ORIGIN, keyVariables());

    /** Which command reads the variables: each needs only its own side's. */
    public enum Role {
        /** {@code hsdo controller}: HSDO's server. */
        CONTROLLER,
        /** {@code hsdo agent}: HSDO's client. */
        AGENT
    }

    /**
     * What the environment says.
     *
     * @param config   the validated configuration
     * @param debug    {@code DEBUG=true}: log at debug level
     * @param warnings variables that are set but not used, each with the reason
     */
    public record Parsed(HsdoConfig config, boolean debug, List<String> warnings) {
        public Parsed {
            warnings = List.copyOf(warnings);
        }
    }

    private HsdoEnv() {}

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("SERVER_MODE", null);
        d.put("SERVER_ASG_NAMES", null);
        d.put("SERVER_CONSUL_API_URL", null);
        d.put("SERVER_CONSUL_SERVICE_NAME", null);
        d.put("SERVER_HAPROXY_BACKEND_SERVER_MIN_WEIGHT", "1");
        d.put("SERVER_HAPROXY_BACKEND_SERVER_MAX_WEIGHT", "10");
        d.put("SERVER_HAPROXY_BACKEND_SERVER_INCREASE_WEIGHT", "1");
        d.put("SERVER_HAPROXY_BACKEND_SERVER_INCREASE_WEIGHT_INTERVAL", "30");
        d.put("CLIENT_HAPROXY_SOCKET_PATH", "/var/run/haproxy/admin.sock");
        d.put("CLIENT_HAPROXY_BACKEND_NAME", null);
        d.put("CLIENT_HAPROXY_BACKEND_BASE_NAME", null);
        d.put("CLIENT_HAPROXY_BACKEND_SERVER_PORT", "80");
        d.put("CLIENT_DEDICATED_ASG", "false");
        d.put("CLIENT_ASG_NAMES", null);
        d.put("CLIENT_HAPROXY_FALLBACK_BACKEND_NAME", null);
        d.put("CLIENT_HAPROXY_FALLBACK_BACKEND_BASE_NAME", null);
        d.put("CLIENT_ALL_SERVERS_IN_FALLBACK_BACKEND", "false");
        d.put("INTERVAL", "1");
        d.put("HAPROXY_BACKEND_SERVERS_LIST_SIZE", "10");
        d.put("DEBUG", "false");
        d.put("DYNAMODB_TABLE_NAME", null);
        d.put("AWS_DEFAULT_REGION", "eu-west-1");
        d.put("EXPORTER_PORT", "9000");
        return java.util.Collections.unmodifiableMap(d);
    }

    private static Map<String, String> renamed() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("CONSUL_API_URL", "SERVER_CONSUL_API_URL");
        m.put("CONSUL_SERVICE_NAME", "SERVER_CONSUL_SERVICE_NAME");
        m.put("HAPROXY_SOCKET_PATH", "CLIENT_HAPROXY_SOCKET_PATH");
        m.put("HAPROXY_BACKEND_NAME", "CLIENT_HAPROXY_BACKEND_NAME");
        m.put("HAPROXY_BACKEND_BASE_NAME", "CLIENT_HAPROXY_BACKEND_BASE_NAME");
        m.put("HAPROXY_BACKEND_SERVER_PORT", "CLIENT_HAPROXY_BACKEND_SERVER_PORT");
        m.put("HAPROXY_FALLBACK_BACKEND_NAME", "CLIENT_HAPROXY_FALLBACK_BACKEND_NAME");
        m.put("HAPROXY_FALLBACK_BACKEND_BASE_NAME", "CLIENT_HAPROXY_FALLBACK_BACKEND_BASE_NAME");
        m.put("AZ_LIMITER", "CLIENT_DEDICATED_ASG");
        m.put("ALL_SERVERS_IN_FALLBACK_BACKEND", "CLIENT_ALL_SERVERS_IN_FALLBACK_BACKEND");
        for (String w : List.of("MIN_WEIGHT", "MAX_WEIGHT", "INCREASE_WEIGHT", "INCREASE_WEIGHT_INTERVAL"))
            m.put("HAPROXY_BACKEND_SERVER_" + w, "SERVER_HAPROXY_BACKEND_SERVER_" + w);
        return java.util.Collections.unmodifiableMap(m);
    }

    private static Map<String, String> keyVariables() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("sources[0].groups", "SERVER_ASG_NAMES");
        m.put("sources[0].address", "SERVER_CONSUL_API_URL");
        m.put("sources[0].services", "SERVER_CONSUL_SERVICE_NAME");
        m.put("sources[0].port", "CLIENT_HAPROXY_BACKEND_SERVER_PORT");
        m.put("sources[0].region", "AWS_DEFAULT_REGION");
        m.put("sources[0].interval", "INTERVAL");
        for (int i = 0; i < 2; i++) {
            String b = "backends[" + i + "].";
            String side = i == 0 ? "CLIENT_HAPROXY_" : "CLIENT_HAPROXY_FALLBACK_";
            m.put(b + "name", side + "BACKEND_NAME");
            m.put(b + "slot-prefix", side + "BACKEND_BASE_NAME");
            m.put(b + "fallback", "CLIENT_HAPROXY_FALLBACK_BACKEND_NAME");
            m.put(b + "slots", "HAPROXY_BACKEND_SERVERS_LIST_SIZE");
            m.put(b + "server-defaults.weight", "SERVER_HAPROXY_BACKEND_SERVER_MAX_WEIGHT");
            m.put(b + "slow-start.min", "SERVER_HAPROXY_BACKEND_SERVER_MIN_WEIGHT");
            m.put(b + "slow-start.max", "SERVER_HAPROXY_BACKEND_SERVER_MAX_WEIGHT");
            m.put(b + "slow-start.increase", "SERVER_HAPROXY_BACKEND_SERVER_INCREASE_WEIGHT");
            m.put(b + "slow-start.interval", "SERVER_HAPROXY_BACKEND_SERVER_INCREASE_WEIGHT_INTERVAL");
        }
        m.put("fleet.haproxy-socket", "CLIENT_HAPROXY_SOCKET_PATH");
        m.put("store.table", "DYNAMODB_TABLE_NAME");
        m.put("store.region", "AWS_DEFAULT_REGION");
        m.put("store.poll-interval", "INTERVAL");
        m.put("reconcile-interval", "INTERVAL");
        m.put("admin.bind", "EXPORTER_PORT");
        return m;
    }

    /** Whether this environment is an HSDO deployment's: {@code SERVER_MODE}, or a client's socket or backend. */
    public static boolean present(Map<String, String> env) {
        for (String v : List.of("SERVER_MODE", "CLIENT_HAPROXY_SOCKET_PATH", "CLIENT_HAPROXY_BACKEND_NAME"))
            if (env.get(v) != null && !env.get(v).isBlank()) return true;
        return false;
    }

    /**
     * Reads the environment for {@code role}.
     *
     * @param baseDir what relative paths resolve against (the working directory)
     * @throws ConfigException listing every problem, each starting with the variable's name
     */
    public static Parsed parse(Map<String, String> env, Role role, Path baseDir) {
        List<String> errors = new ArrayList<>();
        Map<String, String> v = new LinkedHashMap<>();
        // As in HSDO, an empty value is its default (env.yaml's defaults are mostly empty strings).
        DEFAULTS.forEach((name, def) -> {
            String value = env.get(name);
            v.put(name, value == null || value.isBlank() ? def : value.strip());
        });
        boolean dedicated = bool(v, "CLIENT_DEDICATED_ASG", errors);
        boolean allInFallback = bool(v, "CLIENT_ALL_SERVERS_IN_FALLBACK_BACKEND", errors);
        boolean debug = bool(v, "DEBUG", errors);
        String interval = seconds(v, "INTERVAL", errors);
        // Checked in every mode, although only aws mode uses it: a typo must not wait for a switch to aws to surface.
        String port = v.get("CLIENT_HAPROXY_BACKEND_SERVER_PORT");
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535)
            errors.add("CLIENT_HAPROXY_BACKEND_SERVER_PORT: invalid value " + Tokens.show(port) + " (a TCP port, 1..65535)");

        ObjectNode root = JsonNodeFactory.instance.objectNode();
        source(root.putArray("sources").addObject().put("name", SOURCE), v, role, interval, errors);

        ArrayNode backends = root.putArray("backends");
        ObjectNode main = backend(backends, v, "CLIENT_HAPROXY_BACKEND_NAME", "CLIENT_HAPROXY_BACKEND_BASE_NAME", errors);
        if (dedicated || allInFallback) {
            ObjectNode fallback = backend(backends, v, "CLIENT_HAPROXY_FALLBACK_BACKEND_NAME",
                    "CLIENT_HAPROXY_FALLBACK_BACKEND_BASE_NAME", errors);
            if (fallback.has("name")) main.put("fallback", v.get("CLIENT_HAPROXY_FALLBACK_BACKEND_NAME"));
            // HSDO's "dedicated ASG" keeps this agent's own servers in the main backend, the others in the fallback.
            if (dedicated) main.put("zone", ZoneAffinity.LOCAL.word());
            fallback.put("zone", (allInFallback ? ZoneAffinity.ALL : ZoneAffinity.OTHER).word());
        }
        if (!dedicated && !allInFallback && v.get("CLIENT_HAPROXY_FALLBACK_BACKEND_NAME") != null)
            errors.add("CLIENT_HAPROXY_FALLBACK_BACKEND_NAME: set to " + Tokens.show(v.get("CLIENT_HAPROXY_FALLBACK_BACKEND_NAME"))
                    + " but not used (set CLIENT_DEDICATED_ASG or CLIENT_ALL_SERVERS_IN_FALLBACK_BACKEND to true, or unset it)");

        if (interval != null) root.put("reconcile-interval", interval);
        // HSDO removed a server from its slot at once; its HAProxy health checks did the rest.
        root.put("drain-period", "0s");
        root.putObject("admin").put("bind", "127.0.0.1:" + v.get("EXPORTER_PORT"));
        ObjectNode store = root.putObject("store").put("type", "dynamodb").put("region", v.get("AWS_DEFAULT_REGION"));
        if (required(v, "DYNAMODB_TABLE_NAME", errors)) store.put("table", v.get("DYNAMODB_TABLE_NAME"));
        if (interval != null) store.put("poll-interval", interval);
        root.putObject("fleet").put("haproxy-socket", v.get("CLIENT_HAPROXY_SOCKET_PATH"));

        HsdoConfig config = null;
        try {
            config = ConfigLoader.parse(root.toString(), baseDir, env, ORIGIN);
        } catch (ConfigException e) {
            for (String line : e.errors()) errors.add(BLAME.blame(line));
        }
        if (config != null && role == Role.AGENT && dedicated && config.fleet().zone() == null)
            errors.add("CLIENT_DEDICATED_ASG: true needs this agent's availability zone in HSDO_FLEET_ZONE (e.g. eu-west-1a):"
                    + " hsdo keeps the servers of the agent's zone in the main backend, the others in the fallback");
        if (!errors.isEmpty()) throw new ConfigException(firstPerVariable(errors));
        return new Parsed(config, debug, warnings(env, v, role, dedicated));
    }

    /** The source: SERVER_MODE's for the controller; the agent never reads sources, so it may go without. */
    private static void source(ObjectNode s, Map<String, String> v, Role role, String interval, List<String> errors) {
        String mode = v.get("SERVER_MODE");
        if (mode == null || !List.of("aws", "consul").contains(mode)) {
            if (role == Role.CONTROLLER)
                errors.add("SERVER_MODE: " + (mode == null ? "is required" : "invalid value " + Tokens.show(mode)) + " (expected aws or consul)");
            // Backends must name a source; the agent never opens it.
            s.put("type", "file").put("path", "unused-by-the-agent.yaml");
            return;
        }
        switch (mode) {
            case "aws" -> {
                s.put("type", "aws-asg").put("region", v.get("AWS_DEFAULT_REGION"))
                        .put("port", v.get("CLIENT_HAPROXY_BACKEND_SERVER_PORT"));
                if (v.get("SERVER_ASG_NAMES") != null) list(s.putArray("groups"), v.get("SERVER_ASG_NAMES"));
                // HSDO polled AWS every INTERVAL; AWS rate-limits, so hsdo polls at most once a second.
                if (interval != null) s.put("interval", Durations.parse(interval).toMillis() < 1000 ? "1s" : interval);
            }
            case "consul" -> {
                s.put("type", "consul").put("health", "any");
                if (required(v, "SERVER_CONSUL_API_URL", errors)) s.put("address", v.get("SERVER_CONSUL_API_URL"));
                if (v.get("SERVER_CONSUL_SERVICE_NAME") != null) list(s.putArray("services"), v.get("SERVER_CONSUL_SERVICE_NAME"));
            }
            default -> throw new IllegalStateException(mode);
        }
    }

    /** A slots backend from a name and a template base name variable, with HSDO's weights ramp. */
    private static ObjectNode backend(ArrayNode backends, Map<String, String> v, String nameVar, String baseVar, List<String> errors) {
        ObjectNode b = backends.addObject();
        if (required(v, nameVar, errors)) b.put("name", v.get(nameVar));
        b.putArray("sources").add(SOURCE);
        // Slot mode is what HSDO did: 0 would mean dynamic servers, which its server-template config does not have.
        String size = v.get("HAPROXY_BACKEND_SERVERS_LIST_SIZE");
        if (!size.matches("[0-9]{1,6}") || Integer.parseInt(size) < 1 || Integer.parseInt(size) > 100_000) {
            errors.add("HAPROXY_BACKEND_SERVERS_LIST_SIZE: invalid value " + Tokens.show(size)
                    + " (the size of the server-template, an integer 1..100000)");
        } else {
            b.put("slots", size);
            if (required(v, baseVar, errors)) b.put("slot-prefix", v.get(baseVar));
        }
        String max = v.get("SERVER_HAPROXY_BACKEND_SERVER_MAX_WEIGHT");
        b.putObject("server-defaults").put("weight", max);
        ObjectNode ramp = b.putObject("slow-start").put("enabled", true)
                .put("min", v.get("SERVER_HAPROXY_BACKEND_SERVER_MIN_WEIGHT")).put("max", max)
                .put("increase", v.get("SERVER_HAPROXY_BACKEND_SERVER_INCREASE_WEIGHT"));
        String every = seconds(v, "SERVER_HAPROXY_BACKEND_SERVER_INCREASE_WEIGHT_INTERVAL", errors);
        if (every != null) ramp.put("interval", every);
        return b;
    }

    /**
     * One line per variable: one variable feeds several keys (MAX_WEIGHT is the weight and the ramp's steps),
     * whose checks would otherwise say the same thing several times.
     */
    private static List<String> firstPerVariable(List<String> errors) {
        Map<String, String> first = new LinkedHashMap<>();
        for (String e : errors) {
            int colon = e.indexOf(": ");
            String head = colon < 0 ? e : e.substring(0, colon);
            first.putIfAbsent(DEFAULTS.containsKey(head) ? head : e, e);
        }
        return List.copyOf(first.values());
    }

    private static boolean required(Map<String, String> v, String name, List<String> errors) {
        if (v.get(name) != null) return true;
        if (!errors.contains(name + ": is required")) errors.add(name + ": is required");
        return false;
    }

    private static void list(ArrayNode into, String commaSeparated) {
        for (String s : commaSeparated.split(",", -1)) into.add(s.strip());
    }

    /** HSDO compared with the string {@code "true"}; anything but true or false is refused rather than read as false. */
    private static boolean bool(Map<String, String> v, String name, List<String> errors) {
        String s = v.get(name).toLowerCase(Locale.ROOT);
        if (s.equals("true") || s.equals("false")) return s.equals("true");
        errors.add(name + ": invalid value " + Tokens.show(v.get(name)) + " (expected true or false)");
        return false;
    }

    /** A positive number of seconds ({@code 1}, {@code 0.5}) as whole milliseconds, or null when invalid (reported). */
    private static String seconds(Map<String, String> v, String name, List<String> errors) {
        String s = v.get(name);
        try {
            BigDecimal millis = new BigDecimal(s).movePointRight(3);
            if (millis.signum() > 0 && millis.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) <= 0
                    && millis.stripTrailingZeros().scale() <= 0) return millis.longValueExact() + "ms";
        } catch (NumberFormatException | ArithmeticException e) {
            // reported below
        }
        errors.add(name + ": invalid value " + Tokens.show(s) + " (expected a positive number of seconds, e.g. 1 or 0.5)");
        return null;
    }

    /** Variables set but not used, so that an operator hears about them. */
    private static List<String> warnings(Map<String, String> env, Map<String, String> v, Role role, boolean dedicated) {
        List<String> out = new ArrayList<>();
        RENAMED.forEach((old, now) -> {
            if (env.containsKey(old)) out.add(old + " is not read: its name is " + now);
        });
        if (env.containsKey("CLIENT_USE_MANAGED_WEIGHTS_BY_HSDO") && !"true".equals(env.get("CLIENT_USE_MANAGED_WEIGHTS_BY_HSDO")))
            out.add("CLIENT_USE_MANAGED_WEIGHTS_BY_HSDO is not read: hsdo always sets the weights it plans");
        if (v.get("CLIENT_ASG_NAMES") != null)
            out.add("CLIENT_ASG_NAMES is not read: " + (dedicated ? "the main backend takes the servers of this agent's zone (HSDO_FLEET_ZONE)"
                    : "it only matters with CLIENT_DEDICATED_ASG=true"));
        String port = env.get("CLIENT_HAPROXY_BACKEND_SERVER_PORT");
        if ("consul".equals(v.get("SERVER_MODE")) && port != null && !port.isBlank())
            out.add("CLIENT_HAPROXY_BACKEND_SERVER_PORT is not used in consul mode: each server's port is the one"
                    + " its Consul service instance registered");
        if (role == Role.AGENT && v.get("SERVER_MODE") == null)
            for (String s : List.of("SERVER_ASG_NAMES", "SERVER_CONSUL_API_URL", "SERVER_CONSUL_SERVICE_NAME"))
                if (v.get(s) != null) out.add(s + " is not read by hsdo agent (the controller reads the sources)");
        return List.copyOf(out);
    }
}
