package dev.hsdo.haproxy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CliAddressTest {
    @Test
    void unixFormsGiveAPath() {
        assertThat(CliAddress.parse("unix@/run/haproxy/admin.sock").unixPath()).isEqualTo(Path.of("/run/haproxy/admin.sock"));
        assertThat(CliAddress.parse("/run/haproxy/admin.sock").unixPath()).isEqualTo(Path.of("/run/haproxy/admin.sock"));
        assertThat(CliAddress.parse("unix@run/admin.sock").isUnix()).isTrue();
        assertThat(CliAddress.parse("/tmp/a.sock")).hasToString("unix@/tmp/a.sock");
    }

    @Test
    void tcpFormsGiveHostAndPort() {
        CliAddress a = CliAddress.parse("ipv4@127.0.0.1:9999");
        assertThat(a.isUnix()).isFalse();
        assertThat(a.host()).isEqualTo("127.0.0.1");
        assertThat(a.port()).isEqualTo(9999);
        assertThat(CliAddress.parse("127.0.0.1:1")).hasToString("127.0.0.1:1");
        assertThat(CliAddress.parse("localhost:65535").host()).isEqualTo("localhost");
        assertThat(CliAddress.parse("[::1]:9999")).hasToString("[::1]:9999");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "unix@", "127.0.0.1", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:65536",
            "127.0.0.1:99999", "ipv4@localhost:80", "ipv4@::1:80", "[nothex]:80", "bad_host!:80", "tcp@1.2.3.4:80",
            "/tmp/a\nb.sock"})
    void malformedAddressIsRefusedNamingIt(String text) {
        assertThatThrownBy(() -> CliAddress.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Runtime API address")
                .hasMessageContaining("expected unix@/path");
    }

    @Test
    void errorQuotesTheBadAddress() {
        assertThatThrownBy(() -> CliAddress.parse("127.0.0.1:70000")).hasMessageContaining("'127.0.0.1:70000'").hasMessageContaining("70000 is not in 1-65535");
    }
}
