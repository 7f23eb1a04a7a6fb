package dev.hsdo.store;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AgentReportJsonTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aReportKeepsItsHaproxyServerCountsThroughTheStoresJson() throws Exception {
        AgentReport r = new AgentReport("a1", "z1", "2.6.12", 4, 4, NOW, null, NOW, "i1", List.of(),
                Map.of("app", new HaproxyServers(2, 1, 0, 9, List.of("s3"))));
        String json = PlanJson.mapper().writeValueAsString(r);
        assertThat(PlanJson.mapper().readValue(json, AgentReport.class)).isEqualTo(r);
    }

    @Test
    void aReportOfAnAgentBeforeTheCountsReadsWithNone() throws Exception {
        String old = """
                {"agentId":"a1","zone":null,"haproxyVersion":"2.6.12","desiredGeneration":4,"appliedGeneration":4,
                 "appliedAt":"2026-01-01T00:00:00Z","lastError":null,"reportedAt":"2026-01-01T00:00:00Z",
                 "instance":"i1","planProblems":[]}""";
        AgentReport r = PlanJson.mapper().readValue(old, AgentReport.class);
        assertThat(r.haproxy()).isEmpty();
        assertThat(r.appliedGeneration()).isEqualTo(4);
    }

    @Test
    void aReportOfANewerAgentReadsWithTheFieldsThisVersionKnows() throws Exception {
        String newer = """
                {"agentId":"a1","zone":null,"haproxyVersion":"3.0.11","desiredGeneration":5,"appliedGeneration":5,
                 "appliedAt":"2026-01-01T00:00:00Z","lastError":null,"reportedAt":"2026-01-01T00:00:00Z",
                 "instance":"i1","planProblems":[],"someFieldOfALaterVersion":{"x":[1,2]}}""";
        AgentReport r = PlanJson.mapper().readValue(newer, AgentReport.class);
        assertThat(r.agentId()).isEqualTo("a1");
        assertThat(r.appliedGeneration()).isEqualTo(5);
    }
}
