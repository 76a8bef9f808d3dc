package io.usagebackfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

import io.usagebackfill.support.BackfillCli;
import io.usagebackfill.support.DatabaseExtension;
import io.usagebackfill.support.MonitoringFiles;
import io.usagebackfill.support.Pushgateway;
import io.usagebackfill.support.TokenEvents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code --metrics-push} against a real Pushgateway ({@value Pushgateway#ENVIRONMENT}; .ci/run starts Debian's):
 * what the gateway holds after a run is what the run's report says; and against gateways that are down or silent.
 */
class MetricsIT {

    @RegisterExtension
    static final DatabaseExtension DB = DatabaseExtension.withFreshTable();

    @TempDir
    Path dir;

    private final List<String> groups = new ArrayList<>();

    @AfterEach
    void forgetTheGroups() throws Exception {
        if (System.getenv(Pushgateway.ENVIRONMENT) != null) {
            for (String group : groups) {
                gateway().delete(group);
            }
        }
    }

    @Test
    void theGatewayHoldsWhatTheReportSaysAndSpringBatchsTimersBesideIt() throws Exception {
        Pushgateway gateway = gateway();
        String run = group("report");
        Path logs = knownEvents();

        JsonNode report = importPushing(gateway, run, "--until", "2025-11-30", logs.toString());

        List<Pushgateway.Sample> held = gateway.group(run);
        assertHoldsTheReport(held, report);
        assertThat(value(held, "usage_backfill_inserted_events")).isEqualTo(7);
        assertThat(value(held, "usage_backfill_rejected_events")).isEqualTo(1);
        assertThat(value(held, "usage_backfill_last_success_timestamp_seconds"))
                .isBetween(Instant.now().minusSeconds(120).getEpochSecond() * 1.0, Instant.now().getEpochSecond() + 1.0);
        assertThat(held).as("Spring Batch's own job timer").anySatisfy(s -> {
            assertThat(s.name()).isEqualTo("spring_batch_job_seconds_count");
            assertThat(s.labels()).containsEntry("spring_batch_job_status", "COMPLETED");
            assertThat(s.value()).isEqualTo(1);
        });
        assertThat(held).extracting(Pushgateway.Sample::name).contains("spring_batch_step_seconds_count",
                "spring_batch_chunk_write_seconds_count").noneMatch(name -> name.startsWith("spring_batch_item_"));
        assertThat(held).allSatisfy(s -> assertThat(s.labels().values()).noneMatch(v -> v.contains("postgres")
                || v.matches(".*[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}.*")));

        JsonNode again = importPushing(gateway, run, "--until", "2025-11-30", logs.toString());

        List<Pushgateway.Sample> rerun = gateway.group(run);
        assertHoldsTheReport(rerun, again);
        assertThat(value(rerun, "usage_backfill_inserted_events")).isZero();
        assertThat(value(rerun, "usage_backfill_already_in_table_events")).isEqualTo(7);
    }

    @Test
    void theDashboardAndTheAlertRulesNameOnlyMetricsARunPushes() throws Exception {
        Pushgateway gateway = gateway();
        String run = group("names");
        importPushing(gateway, run, knownEvents().toString());
        Set<String> held = gateway.group(run).stream().map(Pushgateway.Sample::name)
                .collect(Collectors.toCollection(TreeSet::new));
        List<String> queries = new ArrayList<>(MonitoringFiles.dashboardQueries());
        queries.addAll(MonitoringFiles.ruleExpressions());

        Set<String> named = MonitoringFiles.metricNames(queries);

        assertThat(named).contains("usage_backfill_last_success_timestamp_seconds", "spring_batch_step_seconds_sum");
        assertThat(held).as("what the gateway holds after a run").containsAll(named);
    }

    @Test
    void aFailedRunKeepsTheLastSuccessAndItsRestartPushesUnderTheRunsOwnName() throws Exception {
        Pushgateway gateway = gateway();
        String run = group("restart");
        Path logs = knownEvents();
        importPushing(gateway, run, logs.toString());
        double success = value(gateway.group(run), "usage_backfill_last_success_timestamp_seconds");
        DB.freshTable();

        BackfillCli.Outcome failed = DB.cli().capture("import", "--metrics-push", gateway.url(), "--metrics-run", run,
                "--skip-limit", "0", "--chunk-size", "2", logs.toString());

        assertThat(failed.exit()).as(failed.printed()).isEqualTo(1);
        List<Pushgateway.Sample> afterFailure = gateway.group(run);
        assertThat(value(afterFailure, "usage_backfill_exit_code")).isEqualTo(1);
        assertThat(value(afterFailure, "usage_backfill_last_success_timestamp_seconds")).isEqualTo(success);

        JsonNode restarted = DB.cli().report(dir, "restart", "--skip-limit", "5", "--metrics-push", gateway.url());

        List<Pushgateway.Sample> afterRestart = gateway.group(run);
        assertHoldsTheReport(afterRestart, restarted);
        assertThat(value(afterRestart, "usage_backfill_last_success_timestamp_seconds")).isGreaterThan(success);
    }

    @Test
    void aNightWithNothingNewIsASuccessWithNothingLoadedAndARunKeyDoneBeforeKeepsItsRunsFigures() throws Exception {
        Pushgateway gateway = gateway();
        String incremental = group("incremental");
        String keyed = group("keyed");
        Path logs = knownEvents();
        importPushing(gateway, incremental, "--incremental", logs.toString());
        double first = value(gateway.group(incremental), "usage_backfill_last_success_timestamp_seconds");

        JsonNode quiet = importPushing(gateway, incremental, "--incremental", logs.toString());

        assertThat(quiet.get("status").asString()).isEqualTo("NOTHING_NEW");
        List<Pushgateway.Sample> nothingNew = gateway.group(incremental);
        assertHoldsTheReport(nothingNew, quiet);
        assertThat(value(nothingNew, "usage_backfill_last_success_timestamp_seconds")).isGreaterThanOrEqualTo(first);

        DB.freshTable();
        JsonNode done = importPushing(gateway, keyed, "--run-key", "once", logs.toString());
        JsonNode again = importPushing(gateway, keyed, "--run-key", "once", logs.toString());

        assertThat(again.get("status").asString()).isEqualTo("ALREADY_COMPLETED");
        List<Pushgateway.Sample> alreadyDone = gateway.group(keyed);
        assertHoldsTheReport(alreadyDone, done);
        assertThat(value(alreadyDone, "usage_backfill_inserted_events")).isEqualTo(8);
    }

    @Test
    void aCommandThatFailsBeforeItsRunPushesItsExitCodeAndKeepsTheFigures() throws Exception {
        Pushgateway gateway = gateway();
        String run = group("early");
        Path logs = knownEvents();
        JsonNode report = importPushing(gateway, run, logs.toString());

        BackfillCli.Outcome refused = DB.cli().capture("import", "--metrics-push", gateway.url(), "--metrics-run", run,
                "--table", "no_such_table", logs.toString());

        assertThat(refused.exit()).as(refused.printed()).isEqualTo(2);
        List<Pushgateway.Sample> held = gateway.group(run);
        assertThat(value(held, "usage_backfill_exit_code")).isEqualTo(2);
        assertThat(value(held, "usage_backfill_inserted_events")).isEqualTo(report.get("inserted").asDouble());
        assertThat(Pushgateway.value(held, "usage_backfill_last_success_timestamp_seconds")).isPresent();
    }

    @Test
    void aJobFilesRunPushesUnderTheFilesNameToTheGatewayTheEnvironmentNames() throws Exception {
        Pushgateway gateway = gateway();
        String name = group("job");
        Path logs = knownEvents();
        Path job = Files.writeString(dir.resolve(name + ".properties"), "paths=" + logs + "\nreport-json="
                + dir.resolve("job.json") + "\nrejects=" + dir.resolve("job.rejects.log") + "\n");
        Path env = Files.writeString(dir.resolve("env"), "USAGE_BACKFILL_METRICS_PUSH=" + gateway.url() + "\n");

        BackfillCli.Outcome ran = DB.cli().capture("run", job.toString(), "--env-file", env.toString());

        assertThat(ran.exit()).as(ran.printed()).isZero();
        assertHoldsTheReport(gateway.group(name), BackfillCli.readJson(dir.resolve("job.json")));
    }

    @Test
    void aGatewayThatIsDownOrSilentCostsOneWarningAndAFewSecondsNeverTheRunsResult() throws Exception {
        Path logs = knownEvents();
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        try (ServerSocket silent = new ServerSocket(0)) {
            for (String url : List.of("http://127.0.0.1:" + closed, "127.0.0.1:" + silent.getLocalPort())) {
                DB.freshTable();
                Path report = dir.resolve("down-" + System.nanoTime() + ".json");
                long start = System.nanoTime();

                BackfillCli.Outcome outcome = DB.cli().capture("import", "--metrics-push", url, "--progress-every",
                        "1", "--report-json", report.toString(), logs.toString());

                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertThat(outcome.exit()).as(outcome.printed()).isZero();
                assertThat(BackfillCli.readJson(report).get("inserted").asLong()).isEqualTo(8);
                assertThat(outcome.stderr().lines().filter(line -> line.contains("warning")).toList()).hasSize(1)
                        .allSatisfy(line -> assertThat(line).startsWith("usage-backfill: warning: cannot push metrics"
                                + " to the Pushgateway http://127.0.0.1:").contains("the run itself is not affected"));
                assertThat(took).as("the run and at most the push's deadline").isLessThan(Duration.ofSeconds(30));
            }
        }
    }

    /** {@code import --metrics-push GATEWAY --metrics-run RUN ARGS}, which must exit 0; its JSON report. */
    private JsonNode importPushing(Pushgateway gateway, String run, String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("import", "--metrics-push", gateway.url(), "--metrics-run", run));
        all.addAll(List.of(args));
        return DB.cli().report(dir, all.toArray(String[]::new));
    }

    private static void assertHoldsTheReport(List<Pushgateway.Sample> held, JsonNode report) {
        assertThat(held).as("the group's samples").isNotEmpty();
        assertThat(value(held, "usage_backfill_files")).isEqualTo(report.get("files").asDouble());
        assertThat(value(held, "usage_backfill_read_bytes")).isEqualTo(report.get("fileBytes").asDouble());
        assertThat(value(held, "usage_backfill_read_lines")).isEqualTo(report.get("linesRead").asDouble());
        assertThat(value(held, "usage_backfill_events")).isEqualTo(report.get("events").asDouble());
        assertThat(value(held, "usage_backfill_inserted_events")).isEqualTo(report.get("inserted").asDouble());
        assertThat(value(held, "usage_backfill_already_in_table_events"))
                .isEqualTo(report.get("alreadyInTable").asDouble());
        assertThat(value(held, "usage_backfill_repeated_events")).isEqualTo(report.get("duplicatesInInput").asDouble());
        assertThat(value(held, "usage_backfill_rejected_events")).isEqualTo(report.get("rejected").asDouble());
        assertThat(value(held, "usage_backfill_outside_window_events"))
                .isEqualTo(report.get("outsideWindow").asDouble());
        assertThat(value(held, "usage_backfill_ignored_lines")).isEqualTo(report.get("ignored").asDouble());
        assertThat(value(held, "usage_backfill_duration_seconds")).isEqualTo(report.get("durationMs").asDouble() / 1000);
        assertThat(value(held, "usage_backfill_running")).isZero();
        assertThat(value(held, "usage_backfill_exit_code")).isZero();
        assertThat(held.stream().filter(s -> s.name().equals("usage_backfill_rejected_events_by_reason"))
                .mapToDouble(Pushgateway.Sample::value).sum()).isEqualTo(report.get("rejected").asDouble());
    }

    private static double value(List<Pushgateway.Sample> held, String name) {
        return Pushgateway.value(held, name).orElseThrow(() -> new AssertionError("the gateway holds no " + name
                + "; it holds " + held.stream().map(Pushgateway.Sample::name).distinct().toList()));
    }

    private static Pushgateway gateway() {
        String url = System.getenv(Pushgateway.ENVIRONMENT);
        assumeTrue(url != null && !url.isBlank(), Pushgateway.ENVIRONMENT + " names no Pushgateway (.ci/run starts"
                + " Debian's prometheus-pushgateway and sets it); skipped");
        return new Pushgateway(url);
    }

    private String group(String what) {
        String name = "metrics-it-" + what + "-" + UUID.randomUUID().toString().substring(0, 8);
        groups.add(name);
        return name;
    }

    /**
     * Seven events on 2025-11-09 (the third logged twice: two calls alike), one line whose prompt_tokens is no count,
     * one event past --until 2025-11-30, and a line that is no event.
     */
    private Path knownEvents() throws IOException {
        List<String> lines = new ArrayList<>(TokenEvents.lines(0, 6, TokenEvents::pino));
        lines.add(TokenEvents.pino(2));
        lines.add(TokenEvents.pino(7).replace("\"prompt_tokens\":17", "\"prompt_tokens\":\"17x\""));
        lines.add(TokenEvents.pino(8).replace("\"time\":" + TokenEvents.time(8).toEpochMilli(),
                "\"time\":" + Instant.parse("2025-12-01T10:00:00Z").toEpochMilli()));
        lines.add("{\"level\":30,\"msg\":\"request completed\"}");
        Path file = dir.resolve("app-" + System.nanoTime() + ".log");
        Files.write(file, lines);
        return file;
    }
}
