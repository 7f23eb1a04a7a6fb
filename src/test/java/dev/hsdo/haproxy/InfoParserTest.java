package dev.hsdo.haproxy;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InfoParserTest {
    @Test
    void readsEveryFieldInOrder() {
        Map<String, String> info = InfoParser.parse(Captured.read("show-info.txt"));
        assertThat(info).containsEntry("Name", "HAProxy")
                .containsEntry("Version", "2.6.12-1+deb12u4")
                .containsEntry("Pid", "31801")
                .containsEntry("Uptime", "0d 0h00m18s")
                .containsEntry("Uptime_sec", "18")
                .containsEntry("Unstoppable Jobs", "0")
                .containsEntry("Stopping", "0");
        assertThat(info.keySet()).first().isEqualTo("Name");
        assertThat(info.keySet()).last().isEqualTo("Tainted");
    }

    @Test
    void emptyValueIsKept() {
        assertThat(InfoParser.parse("Name: HAProxy\ndescription:\n")).containsEntry("description", "");
    }

    @Test
    void lineWithoutColonIsReportedWithItsNumber() {
        assertThatThrownBy(() -> InfoParser.parse("Name: HAProxy\nVersion 2.6\n"))
                .isInstanceOf(MalformedOutputException.class)
                .hasMessageContaining("show info, line 2: expected 'Name: value'")
                .hasMessageContaining("'Version 2.6'");
        assertThatThrownBy(() -> InfoParser.parse("\n")).hasMessageContaining("no fields");
    }
}
