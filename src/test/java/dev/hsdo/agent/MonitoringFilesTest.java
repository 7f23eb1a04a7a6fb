package dev.hsdo.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.hsdo.controller.ControllerMetrics;
import dev.hsdo.controller.ControllerMetricsSamples;
import dev.hsdo.haproxy.ServersStateParser;
import dev.hsdo.testing.Plans;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Prometheus rules and the Grafana dashboard under {@code deploy/} query only metrics that hsdo exports: the
 * names in a scrape of the agent's, controller's and store health's metrics, each driven until all its series
 * exist. A renamed metric fails here rather than leaving an alert that can never fire.
 */
class MonitoringFilesTest {
    /**
     * Metrics of the cross-helper contracts (active/backup through peers, tenant maps) exported by classes other
     * than the ones scraped here; keep in step with their metrics classes.
     */
    private static final Set<String> CONTRACT_METRICS = Set.of("hsdo_active_backup_server", "hsdo_active_backup_agreed",
            "hsdo_tenants_generation", "hsdo_tenants_entries", "hsdo_tenants_rejected", "hsdo_tenants_moves_pending");
    /** What Prometheus itself records about every target. */
    private static final Set<String> PROMETHEUS_METRICS = Set.of("up");
    private static final Pattern METRIC = Pattern.compile("\\b(hsdo_[a-z0-9_]+|up)\\b(?!\\s*\\()");
    private static final Path REPO = Path.of(System.getProperty("hsdo.repo", "."));

    private static Set<String> exported;

    @BeforeAll
    static void scrape() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AgentMetrics agent = new AgentMetrics(registry);
        agent.commandsSent(1);
        agent.commandsFailed(1);
        agent.applied(new AgentStatus(2, 1, null, true, List.of(), List.of(), List.of()), 1_000_000);
        agent.servers(Map.of("app", ServersStateParser.parse(AgentQuietRoundTest.EMPTY_STATE
                + "3 app 1 a1 127.0.0.1 2 0 10 10 11 15 3 4 6 0 0 0 - 59111 - 0 0 - - 0\n")));
        new StoreHealth(Clock.systemUTC()).register(registry);
        ControllerMetricsSamples.everySeries(new ControllerMetrics(registry));
        exported = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^([a-z_:][a-z0-9_:]*)[{ ]").matcher(registry.scrape());
        while (m.find()) exported.add(m.group(1));
    }

    @Test
    void theScrapeHasTheMetricsTheAlertsAreAbout() {
        assertThat(exported).contains("hsdo_plan_generation", "hsdo_plan_generation_desired", "hsdo_plan_generation_applied",
                "hsdo_haproxy_reachable", "hsdo_store_healthy", "hsdo_source_state", "hsdo_plan_backends_held_back",
                "hsdo_servers", "hsdo_apply_duration_seconds_bucket");
    }

    @Test
    void everyAlertRuleQueriesOnlyExportedMetrics() throws IOException {
        JsonNode rules = new ObjectMapper(new YAMLFactory()).readTree(REPO.resolve("deploy/prometheus/hsdo-rules.yml").toFile());
        Set<String> queried = new TreeSet<>();
        int alerts = 0;
        for (JsonNode group : rules.get("groups"))
            for (JsonNode rule : group.get("rules")) {
                queried.addAll(metrics(rule.get("expr").asText()));
                alerts++;
            }
        assertThat(alerts).isGreaterThanOrEqualTo(10);
        assertThat(queried).contains("hsdo_active_backup_agreed", "hsdo_tenants_moves_pending", "hsdo_haproxy_reachable");
        assertThat(unknown(queried)).isEmpty();
    }

    @Test
    void everyDashboardPanelQueriesOnlyExportedMetrics() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(REPO.resolve("deploy/grafana/hsdo.json").toFile());
        Set<String> queried = new TreeSet<>();
        int queries = 0;
        for (JsonNode panel : dashboard.get("panels"))
            for (JsonNode target : panel.path("targets")) {
                queried.addAll(metrics(target.get("expr").asText()));
                queries++;
            }
        assertThat(queries).isGreaterThanOrEqualTo(20);
        assertThat(unknown(queried)).isEmpty();
    }

    private static Set<String> metrics(String expr) {
        // Label values in quotes ({state="up"}) and label names are not metrics.
        String names = expr.replaceAll("\"[^\"]*\"", "\"\"").replaceAll("\\{[^}]*}", "{}");
        Set<String> found = new TreeSet<>();
        Matcher m = METRIC.matcher(names);
        while (m.find()) found.add(m.group(1));
        return found;
    }

    private static Set<String> unknown(Set<String> queried) {
        Set<String> unknown = new TreeSet<>(queried);
        unknown.removeAll(exported);
        unknown.removeAll(CONTRACT_METRICS);
        unknown.removeAll(PROMETHEUS_METRICS);
        return unknown;
    }
}
