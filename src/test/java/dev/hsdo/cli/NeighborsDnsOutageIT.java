package dev.hsdo.cli;

import dev.hsdo.model.SourceSnapshot;
import dev.hsdo.testing.Bind9;
import dev.hsdo.testing.Http;
import dev.hsdo.testing.Neighbors;
import dev.hsdo.testing.Origins;
import dev.hsdo.testing.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The DNS server of two neighbors sidecars is stopped for 60 s: nothing fails and no key moves. */
class NeighborsDnsOutageIT {
    private static final Duration OUTAGE = Duration.ofSeconds(60);
    // Bounded load: one request every 20 ms, about 3000 in all.
    private static final Duration PACE = Duration.ofMillis(20);
    private static final List<String> NODES = List.of("n1", "n2", "n3");

    @TempDir
    Path dir;

    @Test
    void aSixtySecondDnsOutageFailsNoRequestAndMovesNoKey() throws Exception {
        try (Origins origins = Origins.start(dir, NODES.toArray(String[]::new))) {
            List<String> zone = new ArrayList<>();
            Set<String> servers = new TreeSet<>();
            for (String n : NODES) {
                zone.add(n + " IN A 127.0.0.1");
                zone.add("_http._tcp.store IN SRV 10 50 " + origins.port(n) + " " + n);
                servers.add(n + ".svc.test:" + origins.port(n));
            }
            try (Bind9 bind = Bind9.start(dir.resolve("bind"), "svc.test", zone)) {
                int[] ports = Ports.free(2);
                try (Sidecar a = Neighbors.start(Neighbors.env(bind, "_http._tcp.store.svc.test.", ports[0], dir.resolve("a")));
                     Sidecar b = Neighbors.start(Neighbors.env(bind, "_http._tcp.store.svc.test.", ports[1], dir.resolve("b")))) {
                    Neighbors.awaitServing(a, servers);
                    Neighbors.awaitServing(b, servers);
                    Map<String, String> before = Neighbors.routing(a);
                    assertThat(Neighbors.routing(b)).isEqualTo(before);

                    bind.stop();
                    List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
                    AtomicInteger requests = new AtomicInteger();
                    long end = System.nanoTime() + OUTAGE.toNanos();
                    try {
                        // One request per poll, alternating between the sidecars, until the outage has lasted OUTAGE.
                        await().pollDelay(Duration.ZERO).pollInterval(PACE).atMost(OUTAGE.plusSeconds(30)).until(() -> {
                            int n = requests.getAndIncrement();
                            String uri = "/obj/" + (n % Neighbors.URIS);
                            int port = n % 2 == 0 ? ports[0] : ports[1];
                            try {
                                HttpResponse<String> r = Http.fetch(port, uri);
                                if (r.statusCode() != 200 || !r.body().trim().equals(before.get(uri)))
                                    failures.add(uri + " on " + port + ": " + r.statusCode() + " " + r.body().trim());
                            } catch (RuntimeException e) {
                                failures.add(uri + " on " + port + ": " + e);
                            }
                            return System.nanoTime() >= end;
                        });
                        SourceSnapshot during = a.standalone().controller().snapshots().get("dns");
                        assertThat(during.healthy()).as("the outage is reported").isFalse();
                        assertThat(during.error()).contains(bind.server());
                        assertThat(during.endpoints()).hasSize(NODES.size());
                    } finally {
                        bind.start();
                    }
                    assertThat(requests.get()).isGreaterThan(1000);
                    assertThat(failures).as("failed or moved of %d requests", requests).isEmpty();

                    await().atMost(Duration.ofSeconds(10)).until(() -> a.standalone().controller().snapshots().get("dns").healthy()
                            && b.standalone().controller().snapshots().get("dns").healthy());
                    assertThat(Neighbors.routing(a)).as("no key moved after the outage").isEqualTo(before);
                    assertThat(Neighbors.routing(b)).isEqualTo(before);
                }
            }
        }
    }
}
