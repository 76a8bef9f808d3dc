package io.usagebackfill;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.usagebackfill.corpus.CorpusGenerator;
import io.usagebackfill.support.BackfillCli;
import io.usagebackfill.support.DatabaseExtension;
import io.usagebackfill.support.TestDatabase;
import io.usagebackfill.support.TokenEvents;
import io.usagebackfill.support.Totals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * A real crash: the packaged jar is started as its own process and killed with SIGKILL part-way, which leaves
 * Spring Batch's execution marked STARTED with nobody running it. {@code restart} must take it from there.
 */
class CrashRecoveryIT {

    private static final Path JAR = Path.of("target", "usage-backfill.jar");
    private static final String KILLED_RUN = "killed-run.out";

    @RegisterExtension
    static final DatabaseExtension DATABASE = DatabaseExtension.withFreshTable();

    private final TestDatabase database = DATABASE.testDatabase();
    private final BackfillCli cli = DATABASE.cli();

    @TempDir
    Path dir;

    @ParameterizedTest(name = "with --threads {0}")
    @ValueSource(ints = {1, 3})
    void aRunKilledWithSigkillMidChunkIsRestartedWithEveryEventLoadedAndRejectedExactlyOnce(int threads)
            throws Exception {
        CorpusGenerator.Written corpus = new CorpusGenerator(CorpusGenerator.Settings.pino(200_000).withFiles(2)
                .withBadShare(0.001).mixedShapes()).writeTo(dir.resolve("logs"));
        Path rejects = dir.resolve("rejects.log");

        Process importing = startJar(KILLED_RUN, "import", "--db", database.cliUrl(), "--chunk-size", "500",
                "--skip-limit", "100000", "--threads", String.valueOf(threads), "--rejects", rejects.toString(),
                dir.resolve("logs").toString());
        awaitRows(2_000, importing, KILLED_RUN);
        importing.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

        long beforeRestart = database.count("SELECT count(*) FROM token_usage");
        assertThat(beforeRestart).as("rows loaded before the kill").isBetween(1L, corpus.validEvents() - 1);
        assertThat(database.count("SELECT count(*) FROM usage_backfill.batch_job_execution WHERE status = 'STARTED'"))
                .as("the killed run is left marked as running").isEqualTo(1);

        JsonNode restarted = cli.report(dir, "restart");

        assertThat(restarted.get("status").stringValue()).isEqualTo("COMPLETED");
        assertThat(database.count("SELECT count(*) FROM token_usage")).isEqualTo(corpus.validEvents());
        assertThat(database.count("SELECT count(DISTINCT id) FROM token_usage")).isEqualTo(corpus.validEvents());
        assertThat(restarted.get("inserted").longValue()).isEqualTo(corpus.validEvents());
        assertThat(restarted.get("duplicates").longValue())
                .as("rows of the chunk the kill interrupted were rolled back, not merged twice").isZero();
        assertThat(restarted.get("rejected").longValue()).isEqualTo(corpus.badEvents());
        assertThat(Files.readAllLines(rejects)).hasSize((int) corpus.badEvents());
        assertThat(database.count("SELECT count(*) FROM usage_backfill.rejected_line WHERE job_instance_id = "
                + restarted.get("runId").longValue())).isEqualTo(corpus.badEvents());
        assertThat(Files.readAllLines(Path.of(rejects + ".reasons.csv"))).hasSize((int) corpus.badEvents() + 1);
        try (var left = Files.list(dir)) {
            assertThat(left.map(f -> f.getFileName().toString())).noneMatch(name -> name.contains(".part-"));
        }
    }

    /**
     * The next chunks are read and parsed on a thread of their own while a chunk loads: a kill then loses what was
     * parsed ahead, and the restart must resume right after the last committed chunk, across file boundaries,
     * with rejects and lines that only mention the event in between. Killed twice (the import, then the restart).
     */
    @ParameterizedTest(name = "with --threads {0}")
    @ValueSource(ints = {1, 2})
    void aRunKilledTwiceWhileItParsesAheadEndsWithEveryEventOnceAndTheExactTotals(int threads) throws Exception {
        int files = 3;
        int perFile = 20_000;
        List<String> bad = new ArrayList<>();
        for (int f = 0; f < files; f++) {
            List<String> lines = new ArrayList<>();
            for (int i = f * perFile; i < (f + 1) * perFile; i++) {
                lines.add(TokenEvents.pino(i));
                if (i % 997 == 0) {
                    String rejected = TokenEvents.pino(i).replace("\"prompt_tokens\":", "\"prompt_tokens\":-");
                    lines.add(rejected);
                    bad.add(rejected);
                }
                if (i % 13 == 0) {
                    lines.add("{\"level\":50,\"msg\":\"insert into token_usage failed\",\"n\":" + i + "}");
                }
            }
            Files.createDirectories(dir.resolve("logs"));
            Files.write(dir.resolve("logs").resolve("app-" + f + ".log"), lines);
        }
        Path rejects = dir.resolve("rejects.log");

        Process importing = startJar(KILLED_RUN, "import", "--db", database.cliUrl(), "--chunk-size", "100",
                "--skip-limit", "100000", "--threads", String.valueOf(threads), "--rejects", rejects.toString(),
                dir.resolve("logs").toString());
        awaitRows(15_000, importing, KILLED_RUN);
        importing.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        Process restarting = startJar("killed-restart.out", "restart", "--db", database.cliUrl());
        awaitRows(database.count("SELECT count(*) FROM token_usage") + 15_000, restarting, "killed-restart.out");
        restarting.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        long beforeLastRestart = database.count("SELECT count(*) FROM token_usage");

        JsonNode restarted = cli.report(dir, "restart");

        assertThat(beforeLastRestart).as("rows loaded before the second kill").isLessThan(files * perFile);
        assertThat(restarted.get("status").stringValue()).isEqualTo("COMPLETED");
        assertThat(Totals.inTable(database)).isEqualTo(TokenEvents.totals(0, files * perFile));
        assertThat(database.count("SELECT count(DISTINCT id) FROM token_usage")).isEqualTo(files * perFile);
        assertThat(restarted.get("inserted").longValue()).isEqualTo(files * perFile);
        assertThat(restarted.get("duplicates").longValue()).isZero();
        assertThat(restarted.get("rejected").longValue()).isEqualTo(bad.size());
        assertThat(restarted.get("ignored").longValue()).isEqualTo((files * perFile + 12) / 13);
        assertThat(Files.readAllLines(rejects)).containsExactlyInAnyOrderElementsOf(bad);
    }

    /**
     * A second signal ends the process at once, which can fall after the run's stop was recorded and before its
     * steps' were: the run reads STOPPED (or FAILED, or UNKNOWN on a lost database) while its steps still read
     * STARTED, or UNKNOWN, and Spring Batch refuses to start such a run again ("already running"). The states are
     * made here by hand, on what a SIGKILL left, because the signal hits that window only now and then.
     */
    @ParameterizedTest(name = "run {0}, steps {1}")
    @CsvSource({"STOPPED, STARTED", "FAILED, STARTED", "STOPPED, UNKNOWN", "UNKNOWN, STOPPING"})
    void aRunWhoseStepsWereLeftRunningUnderARunThatEndedIsRestartedWithEveryEventOnce(String runStatus,
            String stepStatus) throws Exception {
        CorpusGenerator.Written corpus = new CorpusGenerator(CorpusGenerator.Settings.pino(100_000))
                .writeTo(dir.resolve("logs"));
        Process importing = startJar(KILLED_RUN, "import", "--db", database.cliUrl(), "--chunk-size", "500",
                "--rejects", dir.resolve("rejects.log").toString(), dir.resolve("logs").toString());
        awaitRows(2_000, importing, KILLED_RUN);
        importing.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        String killed = " WHERE job_execution_id = (SELECT max(job_execution_id)"
                + " FROM usage_backfill.batch_job_execution)";
        database.execute("UPDATE usage_backfill.batch_job_execution SET status = '" + runStatus + "', end_time = now()"
                + killed, "UPDATE usage_backfill.batch_step_execution SET status = '" + stepStatus + "'" + killed);

        JsonNode restarted = cli.report(dir, "restart");

        assertThat(restarted.get("status").stringValue()).isEqualTo("COMPLETED");
        assertThat(restarted.get("inserted").longValue()).isEqualTo(corpus.validEvents());
        assertThat(database.count("SELECT count(*) FROM token_usage")).isEqualTo(corpus.validEvents());
        assertThat(database.count("SELECT count(DISTINCT id) FROM token_usage")).isEqualTo(corpus.validEvents());
    }

    @Test
    void twoImportsStartedAtOnceOnTheSameFilesLoadEveryRowOnceAndTheLoserExitsThree() throws Exception {
        CorpusGenerator.Written corpus = new CorpusGenerator(CorpusGenerator.Settings.pino(100_000))
                .writeTo(dir.resolve("logs"));
        List<Process> imports = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            imports.add(startJar("run-" + i + ".out", "import", "--db", database.cliUrl(), "--rejects",
                    dir.resolve("rejects-" + i + ".log").toString(), dir.resolve("logs").toString()));
        }
        List<Integer> exits = new ArrayList<>();
        for (Process process : imports) {
            assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
            exits.add(process.exitValue());
        }

        assertThat(exits).as("one loads, the other finds the lock taken (or, if it came late, finds every row"
                + " there)").containsAnyOf(0).allMatch(exit -> exit == 0 || exit == 3);
        if (exits.contains(3)) {
            assertThat(Files.readString(dir.resolve("run-" + exits.indexOf(3) + ".out")))
                    .contains("another usage-backfill run");
        }
        assertThat(database.count("SELECT count(*) FROM token_usage")).isEqualTo(corpus.validEvents());
        assertThat(database.count("SELECT count(DISTINCT id) FROM token_usage")).isEqualTo(corpus.validEvents());
    }

    /** Starts the packaged jar as its own process, its stdout and stderr going to {@code output} in the test's dir. */
    private Process startJar(String output, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(output).toFile()).start();
    }

    private void awaitRows(long rows, Process process, String output) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (database.count("SELECT count(*) FROM token_usage") < rows) {
            assertThat(process.isAlive()).as("the run is still going; its output: "
                    + Files.readString(dir.resolve(output))).isTrue();
            assertThat(Instant.now()).as("rows appear within two minutes").isBefore(deadline);
            Thread.sleep(5);
        }
    }
}
