package io.usagebackfill;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import io.usagebackfill.support.BackfillCli;
import io.usagebackfill.support.DatabaseExtension;
import io.usagebackfill.support.LogFiles;
import io.usagebackfill.support.TestDatabase;
import io.usagebackfill.support.Totals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The job files in {@code jobs/}, run as the scheduler runs them, with only their paths pointed at test dirs. */
class JobsIT {

    @RegisterExtension
    static final DatabaseExtension DATABASE = DatabaseExtension.withFreshTable();

    private final TestDatabase database = DATABASE.testDatabase();
    private final BackfillCli cli = DATABASE.cli();

    @TempDir
    Path dir;

    @Test
    void theNightlyRunsOncePerDayAndASecondRunTheSameDaySaysSoAndExitsZero() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Files.write(logs.resolve("app.log"), BackfillIT.events(0, 40));
        Path job = nightlyPointedAt(logs, "nightly-{date}");

        JsonNode plan = cli.report(dir, "run", job.toString(), "--dry-run");
        JsonNode first = runJob(job);
        BackfillCli.Outcome again = cli.capture("run", job.toString());

        assertThat(plan.get("dryRun").booleanValue()).isTrue();
        assertThat(plan.get("inserted").longValue()).as("would insert").isEqualTo(40);
        assertThat(first.get("inserted").longValue()).isEqualTo(40);
        assertThat(again.exit()).isZero();
        assertThat(again.stdout()).contains("already completed").contains("nothing to do");
        assertThat(database.count("SELECT count(*) FROM token_usage")).isEqualTo(40);
    }

    @Test
    void aDryRunByHandAfterTheNightNeverWritesOverTheNightsReportOrRejects() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        List<String> lines = new java.util.ArrayList<>(BackfillIT.events(0, 40));
        lines.add("{\"msg\":\"token_usage\",\"time\":1762682400000,\"model\":\"gpt-4o\"}");
        Files.write(logs.resolve("app.log"), lines);
        Path job = nightlyPointedAt(logs, "nightly-{date}");
        Path report = dir.resolve("night.json");
        Path rejects = dir.resolve("rejects-" + java.time.LocalDate.now(java.time.ZoneOffset.UTC) + ".log");
        assertThat(cli.run("run", job.toString(), "--report-json", report.toString())).isZero();
        String night = Files.readString(report);
        String nightRejects = Files.readString(rejects);

        BackfillCli.Outcome dry = cli.capture("run", job.toString(), "--report-json", report.toString(), "--dry-run");

        assertThat(dry.exit()).as(dry.printed()).isZero();
        assertThat(Files.readString(report)).isEqualTo(night);
        assertThat(Files.readString(rejects)).isEqualTo(nightRejects);
        Path dryReport = dir.resolve("night.dry-run.json");
        assertThat(BackfillCli.readJson(dryReport).get("dryRun").booleanValue()).isTrue();
        assertThat(dry.stdout()).contains("does not write over").contains(dryReport.toString());
    }

    @Test
    void aNightThatDidNotReconcileIsNotHiddenByTheSchedulersRetry() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Files.write(logs.resolve("app.log"), BackfillIT.events(0, 40));
        database.beforeInsert("zero_cost", "NEW.cost_usd := 0; RETURN NEW;");
        Path job = nightlyPointedAt(logs, "nightly-{date}");

        BackfillCli.Outcome night = cli.capture("run", job.toString());
        BackfillCli.Outcome retry = cli.capture("run", job.toString());
        Files.write(logs.resolve("later.log"), BackfillIT.events(40, 45));
        BackfillCli.Outcome retryWithNewFiles = cli.capture("run", job.toString());
        JsonNode status = BackfillCli.readJsonText(cli.output("status", "--json"));

        assertThat(night.exit()).as(night.printed()).isEqualTo(4);
        assertThat(night.stdout()).contains("NOT reconciled");
        for (BackfillCli.Outcome again : List.of(retry, retryWithNewFiles)) {
            assertThat(again.exit()).as(again.printed()).isEqualTo(4);
            assertThat(again.stderr()).contains("did NOT reconcile").contains("import under another run key")
                    .doesNotContain("nothing to do");
        }
        assertThat(status.get("runs").get(0).get("status").stringValue()).isEqualTo("NOT_RECONCILED");

        // The operator sets the table right; the next night reads the files that night left unrecorded.
        database.execute("DROP TRIGGER zero_cost ON token_usage", "DELETE FROM token_usage");
        BackfillCli.Outcome nextNight = cli.capture("run", nightlyPointedAt(logs, "next-night").toString());
        assertThat(nextNight.exit()).as(nextNight.printed()).isZero();
        long prompt = java.util.stream.IntStream.range(0, 45).mapToLong(i -> 10 + i).sum();
        assertThat(Totals.inTable(database)).isEqualTo(new Totals(45, prompt, 45 * 5, prompt + 45 * 5, 45 * 20));
    }

    @Test
    void aNightOverAnUnchangedDirectorySaysThereIsNothingNewWithoutStartingTheJob() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Files.write(logs.resolve("app.log"), BackfillIT.events(0, 40));
        LogFiles.writeGzip(logs.resolve("app.log.1.gz"), BackfillIT.events(100, 140));
        runJob(nightlyPointedAt(logs, "night-1"));
        long executions = database.count("SELECT count(*) FROM usage_backfill.batch_job_execution");

        BackfillCli.Outcome night2 = cli.capture("run", nightlyPointedAt(logs, "night-2").toString());
        JsonNode night2Report = cli.report(dir, "run", nightlyPointedAt(logs, "night-2b").toString());
        BackfillCli.Outcome night1Again = cli.capture("run", nightlyPointedAt(logs, "night-1").toString());

        assertThat(night2.exit()).isZero();
        assertThat(night2.stdout()).contains("nothing new").contains("the 2 files are unchanged");
        assertThat(night2Report.get("status").stringValue()).isEqualTo("NOTHING_NEW");
        assertThat(night2Report.get("inserted").longValue()).isZero();
        assertThat(night2Report.get("unchangedFiles").longValue()).isEqualTo(2);
        assertThat(night2Report.get("notices").get(0).stringValue()).contains("nothing new");
        assertThat(night1Again.exit()).isZero();
        assertThat(night1Again.stdout()).contains("the run night-1 already completed");
        assertThat(database.count("SELECT count(*) FROM usage_backfill.batch_job_execution")).isEqualTo(executions);
    }

    @Test
    void aRunKeyThatCompletedBeforeWritesTonightsReportSayingSoNotLastNightsFigures() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Files.write(logs.resolve("app.log"), BackfillIT.events(0, 40));
        Path job = nightlyPointedAt(logs, "nightly-{date}");
        JsonNode first = runJob(job);
        // A new file, so the run starts and finds its key done rather than nothing new.
        Files.write(logs.resolve("later.log"), BackfillIT.events(40, 50));

        JsonNode again = runJob(job);

        assertThat(first.get("inserted").longValue()).isEqualTo(40);
        assertThat(again.get("status").stringValue()).isEqualTo("ALREADY_COMPLETED");
        assertThat(again.get("executionId").longValue()).isEqualTo(first.get("executionId").longValue());
        assertThat(again.get("inserted").longValue()).isZero();
        assertThat(again.get("notices").get(0).stringValue()).contains("already completed");
    }

    @Test
    void aNightlyThatFailedIsResumedBySimplyRunningItAgain() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        List<String> lines = new java.util.ArrayList<>(BackfillIT.events(0, 300));
        lines.set(250, BackfillIT.eventWithModel(250, "explode"));
        Files.write(logs.resolve("app.log"), lines);
        database.execute("""
                CREATE FUNCTION refuse_explode() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN IF NEW.model = 'explode' THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$""",
                "CREATE TRIGGER refuse_explode BEFORE INSERT ON token_usage FOR EACH ROW EXECUTE FUNCTION"
                        + " refuse_explode()");
        Path job = nightlyPointedAt(logs, "nightly-{date}");

        int failed = cli.run("run", job.toString(), "--chunk-size", "100");
        database.execute("DROP TRIGGER refuse_explode ON token_usage", "DROP FUNCTION refuse_explode()");
        JsonNode retried = runJob(job);

        assertThat(failed).isEqualTo(1);
        assertThat(retried.get("status").stringValue()).isEqualTo("COMPLETED");
        assertThat(retried.get("inserted").longValue()).isEqualTo(300);
        assertThat(retried.get("duplicates").longValue()).as("resumed, not read again").isZero();
        assertThat(database.count("SELECT count(DISTINCT id) FROM token_usage")).isEqualTo(300);
    }

    @Test
    void aFileThatStartsLikeOneReadBeforeButIsShorterIsReadFromItsStart() throws Exception {
        Path first = Files.createDirectories(dir.resolve("first"));
        Files.write(first.resolve("app.log"), BackfillIT.events(0, 60));
        runJob(nightlyPointedAt(first, "night-1"));
        Path second = Files.createDirectories(dir.resolve("second"));
        LogFiles.writeGzip(second.resolve("app.log.1.gz"), BackfillIT.events(0, 50));

        JsonNode night2 = runJob(nightlyPointedAt(second, "night-2"));

        assertThat(night2.get("status").stringValue()).isEqualTo("COMPLETED");
        assertThat(night2.get("duplicates").longValue()).isEqualTo(50);
        assertThat(night2.get("notices").toString()).contains("read from its start");
    }

    @Test
    void theNextNightSkipsUnchangedFilesAndReadsOnlyTheNewLinesOfGrownOnes() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Files.write(logs.resolve("app.log"), BackfillIT.events(0, 40));
        LogFiles.writeGzip(logs.resolve("app.log.1.gz"), BackfillIT.events(1_000, 1_030));
        runJob(nightlyPointedAt(logs, "night-1"));
        Files.write(logs.resolve("app.log"), BackfillIT.events(40, 55), StandardOpenOption.APPEND);

        JsonNode night2 = runJob(nightlyPointedAt(logs, "night-2"));

        assertThat(night2.get("unchangedFiles").intValue()).isEqualTo(1);
        assertThat(night2.get("files").intValue()).isEqualTo(1);
        assertThat(night2.get("linesRead").longValue()).as("only the appended lines are read").isEqualTo(15);
        assertThat(night2.get("inserted").longValue()).isEqualTo(15);
        assertThat(night2.get("duplicates").longValue()).isZero();
        assertThat(database.count("SELECT count(*) FROM token_usage")).isEqualTo(85);
    }

    @Test
    void aNightlyLoadingInPartitionsRecordsWhereEachFileEndedSoTheNextReadsOnlyNewLines() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Files.write(logs.resolve("app.log"), BackfillIT.events(0, 400));
        LogFiles.writeGzip(logs.resolve("app.log.1.gz"), BackfillIT.events(1_000, 1_030));
        JsonNode night1 = runJob(inPartitions(nightlyPointedAt(logs, "night-1")));
        Files.write(logs.resolve("app.log"), BackfillIT.events(400, 415), StandardOpenOption.APPEND);

        JsonNode night2 = cli.report(dir, "run", nightlyPointedAt(logs, "night-2").toString(), "--threads", "3");

        assertThat(night1.get("inserted").longValue()).isEqualTo(430);
        assertThat(database.count("SELECT count(DISTINCT partition_no) FROM usage_backfill.partition_checkpoint"
                + " WHERE job_instance_id = " + night1.get("runId").longValue()))
                .as("app.log was cut into ranges beside the gzip").isEqualTo(3);
        assertThat(night2.get("linesRead").longValue()).as("only the appended lines are read").isEqualTo(15);
        assertThat(night2.get("inserted").longValue()).isEqualTo(15);
        assertThat(night2.get("duplicates").longValue()).isZero();
        assertThat(database.count("SELECT count(*) FROM token_usage")).isEqualTo(445);
    }

    @Test
    void aFileRotatedIntoAGzipAfterGrowingIsReadOnFromWhereTheLastNightStopped() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Files.write(logs.resolve("app.log"), BackfillIT.events(0, 40));
        runJob(nightlyPointedAt(logs, "night-1"));
        // The app wrote 10 more lines, then the rotator gzipped app.log and started an empty one.
        Files.write(logs.resolve("app.log"), BackfillIT.events(40, 50), StandardOpenOption.APPEND);
        LogFiles.writeGzip(logs.resolve("app.log.1.gz"), Files.readAllLines(logs.resolve("app.log")));
        Files.write(logs.resolve("app.log"), BackfillIT.events(50, 52));

        JsonNode night2 = runJob(nightlyPointedAt(logs, "night-2"));

        assertThat(night2.get("inserted").longValue()).isEqualTo(12);
        assertThat(database.count("SELECT count(*) FROM token_usage")).isEqualTo(52);
        assertThat(database.count("SELECT count(DISTINCT id) FROM token_usage")).isEqualTo(52);
    }

    @Test
    void theHistoricalImportReadsEveryFileAndStopsAtTheAppsOwnRows() throws Exception {
        Path archive = Files.createDirectories(dir.resolve("archive"));
        Files.write(archive.resolve("app.log"), BackfillIT.events(0, 100));
        database.execute("INSERT INTO token_usage (provider, model, created_at)"
                + " VALUES ('openai', 'gpt-4o-mini', '2025-11-09T10:01:00Z')");
        Path job = pointedAt(Path.of("jobs", "historical-import.properties"), archive, null);

        JsonNode report = runJob(job);

        assertThat(report.get("inserted").longValue()).isEqualTo(60);
        assertThat(report.get("outsideWindow").longValue()).isEqualTo(40);
    }

    @Test
    void theSchedulerFilesRunTheNightlyJobFile() throws Exception {
        for (String file : List.of("nightly-backfill.crontab", "usage-backfill-nightly.service",
                "nightly-backfill.cronjob.yaml")) {
            String text = Files.readString(Path.of("jobs", file));
            assertThat(text).as(file).containsAnyOf("bin/usage-backfill run", "usage-backfill.jar\", \"run")
                    .containsAnyOf("jobs/nightly-backfill.properties", "/etc/usage-backfill/nightly-backfill.properties");
        }
        assertThat(Files.readString(Path.of("jobs", "usage-backfill-nightly.timer"))).contains("OnCalendar=");
    }

    @Test
    void everySchedulerStopsRetryingOnExitsTwoAndFourAndRetriesExitOneAndThree() throws Exception {
        for (String file : List.of("nightly-backfill.cronjob.yaml", "usage-backfill-nightly-broker.cronjob.yaml")) {
            String text = Files.readString(Path.of("jobs", file));
            java.util.regex.Matcher container = java.util.regex.Pattern.compile("containers:\\s*- name: (\\S+)")
                    .matcher(text);
            assertThat(container.find()).as(file).isTrue();
            assertThat(text).as(file + ": exits 2 and 4 fail the Job, only they").containsPattern("action: FailJob\\s*(#[^\\n]*)?"
                    + "\\s*onExitCodes: \\{ containerName: " + container.group(1) + ", operator: In, values: \\[2, 4\\] \\}")
                    .containsPattern("backoffLimit: [1-9]");
        }
        String service = Files.readString(Path.of("jobs", "usage-backfill-nightly.service"));
        assertThat(service).contains("Restart=on-failure").containsPattern("RestartPreventExitStatus=2 4\\s")
                .doesNotContainPattern("SuccessExitStatus=.*\\b3\\b");
    }

    @Test
    void theHistoricalImportWritesItsOutputsWhereTheUserRunningItCanWrite() throws Exception {
        Path archive = Files.createDirectories(dir.resolve("archive"));
        Files.write(archive.resolve("app.log"), BackfillIT.events(0, 10));
        Path workingDirectory = Files.createDirectories(dir.resolve("home"));
        String date = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        Path job = dir.resolve("historical.properties");
        // The shipped file as it is, its relative outputs resolved as the user's working directory would.
        Files.writeString(job, Files.readString(Path.of("jobs", "historical-import.properties"))
                .replaceAll("(?m)^(rejects|report-json)=", "$1=" + workingDirectory + "/"));

        BackfillCli.Outcome outcome = cli.capture("run", job.toString(), archive.toString());

        assertThat(Files.readString(Path.of("jobs", "historical-import.properties")))
                .doesNotContainPattern("(?m)^(rejects|report-json)=/").contains("rejects=usage-backfill-out/");
        assertThat(outcome.exit()).as(outcome.printed()).isZero();
        assertThat(BackfillCli.readJson(workingDirectory.resolve("usage-backfill-out")
                .resolve("historical-" + date + ".json")).get("inserted").longValue()).isEqualTo(10);
    }

    @Test
    void theShippedNightlysExamplePathsThatMatchNothingAreNamedWithTheJobFileAndItsKey() throws Exception {
        Path job = Files.copy(Path.of("jobs", "nightly-backfill.properties"), dir.resolve("nightly.properties"));
        Files.writeString(job, Files.readString(job).replace("paths=/var/log/app", "paths=" + dir.resolve("nowhere"))
                .replaceAll("(?m)^(rejects|report-json)=.*$", "$1=" + dir.resolve("out").resolve("x-{date}")));

        BackfillCli.Outcome outcome = cli.capture("run", job.toString());

        assertThat(outcome.exit()).as(outcome.printed()).isEqualTo(2);
        assertThat(outcome.stderr()).contains("job file " + job).contains("`paths`").contains(dir.resolve("nowhere")
                .toString()).contains("matches no readable file");
    }

    @Test
    void pathsAfterTheJobFileReplaceItsPathsAndTheSummaryNamesThePathsRead() throws Exception {
        Path fileLogs = Files.createDirectories(dir.resolve("file-logs"));
        Files.write(fileLogs.resolve("app.log"), BackfillIT.events(0, 40));
        Path given = Files.createDirectories(dir.resolve("given"));
        Files.write(given.resolve("app.log"), BackfillIT.events(100, 110));
        Path job = pointedAt(Path.of("jobs", "historical-import.properties"), fileLogs, null);

        BackfillCli.Outcome outcome = cli.capture("run", job.toString(), given.toString());

        assertThat(outcome.exit()).as(outcome.printed()).isZero();
        assertThat(outcome.stdout()).contains("paths: " + given).doesNotContain(fileLogs.toString());
        assertThat(database.count("SELECT count(*) FROM token_usage")).isEqualTo(10);
    }

    @Test
    void aJobFileWithAnUnknownKeyIsRefusedNamingTheFileAndTheKey() throws Exception {
        Path job = dir.resolve("typo.properties");
        Files.writeString(job, "paths=/tmp\nuntill=auto\n");

        BackfillCli.Outcome outcome = cli.capture("run", job.toString());

        assertThat(outcome.exit()).isEqualTo(2);
        assertThat(outcome.stderr()).contains("typo.properties").contains("`untill`");
    }

    private JsonNode runJob(Path job) throws Exception {
        return cli.report(dir, "run", job.toString());
    }

    private static Path inPartitions(Path jobFile) throws Exception {
        Files.writeString(jobFile, "threads=3\n", StandardOpenOption.APPEND);
        return jobFile;
    }

    private Path nightlyPointedAt(Path logs, String runKey) throws Exception {
        return pointedAt(Path.of("jobs", "nightly-backfill.properties"), logs, runKey);
    }

    /** The real job file with its paths, rejects, report and (when given) run key replaced. */
    private Path pointedAt(Path jobFile, Path logs, String runKey) throws Exception {
        StringBuilder text = new StringBuilder();
        for (String line : Files.readAllLines(jobFile)) {
            if (line.startsWith("paths=")) {
                line = "paths=" + logs;
            } else if (line.startsWith("rejects=")) {
                line = "rejects=" + dir.resolve("rejects-{date}.log");
            } else if (line.startsWith("report-json=")) {
                continue;
            } else if (line.startsWith("run-key=") && runKey != null) {
                line = "run-key=" + runKey;
            }
            text.append(line).append('\n');
        }
        Path copy = dir.resolve(jobFile.getFileName() + "-" + System.nanoTime() + ".properties");
        Files.writeString(copy, text);
        return copy;
    }
}
