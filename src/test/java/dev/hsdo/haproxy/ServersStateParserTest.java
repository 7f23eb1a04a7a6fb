package dev.hsdo.haproxy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServersStateParserTest {
    private static Map<String, ServerStateRow> byName(List<ServerStateRow> rows) {
        return rows.stream().collect(Collectors.toMap(r -> r.backendName() + "/" + r.serverName(), Function.identity()));
    }

    @Test
    void readsEveryServerOfEveryBackend() {
        List<ServerStateRow> rows = ServersStateParser.parse(Captured.read("show-servers-state.txt"));
        assertThat(rows).extracting(r -> r.backendName() + "/" + r.serverName()).containsExactly(
                "app/a1", "app/a2", "app/a3", "app/slot1", "app/slot2", "app/slot3", "app/dyn1", "app/dyn2", "static/b1", "static/b2");
        Map<String, ServerStateRow> s = byName(rows);

        assertThat(s.get("app/a1")).isEqualTo(new ServerStateRow(3, "app", 1, "a1", "127.0.0.1", 59111, 2, 0, 10, 10, 6, false, null, false));
        assertThat(s.get("app/a1").isReady()).isTrue();
        assertThat(s.get("app/a1").isUp()).isTrue();
        assertThat(s.get("app/a1").healthChecksEnabled()).isTrue();

        ServerStateRow drained = s.get("app/a2");
        assertThat(drained.isDrain()).isTrue();
        assertThat(drained.isMaint()).isFalse();
        assertThat(drained.isReady()).isFalse();
        assertThat(drained.userWeight()).isEqualTo(20);

        // Declared 'disabled', then 'state ready': only CMAINT (4) is left, and the server takes traffic.
        assertThat(s.get("app/a3").adminState()).isEqualTo(ServerStateRow.CMAINT);
        assertThat(s.get("app/a3").isReady()).isTrue();

        ServerStateRow filledSlot = s.get("app/slot1");
        assertThat(filledSlot.port()).isEqualTo(54481);
        assertThat(filledSlot.userWeight()).isEqualTo(5);
        assertThat(filledSlot.initialWeight()).isEqualTo(1);
        assertThat(filledSlot.isReady()).isTrue();

        ServerStateRow emptySlot = s.get("app/slot2");
        assertThat(emptySlot.adminState()).isEqualTo(ServerStateRow.FMAINT | ServerStateRow.CMAINT);
        assertThat(emptySlot.isMaint()).isTrue();
        assertThat(emptySlot.isUp()).isFalse();

        ServerStateRow dynamic = s.get("app/dyn1");
        assertThat(dynamic.serverId()).isEqualTo(1001);
        assertThat(dynamic.forcedId()).isTrue();
        assertThat(dynamic.userWeight()).isEqualTo(7);
        assertThat(dynamic.isReady()).isTrue();
        assertThat(dynamic.healthChecksEnabled()).isFalse();

        ServerStateRow newDynamic = s.get("app/dyn2");
        assertThat(newDynamic.isMaint()).isTrue();
        assertThat(newDynamic.userWeight()).isZero();

        assertThat(s.get("static/b1").serverId()).isEqualTo(42);
        assertThat(s.get("static/b1").backendId()).isEqualTo(4);
        assertThat(s.get("static/b1").isMaint()).isTrue();
        assertThat(s.get("static/b2").address()).isEqualTo("::1");
    }

    @Test
    void oneBackendDumpHasOnlyItsServers() {
        assertThat(ServersStateParser.parse(Captured.read("show-servers-state-app.txt")))
                .hasSize(8).allMatch(r -> r.backendName().equals("app"));
    }

    @Test
    void backendWithoutServersGivesNoRows() {
        assertThat(ServersStateParser.parse(Captured.read("show-servers-state-empty.txt"))).isEmpty();
    }

    @Test
    void checkStateTellsWhetherHealthChecksAreOn() {
        Map<String, ServerStateRow> s = byName(ServersStateParser.parse(Captured.read("show-servers-state-checks.txt")));
        ServerStateRow pausedByMaint = s.get("app/hc");
        assertThat(pausedByMaint.checkState()).isEqualTo(14);
        assertThat(pausedByMaint.healthChecksEnabled()).isTrue();
        assertThat(pausedByMaint.isMaint()).isTrue();
        assertThat(s.get("app/a1").healthChecksEnabled()).isTrue();
        assertThat(s.get("app/slot2").healthChecksEnabled()).isFalse();
    }

    @ParameterizedTest(name = "admin state {0}")
    @CsvSource({"0,ready", "1,maint", "2,maint", "4,ready", "5,maint", "8,drain", "9,maint", "12,drain", "16,drain",
            "17,maint", "32,maint", "64,ready", "72,drain"})
    void adminStateBitsDecode(int adminState, String expected) {
        ServerStateRow r = new ServerStateRow(1, "be", 1, "s", "127.0.0.1", 80, 2, adminState, 1, 1, 0, true, null);
        String decoded = r.isMaint() ? "maint" : r.isDrain() ? "drain" : r.isReady() ? "ready" : "none";
        assertThat(decoded).isEqualTo(expected);
    }

    @Test
    void extraColumnsAreTolerated() {
        String output = """
                1
                # be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port srv_future
                3 app 1001 dyn1 10.0.0.7 2 0 7 7 5 1 0 0 0 0 0 1 node7.example 8080 - 0 0 - - 0 something
                """;
        ServerStateRow r = ServersStateParser.parse(output).getFirst();
        assertThat(r.address()).isEqualTo("10.0.0.7");
        assertThat(r.port()).isEqualTo(8080);
        assertThat(r.fqdn()).isEqualTo("node7.example");
    }

    @Test
    void shortRowIsReportedWithItsLine() {
        String output = Captured.read("show-servers-state-empty.txt") + "3 app 1 a1 127.0.0.1 2 0\n";
        assertThatThrownBy(() -> ServersStateParser.parse(output))
                .isInstanceOf(MalformedOutputException.class)
                .hasMessageContaining("show servers state, line 3: expected 25 fields, found 7")
                .hasMessageContaining("'3 app 1 a1 127.0.0.1 2 0'")
                .satisfies(e -> assertThat(((MalformedOutputException) e).line()).isEqualTo(3));
    }

    @Test
    void nonNumericValueIsReportedWithItsColumnAndLine() {
        String output = Captured.read("show-servers-state-app.txt").replace("3 app 2 a2 127.0.0.1 2 8 20", "3 app 2 a2 127.0.0.1 2 x 20");
        assertThatThrownBy(() -> ServersStateParser.parse(output))
                .isInstanceOf(MalformedOutputException.class)
                .hasMessageContaining("line 4: srv_admin_state 'x' is not a number");
    }

    @Test
    void unknownVersionMissingHeaderAndErrorTextAreRefused() {
        assertThatThrownBy(() -> ServersStateParser.parse("2\n# be_id\n")).hasMessageContaining("line 1: unsupported format version");
        assertThatThrownBy(() -> ServersStateParser.parse("1\n3 app 1 a1\n")).hasMessageContaining("line 2: expected the '# be_id");
        assertThatThrownBy(() -> ServersStateParser.parse("Can't find backend.\n")).hasMessageContaining("line 1").hasMessageContaining("Can't find backend.");
        assertThatThrownBy(() -> ServersStateParser.parse("")).hasMessageContaining("empty output");
        assertThatThrownBy(() -> ServersStateParser.parse("1\n# be_id be_name srv_id\n")).hasMessageContaining("column 'srv_name' is missing");
    }
}
