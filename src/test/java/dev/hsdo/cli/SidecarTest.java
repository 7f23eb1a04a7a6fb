package dev.hsdo.cli;

import dev.hsdo.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Start-up refusals of {@code hsdo sidecar} that need no HAProxy. */
class SidecarTest {
    @TempDir
    Path dir;

    @Test
    void aDataDirInUseByAnotherSidecarIsRefused() throws Exception {
        try (FileChannel other = FileChannel.open(dir.resolve("hsdo.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             var held = other.lock()) {
            assertThat(held.isValid()).isTrue();
            assertThatThrownBy(() -> Sidecar.start(Map.of("DISCOVERY_DNS_NAME", "_http._tcp.app.svc.test.",
                    "HSDO_DATA_DIR", dir.toString(), "HSDO_ADMIN_BIND", ""), Clock.systemUTC()))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("HSDO_DATA_DIR: " + dir + " is in use by another hsdo sidecar (give every sidecar on a machine its own HSDO_DATA_DIR)");
        }
    }

    @Test
    void theCommandPrintsTheProblemNamingTheVariableAndExitsWithTwo() {
        // The test JVM's environment has no DISCOVERY_DNS_NAME.
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err));
        int code = cl.execute("sidecar");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("hsdo: DISCOVERY_DNS_NAME: is required");
    }
}
