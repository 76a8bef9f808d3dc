package io.usagebackfill.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.usagebackfill.support.ExternalTool;
import io.usagebackfill.support.MonitoringFiles;
import org.junit.jupiter.api.Test;

class AlertRulesTest {

    @Test
    void theShippedRulesAreValidForPrometheus() throws Exception {
        ExternalTool.Ran checked = ExternalTool.require("prometheus", "promtool")
                .run(Duration.ofMinutes(1), "check", "rules", MonitoringFiles.RULES.toString());

        assertThat(checked.exit()).as(checked.stdout() + checked.stderr()).isZero();
        assertThat(checked.stdout()).contains("SUCCESS: 3 rules found");
    }

    @Test
    void theAlertsFireWhenTheNightlyHasNotSucceededFor26HoursOrRejectsTooMuchAndOnlyThen() throws Exception {
        ExternalTool.Ran tested = ExternalTool.require("prometheus", "promtool").run(Duration.ofMinutes(2), "test",
                "rules", "src/test/resources/metrics/usage-backfill.rules.test.yml");

        assertThat(tested.exit()).as(tested.stdout() + tested.stderr()).isZero();
        assertThat(tested.stdout()).contains("SUCCESS");
    }
}
