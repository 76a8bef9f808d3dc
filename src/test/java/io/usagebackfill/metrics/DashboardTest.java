package io.usagebackfill.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.usagebackfill.report.SampleReports;
import io.usagebackfill.support.ExternalTool;
import io.usagebackfill.support.MonitoringFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class DashboardTest {

    @Test
    void theDashboardImportsAsItIsOnAnyPrometheusDataSource() {
        JsonNode dashboard = MonitoringFiles.dashboard();

        assertThat(dashboard.get("uid").asString()).isEqualTo("usage-backfill");
        assertThat(dashboard.get("id")).as("an id is the exporting Grafana's own").isNull();
        List<String> variables = new ArrayList<>();
        dashboard.get("templating").get("list").forEach(v -> variables.add(v.get("name").asString() + ":"
                + v.get("type").asString()));
        assertThat(variables).containsExactly("datasource:datasource", "run:query");
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : dashboard.get("panels")) {
            assertThat(ids.add(panel.get("id").asInt())).as("panel ids are unique").isTrue();
            assertThat(panel.get("datasource").get("uid").asString()).isEqualTo("${datasource}");
            assertThat(panel.get("gridPos").get("w").asInt()).isBetween(1, 24);
            for (JsonNode target : panel.get("targets")) {
                assertThat(target.get("datasource").get("uid").asString()).isEqualTo("${datasource}");
                assertThat(target.get("expr").asString()).contains("job=\"usage-backfill\", run=\"$run\"");
            }
        }
        assertThat(MonitoringFiles.dashboardQueries()).hasSizeGreaterThanOrEqualTo(10);
    }

    @Test
    void everyQueryIsValidPromQl(@TempDir Path dir) throws Exception {
        ExternalTool promtool = ExternalTool.require("prometheus", "promtool");
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        int n = 0;
        for (String query : MonitoringFiles.dashboardQueries()) {
            rules.append("      - record: dashboard_query_").append(n++).append("\n        expr: '")
                    .append(query.replace("$run", "nightly-backfill").replace("'", "''")).append("'\n");
        }
        Path file = Files.writeString(dir.resolve("dashboard-queries.yml"), rules);

        ExternalTool.Ran checked = promtool.run(Duration.ofMinutes(1), "check", "rules", file.toString());

        assertThat(checked.exit()).as(checked.stdout() + checked.stderr()).isZero();
    }

    @Test
    void theDashboardAndTheRulesNameOnlyMetricsTheToolPushes() throws IOException {
        Set<String> pushed = new HashSet<>();
        try (CapturingGateway gateway = new CapturingGateway();
                RunMetrics metrics = new RunMetrics(PushTarget.parse("--metrics-push", gateway.url()), System.err)) {
            metrics.ended("nightly-backfill", SampleReports.completed(), 0, true, Instant.now());
            Matcher name = Pattern.compile("(?m)^(usage_backfill_[a-z_]+)[{ ]").matcher(gateway.pushes().get(0).body());
            while (name.find()) {
                pushed.add(name.group(1));
            }
        }
        List<String> queries = new ArrayList<>(MonitoringFiles.dashboardQueries());
        queries.addAll(MonitoringFiles.ruleExpressions());

        assertThat(MonitoringFiles.metricNames(queries)).filteredOn(m -> m.startsWith("usage_backfill_"))
                .isNotEmpty().allSatisfy(metric -> assertThat(pushed).contains(metric));
    }
}
