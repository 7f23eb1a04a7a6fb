package dev.hsdo.agent;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** hsdo_active_backup_server: one series per backend, for the server its entry names, none without an entry. */
class ActiveBackupMetricTest {
    @Test
    void aChangeOfActiveServerReplacesTheSeriesAndNoEntryRemovesIt() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AgentMetrics metrics = new AgentMetrics(registry);
        metrics.activeBackup(List.of(new ActiveServer("db", "n1", 101)));
        assertThat(registry.find("hsdo.active.backup.server").gauges()).singleElement()
                .satisfies(g -> assertThat(g.getId().getTag("server")).isEqualTo("n1"));
        metrics.activeBackup(List.of(new ActiveServer("db", "n2", 202)));
        assertThat(registry.find("hsdo.active.backup.server").gauges()).singleElement()
                .satisfies(g -> {
                    assertThat(g.getId().getTag("server")).isEqualTo("n2");
                    assertThat(g.value()).isEqualTo(1.0);
                });
        metrics.activeBackup(List.of(new ActiveServer("db", null, null)));
        assertThat(registry.find("hsdo.active.backup.server").gauges()).isEmpty();
    }
}
