package dev.hsdo.testing;

import dev.hsdo.cli.Sidecar;
import dev.hsdo.haproxy.RuntimeApi;
import dev.hsdo.haproxy.ServerStateRow;
import dev.hsdo.haproxy.ServersStateParser;
import dev.hsdo.haproxy.SocketRuntimeApi;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/** Neighbors sidecars for tests: started from an environment like an operator's, checked by what their HAProxy does. */
public final class Neighbors {
    /** How many URIs a routing comparison asks for. */
    public static final int URIS = 1000;
    private static final int PARALLEL = 8;

    private Neighbors() {}

    /**
     * The environment of a sidecar reading {@code srv} from {@code bind} every 250 ms, its frontend on
     * {@code frontend}, its files in {@code dataDir}, no admin API.
     */
    public static Map<String, String> env(Bind9 bind, String srv, int frontend, Path dataDir) {
        return Map.of("DISCOVERY_DNS_NAME", srv, "DISCOVERY_DNS_SERVERS", bind.server(), "DISCOVERY_DNS_REFRESH", "250ms",
                "HAPROXY_BIND", "127.0.0.1:" + frontend, "HSDO_DATA_DIR", dataDir.toString(), "HSDO_ADMIN_BIND", "",
                "HSDO_HAPROXY_STOP_WITH_HSDO", "true");
    }

    /** Starts a sidecar from {@code env}. */
    public static Sidecar start(Map<String, String> env) throws Exception {
        return Sidecar.start(env, Clock.systemUTC());
    }

    /** The frontend port of a sidecar. */
    public static int frontend(Sidecar s) {
        String bind = s.settings().config().frontends().get(0).bind();
        return Integer.parseInt(bind.substring(bind.lastIndexOf(':') + 1));
    }

    /** What the sidecar's HAProxy reports: server name → row. */
    public static Map<String, ServerStateRow> servers(Sidecar s) throws Exception {
        Path socket = s.settings().dataDir().resolve("run/admin.sock");
        try (RuntimeApi api = SocketRuntimeApi.connect(socket.toString(), Duration.ofSeconds(2))) {
            return ServersStateParser.parse(api.call("show servers state peers")).stream()
                    .collect(Collectors.toMap(ServerStateRow::serverName, r -> r, (a, b) -> a, TreeMap::new));
        }
    }

    /** Waits until the sidecar's HAProxy serves exactly {@code names} (ready and up; leaving servers may still drain). */
    public static void awaitServing(Sidecar s, Set<String> names) {
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
            Map<String, ServerStateRow> rows = servers(s);
            Set<String> serving = rows.values().stream().filter(r -> r.isReady() && r.isUp())
                    .map(ServerStateRow::serverName).collect(Collectors.toSet());
            return serving.equals(names) && s.standalone().agent().status().converged();
        });
    }

    /** URI → the origin that answered it, for {@link #URIS} URIs, a few requests at a time. */
    public static Map<String, String> routing(Sidecar s) throws Exception {
        int port = frontend(s);
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int k = 0; k < URIS; k++) {
                String path = "/obj/" + k;
                answers.add(pool.submit(() -> Http.get(port, path).trim()));
            }
            Map<String, String> owner = new TreeMap<>();
            for (int k = 0; k < URIS; k++) owner.put("/obj/" + k, answers.get(k).get());
            return owner;
        } finally {
            pool.shutdownNow();
        }
    }
}
