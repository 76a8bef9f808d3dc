package io.usagebackfill.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.usagebackfill.report.RunReport;
import io.usagebackfill.report.SampleReports;
import org.junit.jupiter.api.Test;

class RunMetricsTest {

    private static final Instant NOW = Instant.parse("2025-12-07T02:16:00Z");

    private final ByteArrayOutputStream warnings = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(warnings, true, StandardCharsets.UTF_8);

    @Test
    void aSuccessReplacesTheGroupWithTheReportsFiguresAndItsTimeAsTheLastSuccess() throws IOException {
        try (CapturingGateway gateway = new CapturingGateway();
                RunMetrics metrics = metricsTo(gateway.url())) {
            metrics.ended("nightly-backfill", SampleReports.completed(), 0, true, NOW);

            CapturingGateway.Push push = gateway.pushes().get(0);
            assertThat(push.method()).isEqualTo("PUT");
            assertThat(push.path()).isEqualTo("/metrics/job/usage-backfill/run/nightly-backfill");
            assertThat(push.body()).contains("usage_backfill_read_lines 40.0", "usage_backfill_events 12.0",
                    "usage_backfill_inserted_events 5.0", "usage_backfill_already_in_table_events 3.0",
                    "usage_backfill_repeated_events 1.0", "usage_backfill_rejected_events 2.0",
                    "usage_backfill_outside_window_events 1.0", "usage_backfill_read_bytes 4096.0",
                    "usage_backfill_files 2.0", "usage_backfill_duration_seconds 1.5", "usage_backfill_running 0.0",
                    "usage_backfill_exit_code 0.0", "usage_backfill_last_success_timestamp_seconds 1.76507376E9",
                    "usage_backfill_rejected_events_by_reason{reason=\"model is missing\"} 1.0",
                    "usage_backfill_rejected_events_by_reason{reason=\"user_id is …, not a UUID\"} 1.0");
        }
        assertThat(warnings.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void aFailureUpdatesTheGroupAndLeavesItsLastSuccessAsItWas() throws IOException {
        try (CapturingGateway gateway = new CapturingGateway();
                RunMetrics metrics = metricsTo(gateway.url())) {
            metrics.ended("nightly-backfill", SampleReports.completed(), 1, false, NOW);

            CapturingGateway.Push push = gateway.pushes().get(0);
            assertThat(push.method()).isEqualTo("POST");
            assertThat(push.body()).contains("usage_backfill_exit_code 1.0")
                    .doesNotContain("usage_backfill_last_success_timestamp_seconds");
        }
    }

    @Test
    void aRunKeyDoneBeforePushesOnlyItsOutcome() throws IOException {
        try (CapturingGateway gateway = new CapturingGateway();
                RunMetrics metrics = metricsTo(gateway.url())) {
            metrics.endedWithOutcomeOnly("nightly-backfill", 0, true, NOW);

            CapturingGateway.Push push = gateway.pushes().get(0);
            assertThat(push.method()).isEqualTo("POST");
            assertThat(push.body()).contains("usage_backfill_exit_code 0.0",
                    "usage_backfill_last_success_timestamp_seconds").doesNotContain("usage_backfill_inserted_events");
        }
    }

    @Test
    void whileItRunsTheCommittedCountsArePushedWithoutTouchingTheLastSuccess() throws Exception {
        try (CapturingGateway gateway = new CapturingGateway();
                RunMetrics metrics = metricsTo(gateway.url())) {
            RunReport sofar = SampleReports.completed();
            metrics.whileRunning("nightly-backfill", Duration.ofSeconds(1), () -> RunFigures.of(sofar));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (gateway.pushes().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            metrics.stopRunning();

            CapturingGateway.Push push = gateway.pushes().get(0);
            assertThat(push.method()).isEqualTo("POST");
            assertThat(push.body()).contains("usage_backfill_running 1.0", "usage_backfill_inserted_events 5.0")
                    .doesNotContain("usage_backfill_last_success_timestamp_seconds");
        }
    }

    @Test
    void credentialsGoInTheAuthorizationHeader() throws IOException {
        try (CapturingGateway gateway = new CapturingGateway();
                RunMetrics metrics = metricsTo(gateway.url().replace("//", "//ops:secret@"))) {
            metrics.ended("import", SampleReports.completed(), 0, true, NOW);

            assertThat(gateway.pushes().get(0).authorization()).isEqualTo("Basic b3BzOnNlY3JldA==");
        }
    }

    @Test
    void aGatewayThatIsDownCostsOneWarningLineAndNoMore() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        try (RunMetrics metrics = metricsTo("127.0.0.1:" + closed)) {
            long start = System.nanoTime();
            metrics.ended("import", SampleReports.completed(), 0, true, NOW);
            metrics.ended("import", SampleReports.completed(), 0, true, NOW);

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(MetricsPush.DEADLINE);
        }
        List<String> lines = warnings.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).startsWith("usage-backfill: warning: cannot push metrics to the Pushgateway http://127.0.0.1:"
                + closed + " (").contains("the run itself is not affected");
    }

    @Test
    void aGatewayThatNeverAnswersCostsAtMostTheDeadline() throws IOException {
        try (ServerSocket silent = new ServerSocket(0);
                RunMetrics metrics = metricsTo("127.0.0.1:" + silent.getLocalPort())) {
            long start = System.nanoTime();
            metrics.ended("import", SampleReports.completed(), 0, true, NOW);

            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isLessThan(MetricsPush.DEADLINE.plusSeconds(1));
        }
        assertThat(warnings.toString(StandardCharsets.UTF_8).lines().toList()).hasSize(1)
                .allSatisfy(line -> assertThat(line).contains("cannot push metrics"));
    }

    @Test
    void aReasonsLabelIsItsKindUpToItsExplanationWithoutIds() {
        assertThat(RunMetrics.reasonLabel("model is missing (looked for model, modelId); keys seen: usage.input=5"))
                .isEqualTo("model is missing");
        assertThat(RunMetrics.reasonLabel("input_tokens is …, not a token count; token counts must be whole numbers"))
                .isEqualTo("input_tokens is …, not a token count");
        assertThat(RunMetrics.reasonLabel("no user 6b0d549b-6f03-475a-9600-a35a099950d8 known"))
                .isEqualTo("no user … known");
        assertThat(RunMetrics.reasonLabel("x".repeat(500))).hasSize(121);
        assertThat(RunMetrics.reasonLabel("user_id is …><svg onload=alert(3)>\", not a UUID"))
                .isEqualTo("user_id is …, not a UUID");
        assertThat(RunMetrics.reasonLabel("user_id is …\\\"john@example.com\", not a UUID"))
                .isEqualTo("user_id is …, not a UUID");
        assertThat(RunMetrics.reasonLabel("unknown user john@example.com")).isEqualTo("unknown user …");
    }

    private RunMetrics metricsTo(String url) {
        return new RunMetrics(PushTarget.parse("--metrics-push", url), err);
    }
}
