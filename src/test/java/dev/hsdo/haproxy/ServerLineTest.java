package dev.hsdo.haproxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hsdo.model.ServerOptions;
import dev.hsdo.model.ServerPlan;
import dev.hsdo.model.ServerState;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ServerLineTest {
    private static final ServerOptions PLAIN = new ServerOptions(0, false, false, false, 2000, 500, 2000, 2, 3, false, false);

    static ServerPlan server(String address, ServerOptions options) {
        return new ServerPlan("s1", 7, address + ":80", address, 80, 100, ServerState.READY, null, options, null);
    }

    @Test
    void plainServerHasAddressIdAndWeightOnly() {
        assertThat(ServerLine.args(server("10.0.0.1", PLAIN))).isEqualTo("10.0.0.1:80 id 7 weight 100");
    }

    @Test
    void defaultsRenderTheMeasuredCheckAndObserveKeywords() {
        assertThat(ServerLine.args(server("10.0.0.1", ServerOptions.defaults()))).isEqualTo(
                "10.0.0.1:80 id 7 weight 100 check inter 2000ms fastinter 500ms downinter 2000ms rise 2 fall 3"
                        + " observe layer4 error-limit 10 on-error mark-down");
    }

    @Test
    void observeIsLeftOutWithoutChecksBecauseNothingWouldMarkTheServerUpAgain() {
        ServerOptions o = new ServerOptions(0, false, false, false, 2000, 500, 2000, 2, 3, true, false);
        assertThat(ServerLine.args(server("10.0.0.1", o))).doesNotContain("observe", "on-error");
    }

    @Test
    void maxconnSslAndBackupAreRenderedWhenSet() {
        ServerOptions o = new ServerOptions(50, true, false, false, 2000, 500, 2000, 2, 3, false, true);
        assertThat(ServerLine.args(server("10.0.0.1", o)))
                .isEqualTo("10.0.0.1:80 id 7 weight 100 maxconn 50 ssl verify none backup");
    }

    @Test
    void verifiedSslUsesTheSystemTrustStore() {
        ServerOptions o = new ServerOptions(0, true, true, false, 2000, 500, 2000, 2, 3, false, false);
        assertThat(ServerLine.args(server("10.0.0.1", o))).endsWith(" ssl verify required ca-file @system-ca");
    }

    @Test
    void ipv6AddressIsBracketed() {
        assertThat(ServerLine.args(server("fd00::2", PLAIN))).startsWith("[fd00::2]:80 id 7");
        assertThat(ServerLine.address("::1", 8080)).isEqualTo("[::1]:8080");
    }

    @Test
    void maintServerIsDisabledSoARestartSendsItNothing() {
        ServerPlan s = server("10.0.0.1", PLAIN).withState(ServerState.MAINT, null);
        assertThat(ServerLine.args(s)).isEqualTo("10.0.0.1:80 id 7 weight 100 disabled");
    }

    @Test
    void drainingServerRendersLikeAReadyOneWithItsRealWeight() {
        ServerPlan ready = server("10.0.0.1", ServerOptions.defaults());
        ServerPlan draining = ready.withState(ServerState.DRAIN, Instant.EPOCH);
        assertThat(ServerLine.args(draining)).isEqualTo(ServerLine.args(ready));
    }

    @Test
    void lineIsServerNameThenArgs() {
        assertThat(ServerLine.line(server("10.0.0.1", PLAIN))).isEqualTo("server s1 10.0.0.1:80 id 7 weight 100");
    }
}
