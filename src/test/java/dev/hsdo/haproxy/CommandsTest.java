package dev.hsdo.haproxy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandsTest {
    @ParameterizedTest
    @ValueSource(strings = {"show servers state be", "add server be/x 127.0.0.1:8080 id 42 weight 10 check",
            "set server be/x state ready", "add map @1 /tmp/shards.map alice shard-1", "help", "set timeout cli 1d"})
    void ordinaryCommandsPass(String command) {
        assertThat(Commands.requireSafe(command)).isSameAs(command);
    }

    @Test
    void semicolonIsRefusedBecauseItChainsCommands() {
        assertThatThrownBy(() -> Commands.requireSafe("set server be/x state ready;del server be/y"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'set server be/x state ready;del server be/y'")
                .hasMessageContaining("';'");
    }

    @Test
    void lineBreaksAreRefusedAndShownEscaped() {
        assertThatThrownBy(() -> Commands.requireSafe("set server be/x state ready\ndel server be/y"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ready\\ndel").hasMessageContaining("line break");
        assertThatThrownBy(() -> Commands.requireSafe("show info\r"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\\r");
    }

    @ParameterizedTest
    @ValueSource(strings = {"show\tinfo", "show info\u0000", "show info\u007f"})
    void otherControlCharactersAreRefused(String command) {
        assertThatThrownBy(() -> Commands.requireSafe(command)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("control character");
    }

    @Test
    void trailingPayloadMarkerIsRefused() {
        // Measured: HAProxy then reads the following commands of the batch as map entries.
        assertThatThrownBy(() -> Commands.requireSafe("add map /tmp/m.map k v<<"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("payload");
        assertThatThrownBy(() -> Commands.requireSafe("add map @1 /tmp/m.map << "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("payload");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "prompt", "quit", "user", " operator", "set severity-output number", "set  severity-output string"})
    void emptyAndSessionChangingCommandsAreRefused(String command) {
        assertThatThrownBy(() -> Commands.requireSafe(command)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refused");
    }

    @Test
    void overlongCommandIsRefused() {
        String command = "set map /tmp/m.map k " + "v".repeat(Commands.MAX_LENGTH);
        assertThatThrownBy(() -> Commands.requireSafe(command)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("longer than 8192");
    }

    @Test
    void nullIsRefused() {
        assertThatThrownBy(() -> Commands.requireSafe(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
