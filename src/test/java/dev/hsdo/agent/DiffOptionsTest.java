package dev.hsdo.agent;

import dev.hsdo.haproxy.ServerStateRow;
import dev.hsdo.haproxy.StatRow;
import dev.hsdo.model.BackendPlan;
import dev.hsdo.model.ServerOptions;
import dev.hsdo.model.ServerPlan;
import dev.hsdo.model.ServerState;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** How the diff brings a live server's maxconn, TLS and backup flag to what the plan wants. */
class DiffOptionsTest {
    private static final ServerOptions BASE = ServerOptions.defaults();

    private static ServerOptions options(int maxconn, boolean ssl, boolean backup) {
        return new ServerOptions(maxconn, ssl, false, BASE.check(), BASE.interMs(), BASE.fastinterMs(), BASE.downinterMs(),
                BASE.rise(), BASE.fall(), BASE.observeErrors(), backup);
    }

    private static BackendPlan want(ServerOptions o, ServerState state) {
        Instant until = state == ServerState.DRAIN ? Instant.EPOCH : null;
        return new BackendPlan("app", List.of(new ServerPlan("s1", 7, "s1", "10.0.0.1", 80, 100, state, null, o, until)), null);
    }

    private static ServerStateRow row(boolean ssl) {
        return new ServerStateRow(3, "app", 7, "s1", "10.0.0.1", 80, 2, 0, 100, 100, 6, true, null, ssl);
    }

    private static Map<String, StatRow> stat(int slim, boolean backup) {
        return Map.of("s1", new StatRow("app", "s1", "UP", 0, 0, slim, 100, 0, 0, Map.of("bck", backup ? "1" : "0")));
    }

    @Test
    void aServerAlreadyConfiguredAsWantedNeedsNothing() {
        assertThat(Diff.commands(want(options(5, true, true), ServerState.READY), List.of(row(true)), stat(5, true))).isEmpty();
    }

    @Test
    void aChangedMaxconnIsSetLive() {
        assertThat(Diff.commands(want(options(5, false, false), ServerState.READY), List.of(row(false)), stat(0, false)))
                .containsExactly("set maxconn server app/s1 5");
        assertThat(Diff.commands(want(options(0, false, false), ServerState.READY), List.of(row(false)), stat(5, false)))
                .containsExactly("set maxconn server app/s1 0");
    }

    @Test
    void aChangedTlsOrBackupFlagReplacesTheServer() {
        List<String> tls = Diff.commands(want(options(0, true, false), ServerState.READY), List.of(row(false)), stat(0, false));
        assertThat(tls).containsExactly("set server app/s1 state maint", "shutdown sessions server app/s1", "del server app/s1");
        List<String> backup = Diff.commands(want(options(0, false, true), ServerState.READY), List.of(row(false)), stat(0, false));
        assertThat(backup).isEqualTo(tls);
    }

    @Test
    void onceRemovedTheServerIsAddedBackWithTheSameIdAndNewOptions() {
        assertThat(Diff.commands(want(options(3, true, true), ServerState.READY), List.of(), Map.of())).first().asString()
                .startsWith("add server app/s1 10.0.0.1:80 id 7 weight 100 maxconn 3 ssl verify none backup check");
    }

    @Test
    void aDrainingServerIsLeftAloneWhateverItsOptions() {
        assertThat(Diff.commands(want(options(0, true, true), ServerState.DRAIN), List.of(row(false)), stat(0, false)))
                .containsExactly("set server app/s1 state drain");
    }

    @Test
    void withoutStatRowsOnlyTheStateDumpIsCompared() {
        assertThat(Diff.commands(want(options(5, false, true), ServerState.READY), List.of(row(false)))).isEmpty();
    }
}
