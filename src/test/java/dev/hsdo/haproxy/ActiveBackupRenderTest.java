package dev.hsdo.haproxy;

import dev.hsdo.config.BackendConfig;
import dev.hsdo.config.CheckType;
import dev.hsdo.config.HealthCheck;
import dev.hsdo.config.HsdoConfig;
import dev.hsdo.config.PeerConfig;
import dev.hsdo.config.PeersConfig;
import dev.hsdo.config.TcpCheckStep;
import dev.hsdo.model.BackendPlan;
import dev.hsdo.model.Plan;
import dev.hsdo.model.ServerPlan;
import dev.hsdo.model.ServerState;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static dev.hsdo.haproxy.RenderFixtures.HTTP_CHECK;
import static dev.hsdo.haproxy.RenderFixtures.goldenConfig;
import static dev.hsdo.haproxy.RenderFixtures.typicalPlan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The peers section, the shared stick table and the check types of active/backup backends. */
class ActiveBackupRenderTest {
    private static final RuntimePaths PATHS = RuntimePaths.in(Path.of("/run/hsdo"));
    private static final PeersConfig PEERS = new PeersConfig("hp-b", "127.0.0.1:10002",
            List.of(new PeerConfig("hp-a", "127.0.0.1:10001")));

    /** The golden config with "db" active/backup, checked with {@code check}, and {@code peers}. */
    private static HsdoConfig config(HealthCheck check, PeersConfig peers) {
        return config(check, peers, null);
    }

    /** As above, with "db" in {@code mode} (null: as the golden config has it). */
    private static HsdoConfig config(HealthCheck check, PeersConfig peers, dev.hsdo.config.Mode mode) {
        HsdoConfig c = goldenConfig();
        BackendConfig db = c.backend("db");
        BackendConfig ab = new BackendConfig(db.name(), mode == null ? db.mode() : mode, db.balance(), db.hashType(), db.sources(), check,
                db.serverDefaults(), db.retries(), null, null, null, null, null, null, null, true);
        return new HsdoConfig(c.haproxy(), c.frontends(), List.of(c.backend("app"), ab), c.sources(),
                c.reconcileInterval(), c.drainPeriod(), c.guard(), c.admin(), c.store(), c.fleet(), peers, c.tenants());
    }

    private static HealthCheck check(CheckType type, String user, List<TcpCheckStep> steps, String command) {
        HealthCheck h = HTTP_CHECK;
        return new HealthCheck(true, h.method(), h.path(), h.inter(), h.fastinter(), h.downinter(), h.rise(), h.fall(),
                h.timeout(), type, user, steps, command);
    }

    private static String backendDb(String rendered) {
        return rendered.substring(rendered.indexOf("\nbackend db"));
    }

    @Test
    void anHttpActiveBackupBackendWaitsForTheEntryThroughTheLuaActionLoadedBesideTheConfig() {
        String out = ConfigRenderer.render(config(HTTP_CHECK, PEERS, dev.hsdo.config.Mode.HTTP), typicalPlan(7, 8080), PATHS);
        assertThat(out).contains("  localpeer hp-b\n  lua-load /run/hsdo/hsdo-await-stick.lua\n");
        assertThat(backendDb(out)).contains("  http-request lua.hsdo_await_stick db\n  stick on int(1)\n")
                .doesNotContain("tcp-request");
        assertThat(ConfigRenderer.render(config(HTTP_CHECK, PEERS), typicalPlan(7, 8080), PATHS)).doesNotContain("lua");
        assertThat(AwaitStickLua.text()).contains("core.register_action(\"hsdo_await_stick\", { \"http-req\" }")
                .contains("core.msleep(10)");
    }

    @Test
    void anActiveBackupBackendSharesOneStickEntryThroughThePeersSectionWithTheLocalPeerFirstInGlobal() {
        String out = ConfigRenderer.render(config(HTTP_CHECK, PEERS), typicalPlan(7, 8080), PATHS);
        assertThat(out).contains("  hard-stop-after 30s\n  log stdout format raw local0\n  localpeer hp-b\n");
        // Sorted by name, the local one among them: every instance writes the same section.
        assertThat(out).contains("\npeers hsdo\n  peer hp-a 127.0.0.1:10001\n  peer hp-b 127.0.0.1:10002\n");
        assertThat(backendDb(out)).contains("  stick-table type integer size 1k nopurge peers hsdo\n"
                        + "  tcp-request inspect-delay 1s\n  tcp-request content accept if { table_cnt gt 0 } || WAIT_END\n"
                        + "  stick on int(1)\n")
                .contains("  no option redispatch\n").doesNotContain("on-marked-up").doesNotContain("option redispatch 1");
        assertThat(out.substring(0, out.indexOf("\nbackend db"))).doesNotContain("stick");
    }

    @Test
    void remotePeersFromTheFleetReplaceTheStaticOnesAndTheLocalPeerIsNeverDuplicated() {
        List<PeerConfig> fleet = List.of(new PeerConfig("hp-c", "10.0.0.3:10000"), new PeerConfig("hp-b", "10.9.9.9:1"));
        String out = ConfigRenderer.render(config(HTTP_CHECK, PEERS), typicalPlan(7, 8080), PATHS, fleet);
        assertThat(out).contains("\npeers hsdo\n  peer hp-b 127.0.0.1:10002\n  peer hp-c 10.0.0.3:10000\n\n");
    }

    @Test
    void aPeerChangeChangesTheSkeletonSoItIsReloadedForButServersAloneDoNot() {
        HsdoConfig c = config(HTTP_CHECK, PEERS);
        String two = ConfigRenderer.render(c, typicalPlan(7, 8080), PATHS);
        String three = ConfigRenderer.render(c, typicalPlan(7, 8080), PATHS,
                List.of(new PeerConfig("hp-a", "127.0.0.1:10001"), new PeerConfig("hp-c", "127.0.0.1:10003")));
        String otherServers = ConfigRenderer.render(c, typicalPlan(8, 9090), PATHS);
        assertThat(ConfigRenderer.skeletonDigest(two)).isNotEqualTo(ConfigRenderer.skeletonDigest(three))
                .isEqualTo(ConfigRenderer.skeletonDigest(otherServers));
    }

    @Test
    void eachCheckTypeRendersItsOwnOption() {
        Plan plan = typicalPlan(7, 8080);
        assertThat(backendDb(ConfigRenderer.render(config(check(CheckType.MYSQL, "haproxy_check", List.of(), null), PEERS), plan, PATHS)))
                .contains("  option mysql-check user haproxy_check post-41\n  timeout check 500ms\n");
        assertThat(backendDb(ConfigRenderer.render(config(check(CheckType.MYSQL, null, List.of(), null), PEERS), plan, PATHS)))
                .contains("  option mysql-check\n");
        assertThat(backendDb(ConfigRenderer.render(config(check(CheckType.TCP, null,
                List.of(new TcpCheckStep("PING\\r\\n", null), new TcpCheckStep(null, "+PONG")), null), PEERS), plan, PATHS)))
                .contains("  option tcp-check\n  tcp-check send PING\\r\\n\n  tcp-check expect string +PONG\n");
        String external = ConfigRenderer.render(config(check(CheckType.EXTERNAL, null, List.of(), "/usr/local/bin/galera-check"), PEERS), plan, PATHS);
        assertThat(backendDb(external)).contains("  option external-check\n  external-check command /usr/local/bin/galera-check\n");
        assertThat(external).contains("  external-check\n  insecure-fork-wanted\n");
        // A tcp backend with the mode's default check gets a plain connect check: no option at all.
        assertThat(backendDb(ConfigRenderer.render(config(check(null, null, List.of(), null), PEERS), plan, PATHS)))
                .doesNotContain("tcp-check").doesNotContain("httpchk");
    }

    @Test
    void serversOfAnExternalCheckBackendAreInTheSkeletonLessWeightAndStateSoOnlyMembershipReloads() {
        HsdoConfig c = config(check(CheckType.EXTERNAL, null, List.of(), "/usr/local/bin/galera-check"), PEERS);
        Plan plan = typicalPlan(7, 8080);
        String out = ConfigRenderer.render(c, plan, PATHS);
        String skeleton = ConfigRenderer.skeleton(out);
        ServerPlan first = plan.backend("db").servers().getFirst();
        // The db servers are rendered in the file with their identity-derived ids, and stay in the skeleton.
        assertThat(backendDb(out)).contains("  server " + first.name() + " " + ServerLine.args(first) + "\n");
        assertThat(skeleton.substring(skeleton.indexOf("\nbackend db"))).contains("  server " + first.name() + " ")
                .contains(" id " + first.id() + " ").doesNotContain(" weight ");
        // The dynamic "app" backend keeps no server line in the skeleton.
        String app = skeleton.substring(skeleton.indexOf("\nbackend app"), skeleton.indexOf("\nbackend db"));
        assertThat(app).doesNotContain("server ");

        BackendPlan db = plan.backend("db");
        List<ServerPlan> reweighted = db.servers().stream()
                .map(s -> s == first ? s.withWeight(s.weight() + 7, null).withState(ServerState.MAINT, null) : s).toList();
        String live = ConfigRenderer.render(c, withDb(plan, reweighted), PATHS);
        assertThat(live).isNotEqualTo(out);
        assertThat(ConfigRenderer.skeletonDigest(live)).isEqualTo(ConfigRenderer.skeletonDigest(out));

        String fewer = ConfigRenderer.render(c, withDb(plan, db.servers().subList(1, db.servers().size())), PATHS);
        assertThat(ConfigRenderer.skeletonDigest(fewer)).isNotEqualTo(ConfigRenderer.skeletonDigest(out));
        // The same membership change in a backend without an external check is left to the Runtime API.
        HsdoConfig http = config(HTTP_CHECK, PEERS);
        assertThat(ConfigRenderer.skeletonDigest(ConfigRenderer.render(http, withDb(plan, db.servers().subList(1, db.servers().size())), PATHS)))
                .isEqualTo(ConfigRenderer.skeletonDigest(ConfigRenderer.render(http, plan, PATHS)));
    }

    private static Plan withDb(Plan plan, List<ServerPlan> servers) {
        List<BackendPlan> backends = plan.backends().stream()
                .map(b -> b.name().equals("db") ? new BackendPlan("db", servers, b.heldBack()) : b).toList();
        return plan.withBackends(backends);
    }

    @Test
    void anActiveBackupBackendWithoutPeersIsRefused() {
        assertThatThrownBy(() -> ConfigRenderer.render(config(HTTP_CHECK, null), typicalPlan(7, 8080), PATHS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("peers");
    }
}
