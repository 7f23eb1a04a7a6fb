package dev.hsdo.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HaproxyFixtureIT {
    @TempDir
    Path dir;

    @Test
    void routesToOriginsAndAnswersOnBothStatsSockets() {
        try (Origins origins = Origins.start(dir, "a", "b");
             HaproxyFixture hap = HaproxyFixture.start(dir, HaproxyFixture.HTTP_DEFAULTS + """
                     frontend fe
                       bind 127.0.0.1:${port:fe}
                       default_backend be
                     backend be
                       server a 127.0.0.1:%d
                     """.formatted(origins.port("a")))) {
            assertThat(Http.get(hap.port("fe"), "/x")).isEqualTo("a\n");
            assertThat(Http.get(origins.port("b"), "/")).isEqualTo("b\n");
            assertThat(Files.exists(hap.adminSocket())).isTrue();
            assertThat(hap.cli("show servers state be")).contains(" be ", " a 127.0.0.1 ");
            assertThat(hap.port("fe")).isNotEqualTo(hap.statsTcpPort()).isNotEqualTo(origins.port("a"));
        }
    }

    @Test
    void closeStopsTheProcessByPid() {
        HaproxyFixture hap = HaproxyFixture.start(dir, HaproxyFixture.HTTP_DEFAULTS);
        long pid = hap.pid();
        assertThat(ProcessHandle.of(pid)).isPresent();
        hap.close();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void restartAfterKill9ComesBackWithANewPidOnTheSamePorts() {
        try (HaproxyFixture hap = HaproxyFixture.start(dir, HaproxyFixture.HTTP_DEFAULTS)) {
            long first = hap.pid();
            hap.kill9();
            assertThat(hap.isAlive()).isFalse();
            hap.restart();
            assertThat(hap.pid()).isNotEqualTo(first);
            assertThat(hap.cli("show info")).contains("Pid: " + hap.pid());
        }
    }

    @Test
    void brokenConfigFailsFastWithHaproxysMessage() {
        assertThatThrownBy(() -> HaproxyFixture.start(dir, "backend be\n  frobnicate yes\n"))
                .hasMessageContaining("frobnicate");
    }

    @Test
    void unknownPlaceholderIsRefused() {
        assertThatThrownBy(() -> HaproxyFixture.start(dir, "# ${nope}\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("${nope}");
    }

    /**
     * scripts/test runs the HAProxy tests once per HAProxy version and names the series it meant in
     * {@code hsdo.it.haproxy-series}: a pass that ran another binary than the one it reports would prove nothing.
     */
    @Test
    void runningHaproxyIsTheVersionThisPassWasStartedFor() {
        try (HaproxyFixture hap = HaproxyFixture.start(dir, HaproxyFixture.HTTP_DEFAULTS)) {
            assertThat(hap.cli("show version").strip()).isEqualTo(HaproxyFixture.installedVersion());
            String series = System.getProperty("hsdo.it.haproxy-series");
            if (series != null) assertThat(HaproxyFixture.installedVersion()).startsWith(series + ".");
        }
    }
}
