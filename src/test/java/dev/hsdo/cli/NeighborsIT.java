package dev.hsdo.cli;

import dev.hsdo.haproxy.ServerStateRow;
import dev.hsdo.testing.Bind9;
import dev.hsdo.testing.Neighbors;
import dev.hsdo.testing.Origins;
import dev.hsdo.testing.Ports;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Neighbors sidecars, each with its own HAProxy, reading one SRV record from a real BIND 9 that changes
 * under them: every sidecar must send every key to the same node after every step.
 */
class NeighborsIT {
    private static final List<String> NODES = List.of("n1", "n2", "n3", "n4", "n5", "n6");

    @TempDir
    static Path shared;
    static Bind9 bind;
    static Origins origins;

    @TempDir
    Path dir;
    private final List<Sidecar> running = new ArrayList<>();

    @BeforeAll
    static void start() {
        // Origin oN answers "nN": the node's name is what a request reached.
        origins = Origins.start(shared, NODES.toArray(String[]::new));
        List<String> zone = new ArrayList<>();
        for (String n : NODES) zone.add(n + " IN A 127.0.0.1");
        for (String srv : List.of("_http._tcp.churn", "_http._tcp.readd"))
            for (String n : NODES.subList(0, 4)) zone.add(srv + " IN SRV 10 50 " + origins.port(n) + " " + n);
        bind = Bind9.start(shared.resolve("bind"), "svc.test", zone);
    }

    @AfterAll
    static void stop() {
        if (bind != null) bind.close();
        if (origins != null) origins.close();
    }

    @AfterEach
    void stopSidecars() {
        Collections.reverse(running);
        for (Sidecar s : running) s.close();
    }

    private Sidecar sidecar(String srv, String name, int frontend) throws Exception {
        Sidecar s = Neighbors.start(Neighbors.env(bind, srv + ".svc.test.", frontend, dir.resolve(name)));
        running.add(s);
        return s;
    }

    private static String server(String node) {
        return node + ".svc.test:" + origins.port(node);
    }

    private static Set<String> servers(String... nodes) {
        Set<String> set = new TreeSet<>();
        for (String n : nodes) set.add(server(n));
        return set;
    }

    private static void add(String srv, String node) {
        bind.addSrv(srv, 10, 50, origins.port(node), node);
    }

    private static void remove(String srv, String node) {
        bind.deleteSrv(srv, 10, 50, origins.port(node), node);
    }

    /** Waits until every sidecar serves {@code nodes}, then checks that all route 1000 URIs identically. */
    private static Map<String, String> allAgree(String step, List<Sidecar> sidecars, String... nodes) throws Exception {
        for (Sidecar s : sidecars) Neighbors.awaitServing(s, servers(nodes));
        Map<String, Integer> ids = ids(sidecars.get(0));
        Map<String, String> first = Neighbors.routing(sidecars.get(0));
        assertThat(new TreeSet<>(first.values())).as("%s: every node owns keys", step).containsExactlyInAnyOrder(nodes);
        for (Sidecar s : sidecars.subList(1, sidecars.size())) {
            assertThat(ids(s)).as("%s: server ids", step).isEqualTo(ids);
            assertThat(Neighbors.routing(s)).as("%s: the same owner for all %d URIs", step, Neighbors.URIS).isEqualTo(first);
        }
        return first;
    }

    private static Map<String, Integer> ids(Sidecar s) throws Exception {
        Map<String, Integer> ids = new HashMap<>();
        for (ServerStateRow r : Neighbors.servers(s).values()) if (r.isReady()) ids.put(r.serverName(), r.serverId());
        return ids;
    }

    @Test
    void threeSidecarsRouteEveryKeyAlikeThroughChurnRestartsAndALateStart() throws Exception {
        String srv = "_http._tcp.churn";
        int[] ports = Ports.free(3);
        Sidecar a = sidecar(srv, "a", ports[0]);
        Sidecar b = sidecar(srv, "b", ports[1]);
        allAgree("start", List.of(a, b), "n1", "n2", "n3", "n4");

        remove(srv, "n2");
        allAgree("n2 removed", List.of(a, b), "n1", "n3", "n4");

        // C starts while the record is changing.
        add(srv, "n5");
        Sidecar c = sidecar(srv, "c", ports[2]);
        allAgree("n5 added, C started", List.of(a, b, c), "n1", "n3", "n4", "n5");

        // B and its HAProxy stop; the record changes while B is down; B comes back on its data directory.
        running.remove(b);
        b.close();
        add(srv, "n6");
        remove(srv, "n3");
        b = sidecar(srv, "b", ports[1]);
        allAgree("B restarted after n6 added and n3 removed", List.of(a, b, c), "n1", "n4", "n5", "n6");

        // C's HAProxy dies (its supervisor restarts it) while n2 comes back.
        long pid = c.standalone().haproxy().pid();
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        add(srv, "n2");
        Sidecar cc = c;
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                .until(() -> cc.standalone().haproxy().pid() != pid && cc.standalone().haproxy().pid() > 0);
        allAgree("C's HAProxy killed, n2 re-added", List.of(a, b, c), "n1", "n2", "n4", "n5", "n6");
    }

    @Test
    void aNodeRemovedAndReAddedGetsEveryOneOfItsKeysBack() throws Exception {
        String srv = "_http._tcp.readd";
        int[] ports = Ports.free(2);
        List<Sidecar> both = List.of(sidecar(srv, "a", ports[0]), sidecar(srv, "b", ports[1]));
        Map<String, String> before = allAgree("start", both, "n1", "n2", "n3", "n4");

        remove(srv, "n3");
        Map<String, String> without = allAgree("n3 removed", both, "n1", "n2", "n4");
        before.forEach((uri, owner) -> {
            if (!owner.equals("n3")) assertThat(without.get(uri)).as("%s stays on %s", uri, owner).isEqualTo(owner);
        });

        add(srv, "n3");
        Map<String, String> after = allAgree("n3 re-added", both, "n1", "n2", "n3", "n4");
        assertThat(after).as("every key back where it was").isEqualTo(before);
    }
}
