package dev.hsdo.haproxy;

import dev.hsdo.config.BackendConfig;
import dev.hsdo.config.CheckType;
import dev.hsdo.config.PeerConfig;
import dev.hsdo.config.PeersConfig;
import dev.hsdo.config.TcpCheckStep;
import dev.hsdo.config.FrontendConfig;
import dev.hsdo.config.HaproxySettings;
import dev.hsdo.config.HealthCheck;
import dev.hsdo.config.HsdoConfig;
import dev.hsdo.config.Mode;
import dev.hsdo.config.UseBackend;
import dev.hsdo.model.BackendPlan;
import dev.hsdo.model.Plan;
import dev.hsdo.model.ServerPlan;
import dev.hsdo.model.Tokens;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Renders {@code haproxy.cfg} from the validated config and the current plan. Pure and deterministic: the
 * same inputs give the same text byte for byte, with no timestamp, so an unchanged file is never rewritten.
 *
 * <p>HTTP backends get the set DESIGN.md measured as safe (retries with redispatch, retry-on, the method
 * guard, an HTTP check with a short timeout). Servers are written as static lines with their explicit ids
 * ({@link ServerLine}); the renderer writes no {@code default-server} line, because HAProxy does not apply it
 * to dynamic servers, and a server must be configured the same whether it was added at runtime or read from
 * this file after a reload.
 *
 * <p>Every value comes from validated config, yet the renderer still refuses control characters, {@code #}
 * (which starts a comment) and, in single-word values, white space: one bad value must never be able to add
 * a line to the config.
 */
public final class ConfigRenderer {
    private static final String HEADER = "# rendered by hsdo from plan ";
    private static final String SERVER = "  server ";
    private static final String STATS_FRONTEND = "hsdo-stats";
    private static final String HEALTH_FRONTEND = "hsdo-health";
    /** The name of the peers section active/backup backends share their stick tables through. */
    public static final String PEERS_SECTION = "hsdo";
    private static final String EXTERNAL_CHECK = "option external-check";
    // The keywords of a server line the Runtime API changes without a reload (see ServerLine).
    private static final java.util.regex.Pattern RUNTIME_SETTABLE = java.util.regex.Pattern.compile(" weight \\d+| disabled$");

    private ConfigRenderer() {}

    /**
     * The whole config: global, defaults, the optional stats and health frontends, the configured frontends,
     * and every configured backend with the plan's servers.
     *
     * @throws IllegalArgumentException when a value could break the config's syntax, or the plan names a
     *                                  backend the config does not have
     */
    public static String render(HsdoConfig config, Plan plan, RuntimePaths paths) {
        return render(config, plan, paths, config.peers() == null ? List.of() : config.peers().staticPeers());
    }

    /**
     * The whole config with {@code remotePeers} as the other HAProxies of the peers section (the local peer is
     * always added from {@code config.peers()}); a peer named like the local one is left out. The peers are
     * written sorted by name, so the same fleet gives the same text whatever order it was discovered in.
     */
    public static String render(HsdoConfig config, Plan plan, RuntimePaths paths, List<PeerConfig> remotePeers) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(remotePeers, "remotePeers");
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(paths, "paths");
        for (BackendPlan b : plan.backends())
            if (config.backend(b.name()) == null)
                throw new IllegalArgumentException("plan " + plan.generation() + ": backend " + b.name()
                        + " is not in the config, so its servers cannot be rendered");
        StringBuilder out = new StringBuilder();
        out.append(HEADER).append("generation ").append(plan.generation()).append(" digest ").append(plan.digest())
                .append('\n');
        PeersConfig peers = config.hasActiveBackup() ? config.peers() : null;
        if (config.hasActiveBackup() && peers == null)
            throw new IllegalArgumentException("an active-backup backend needs a peers section (peers.bind)");
        global(out, config.haproxy(), paths);
        if (peers != null) line(out, "localpeer " + token("peers.localName", peers.localName()));
        if (config.backends().stream().anyMatch(b -> b.activeBackup() && b.mode() == Mode.HTTP))
            line(out, "lua-load " + token("runtime paths: config file", AwaitStickLua.beside(paths.configFile()).toString()));
        if (config.backends().stream().anyMatch(ConfigRenderer::serversFromFileOnly)) {
            // External checks fork a program: HAProxy refuses to unless told so in global ("external-check";
            // and since 2.6 "insecure-fork-wanted", without which any fork is refused).
            line(out, "external-check");
            line(out, "insecure-fork-wanted");
        }
        defaults(out, config.haproxy());
        if (peers != null) peers(out, peers, remotePeers);
        String statsBind = config.haproxy().statsBind();
        if (statsBind != null && !statsBind.isBlank()) {
            section(out, "frontend " + STATS_FRONTEND);
            line(out, "bind " + words("haproxy.statsBind", statsBind));
            line(out, "mode http");
            line(out, "stats enable");
            line(out, "stats uri /");
            line(out, "stats refresh 5s");
        }
        String healthBind = config.haproxy().healthBind();
        if (healthBind != null && !healthBind.isBlank()) {
            section(out, "frontend " + HEALTH_FRONTEND);
            line(out, "bind " + words("haproxy.healthBind", healthBind));
            line(out, "mode http");
            line(out, "monitor-uri /healthz");
        }
        boolean logging = config.haproxy().log() != null && !config.haproxy().log().isBlank();
        for (FrontendConfig f : config.frontends()) frontend(out, f, config.backend(f.defaultBackend()), logging,
                config.tenants() != null && config.tenants().frontends().contains(f.name()) ? config.tenants() : null);
        for (BackendConfig b : config.backends()) backend(out, b, plan.backend(b.name()));
        return out.toString();
    }

    /**
     * The rendered text without its header comment and server lines: what only a reload can change. Two
     * renderings with equal skeletons differ only in servers, which the Runtime API can change live.
     *
     * <p>Except in a backend with {@code option external-check}: HAProxy 2.6 and 3.0 stop answering the
     * Runtime API once a server with an external check is added at runtime, so that backend's servers come
     * from this file only. Its server lines stay in the skeleton (a member joining, leaving or changing means
     * a reload), less their weight and {@code disabled}, which the Runtime API still sets live.
     */
    public static String skeleton(String rendered) {
        StringBuilder out = new StringBuilder();
        boolean external = false;
        for (String l : (Iterable<String>) rendered.lines()::iterator) {
            if (l.startsWith(HEADER)) continue;
            if (!l.startsWith(" ")) external = false;
            else if (l.equals("  " + EXTERNAL_CHECK)) external = true;
            if (l.startsWith(SERVER)) {
                if (!external) continue;
                l = RUNTIME_SETTABLE.matcher(l).replaceAll("");
            }
            out.append(l).append('\n');
        }
        return out.toString();
    }

    /**
     * Whether {@code backend} gets its servers from the config file only, with a reload for every change of
     * its members, rather than from the Runtime API (see {@link #skeleton}).
     */
    public static boolean serversFromFileOnly(BackendConfig backend) {
        return backend.healthCheck() != null && backend.healthCheck().enabled()
                && backend.healthCheck().typeIn(backend.mode()) == CheckType.EXTERNAL;
    }

    /** SHA-256 (hex) of {@link #skeleton}: compare the digests of the old and new file to decide on a reload. */
    public static String skeletonDigest(String rendered) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(skeleton(rendered).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static void global(StringBuilder out, HaproxySettings h, RuntimePaths paths) {
        section(out, "global");
        line(out, "master-worker");
        // expose-fd lets a new process take the listening sockets over from this socket, as the master does.
        line(out, "stats socket " + token("runtime paths: admin socket", paths.adminSocket().toString())
                + " mode 600 level admin expose-fd listeners");
        line(out, "stats timeout 2m");
        if (h.maxconn() > 0) line(out, "maxconn " + h.maxconn());
        if (h.threads() > 0) line(out, "nbthread " + h.threads());
        line(out, "hard-stop-after " + duration("haproxy.hardStopAfter", h.hardStopAfter()));
        if (h.log() != null && !h.log().isBlank()) line(out, "log " + words("haproxy.log", h.log()));
    }

    private static void defaults(StringBuilder out, HaproxySettings h) {
        section(out, "defaults");
        line(out, "mode http");
        if (h.log() != null && !h.log().isBlank()) {
            line(out, "log global");
            line(out, "option dontlognull");
        }
        line(out, "timeout connect " + duration("haproxy.timeoutConnect", h.timeoutConnect()));
        line(out, "timeout client " + duration("haproxy.timeoutClient", h.timeoutClient()));
        line(out, "timeout server " + duration("haproxy.timeoutServer", h.timeoutServer()));
        line(out, "timeout http-request 10s");
        line(out, "timeout queue 2s");
    }

    private static void frontend(StringBuilder out, FrontendConfig f, BackendConfig backend, boolean logging,
                                 dev.hsdo.config.TenantsConfig tenants) {
        String where = "frontends[" + f.name() + "]";
        section(out, "frontend " + token("frontends: name", f.name()));
        line(out, "bind " + words(where + ".bind", f.bind()));
        line(out, "mode " + mode(where, f.mode()).word());
        // The log format follows the mode: httplog on a tcp frontend would only draw a warning.
        if (logging) line(out, f.mode() == Mode.HTTP ? "option httplog" : "option tcplog");
        for (UseBackend rule : f.useBackends()) line(out, useBackend(where, rule));
        if (tenants != null) for (String l : TenantRules.lines(tenants)) line(out, words(where + ".tenants", l));
        // A backend without a usable server (its zone's servers all down or drained) hands over to its fallback.
        if (backend != null && backend.fallback() != null)
            line(out, "use_backend " + token("backends[" + backend.name() + "].fallback", backend.fallback())
                    + " if { nbsrv(" + token(where + ".defaultBackend", f.defaultBackend()) + ") lt 1 }");
        line(out, "default_backend " + token(where + ".defaultBackend", f.defaultBackend()));
    }

    /** {@code use_backend pow if { path_beg /pow }} or {@code use_backend pow if { req.hdr(X-Kind) -m str pow }}. */
    private static String useBackend(String where, UseBackend rule) {
        String target = token(where + ".useBackends.backend", rule.backend());
        if (rule.pathPrefix() != null)
            return "use_backend " + target + " if { path_beg " + token(where + ".useBackends.ifPathBeg", rule.pathPrefix()) + " }";
        // The name sits inside req.hdr(...): a parenthesis or comma there would change the fetch.
        String name = token(where + ".useBackends.ifHeader.name", rule.headerName());
        Tokens.require(name.chars().noneMatch(c -> c == '(' || c == ')' || c == ','), where + ".useBackends.ifHeader.name", name,
                "no parentheses or commas");
        return "use_backend " + target + " if { req.hdr(" + name + ") -m str "
                + token(where + ".useBackends.ifHeader.value", rule.headerValue()) + " }";
    }

    private static void backend(StringBuilder out, BackendConfig b, BackendPlan servers) {
        String where = "backends[" + b.name() + "]";
        section(out, "backend " + token("backends: name", b.name()));
        Mode mode = mode(where, b.mode());
        line(out, "mode " + mode.word());
        line(out, "balance " + words(where + ".balance", b.balance()));
        if (b.hashType() != null) line(out, "hash-type " + words(where + ".hashType", b.hashType()));
        if (b.retries() < 0) throw new IllegalArgumentException(where + ".retries: invalid value " + b.retries() + " (>= 0)");
        line(out, "retries " + b.retries());
        if (b.queueTimeout() != null) line(out, "timeout queue " + duration(where + ".queueTimeout", b.queueTimeout()));
        if (b.serverTimeout() != null) line(out, "timeout server " + duration(where + ".serverTimeout", b.serverTimeout()));
        // Redispatch on the last retry: a dead server's keys go elsewhere until checks mark it down. Not for a single
        // writer: a connection sent to another server is a second writer, and its stick store would move the whole
        // fleet over one failed connect; the health checks decide a failover there.
        if (b.activeBackup()) line(out, "no option redispatch");
        else line(out, "option redispatch 1");
        if (mode == Mode.HTTP) {
            line(out, "retry-on conn-failure empty-response response-timeout");
            // A response timeout may mean the request ran: only replay methods that are safe to repeat.
            line(out, "http-request disable-l7-retry if !METH_GET !METH_OPTIONS");
        }
        HealthCheck hc = b.healthCheck();
        if (hc != null && hc.enabled()) {
            check(out, where, hc, mode);
            line(out, "timeout check " + duration(where + ".healthCheck.timeout", hc.timeout()));
        }
        if (b.activeBackup()) {
            // One entry for the whole backend, shared by every HAProxy: whoever is active for one is active for
            // all. No on-marked-up rule: a recovered server takes nothing back. Room for 1k entries and nopurge,
            // although there is only ever one: every new connection's "stick on" reserves a fresh entry before it
            // knows the key exists, and in a full table HAProxy makes room by dropping the oldest unused entry,
            // the shared one; the connections that look it up in that gap go to this instance's first pick.
            // Measured on 2.6.12 with the entry on a backup: size 2 sent 1 % (tcp) and 48 % (http) of 4
            // concurrent clients' connections to the first server; size 1k nopurge none of 16 clients' (TESTING.md's
            // size 2 only covers one connection at a time).
            line(out, "stick-table type integer size 1k nopurge peers " + PEERS_SECTION);
            if (mode == Mode.TCP) {
                // A fresh HAProxy (or a new worker after a reload) learns the entry from its peers a few ms
                // after it starts; a connection in that gap would stick to this instance's own first pick and
                // push it to the whole fleet: a failback. Such a connection waits until the table has an
                // entry, for at most a second (the fleet's very first connection waits that long once).
                // Measured: 8 stray connections in 10 restarts without it, none with it.
                line(out, "tcp-request inspect-delay 1s");
                line(out, "tcp-request content accept if { table_cnt gt 0 } || WAIT_END");
            } else {
                // An http request is complete when tcp-request content rules run, so WAIT_END does not wait there:
                // the same bounded wait, as a Lua action (AwaitStickLua).
                line(out, "http-request lua." + AwaitStickLua.ACTION + " " + b.name());
            }
            line(out, "stick on int(1)");
        }
        if (servers != null) for (ServerPlan s : servers.servers()) out.append(SERVER).append(s.name()).append(' ')
                .append(ServerLine.args(s)).append('\n');
    }

    private static void check(StringBuilder out, String where, HealthCheck hc, Mode mode) {
        switch (hc.typeIn(mode)) {
            case HTTP -> {
                line(out, "option httpchk");
                line(out, "http-check send meth " + token(where + ".healthCheck.method", hc.method())
                        + " uri " + token(where + ".healthCheck.path", hc.path()));
            }
            case TCP -> {
                // Without steps a server with "check" gets a plain TCP connect check.
                if (hc.tcpSteps().isEmpty()) return;
                line(out, "option tcp-check");
                for (TcpCheckStep step : hc.tcpSteps()) {
                    if (step.send() != null) line(out, "tcp-check send " + token(where + ".healthCheck.steps.send", step.send()));
                    else line(out, "tcp-check expect string " + token(where + ".healthCheck.steps.expect", step.expect()));
                }
            }
            case MYSQL -> line(out, "option mysql-check" + (hc.mysqlUser() == null ? ""
                    : " user " + token(where + ".healthCheck.mysqlUser", hc.mysqlUser()) + " post-41"));
            case EXTERNAL -> {
                line(out, EXTERNAL_CHECK);
                line(out, "external-check command " + token(where + ".healthCheck.command", hc.command()));
            }
        }
    }

    private static void peers(StringBuilder out, PeersConfig peers, List<PeerConfig> remote) {
        section(out, "peers " + PEERS_SECTION);
        List<PeerConfig> all = new ArrayList<>(List.of(peers.local()));
        for (PeerConfig p : remote) if (all.stream().noneMatch(q -> q.name().equals(p.name()))) all.add(p);
        all.sort(Comparator.comparing(PeerConfig::name));
        for (PeerConfig p : all)
            line(out, "peer " + token("peers: name", p.name()) + " " + token("peers[" + p.name() + "].address", p.address()));
    }

    private static void section(StringBuilder out, String header) {
        out.append('\n').append(header).append('\n');
    }

    private static void line(StringBuilder out, String text) {
        out.append("  ").append(text).append('\n');
    }

    private static Mode mode(String where, Mode mode) {
        if (mode == null) throw new IllegalArgumentException(where + ".mode: missing");
        return mode;
    }

    /** A single word: no white space, control character or '#'. */
    private static String token(String where, String value) {
        boolean ok = value != null && !value.isEmpty()
                && value.chars().noneMatch(c -> breaksLine(c) || Character.isWhitespace(c));
        Tokens.require(ok, where, value, "one word without white space, control characters or '#'");
        return value;
    }

    /** Words separated by spaces: no control character (a newline would start a new line) or '#'. */
    private static String words(String where, String value) {
        boolean ok = value != null && !value.isBlank() && value.chars().noneMatch(ConfigRenderer::breaksLine);
        Tokens.require(ok, where, value, "words without control characters or '#'");
        return value.strip();
    }

    // A control character could end the line; '#' would silently cut the rest of it off as a comment.
    private static boolean breaksLine(int c) {
        return Character.isISOControl(c) || c == '#';
    }

    /** HAProxy's time format: whole seconds as {@code 2s}, anything finer in milliseconds. */
    static String duration(String where, Duration d) {
        if (d == null || d.toMillis() <= 0)
            throw new IllegalArgumentException(where + ": invalid value " + d + " (at least 1 ms)");
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }
}
