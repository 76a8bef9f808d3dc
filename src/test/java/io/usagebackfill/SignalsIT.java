package io.usagebackfill;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.usagebackfill.corpus.CorpusGenerator;
import io.usagebackfill.support.BackfillCli;
import io.usagebackfill.support.DatabaseExtension;
import io.usagebackfill.support.JarProcess;
import io.usagebackfill.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * Ctrl-C and SIGTERM (what systemd and Kubernetes send) stop a run gracefully: STOPPED, one line on what was kept,
 * exit 130/143, and `restart` completes it with every event once; a second signal ends the process at once. A
 * live run shows in `status` as RUNNING.
 */
class SignalsIT {

    @RegisterExtension
    static final DatabaseExtension DATABASE = DatabaseExtension.withFreshTable();

    private final TestDatabase database = DATABASE.testDatabase();
    private final BackfillCli cli = DATABASE.cli();

    @TempDir
    Path dir;

    private CorpusGenerator.Written corpus;

    @ParameterizedTest(name = "SIG{0} exits {1}")
    @CsvSource({"TERM, 143", "INT, 130"})
    void aSignalStopsTheRunAfterRollingBackTheChunkInFlightAndRestartFinishesIt(String signal, int exit)
            throws Exception {
        JarProcess run = importUnderWay();

        JsonNode live = BackfillCli.readJsonText(cli.output("status", "--json"));
        run.signal(signal);

        assertThat(live.get("runs").get(0).get("status").stringValue()).isEqualTo("RUNNING");
        assertThat(live.get("runs").get(0).get("resumable").booleanValue()).as("a live run is not offered to restart")
                .isFalse();
        assertThat(run.exitCode()).as(run.output()).isEqualTo(exit);
        assertThat(run.output()).contains("STOPPED").contains("stopped by SIG" + signal)
                .contains("the chunk in flight was rolled back").contains("`restart` resumes")
                .as("the counts are said to be the committed chunks', not all that was read")
                .contains("other lines in the chunks committed before it ended");
        assertThat(database.count("SELECT count(*) FROM usage_backfill.batch_job_execution WHERE status = 'STOPPED'"
                + " AND job_execution_id = (SELECT max(job_execution_id) FROM usage_backfill.batch_job_execution)"))
                .as("the run is recorded as STOPPED").isEqualTo(1);
        long kept = database.count("SELECT count(*) FROM token_usage");
        assertThat(kept).as("whole chunks only").isPositive().isLessThan(corpus.validEvents());
        assertThat(kept % 500).as("no part of a chunk committed").isZero();

        JsonNode restarted = cli.report(dir, "restart");

        assertThat(restarted.get("status").stringValue()).isEqualTo("COMPLETED");
        assertThat(restarted.get("inserted").longValue()).isEqualTo(corpus.validEvents());
        assertThat(restarted.get("duplicates").longValue()).isZero();
        assertThat(database.count("SELECT count(DISTINCT id) FROM token_usage")).isEqualTo(corpus.validEvents());
    }

    @Test
    void aSecondSignalEndsTheProcessAtOnceAndRestartStillFinishesTheRun() throws Exception {
        JarProcess run = importUnderWay();

        run.signal("TERM");
        run.signal("TERM");

        assertThat(run.exitCode()).as(run.output()).isEqualTo(143);
        JsonNode restarted = cli.report(dir, "restart");
        assertThat(restarted.get("status").stringValue()).isEqualTo("COMPLETED");
        assertThat(database.count("SELECT count(*) FROM token_usage")).isEqualTo(corpus.validEvents());
        assertThat(database.count("SELECT count(DISTINCT id) FROM token_usage")).isEqualTo(corpus.validEvents());
    }

    @Test
    void aRunWhoseLockTheServerEndsStopsAfterTheChunkInFlightSayingSoAndRestartFinishesIt() throws Exception {
        JarProcess run = importUnderWay();

        // As a pooler's idle_transaction_timeout or an operator's pg_terminate_backend would end it.
        database.execute("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory'"
                + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");

        assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
        assertThat(run.output()).contains("STOPPED").contains("the run lock's connection was lost")
                .contains("idle_transaction_timeout").contains("`restart` resumes");
        long kept = database.count("SELECT count(*) FROM token_usage");
        assertThat(kept % 500).as("no part of a chunk committed").isZero();
        JsonNode restarted = cli.report(dir, "restart");
        assertThat(restarted.get("status").stringValue()).isEqualTo("COMPLETED");
        assertThat(database.count("SELECT count(DISTINCT id) FROM token_usage")).isEqualTo(corpus.validEvents());
        assertThat(database.count("SELECT count(*) FROM token_usage")).isEqualTo(corpus.validEvents());
    }

    /** An import of 200,000 pino lines in chunks of 500, once its first 2,000 rows are in. */
    private JarProcess importUnderWay() throws Exception {
        corpus = new CorpusGenerator(CorpusGenerator.Settings.pino(200_000)).writeTo(dir.resolve("logs"));
        JarProcess run = JarProcess.start(dir.resolve("run.out"), Map.of(), "import", "--db", database.cliUrl(),
                "--chunk-size", "500", "--rejects", dir.resolve("r.log").toString(), dir.resolve("logs").toString());
        awaitRows(2_000, run);
        return run;
    }

    private void awaitRows(long rows, JarProcess run) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (database.count("SELECT count(*) FROM token_usage") < rows) {
            assertThat(run.process().isAlive()).as("the import is still running: " + run.output()).isTrue();
            assertThat(Instant.now()).as("rows appear within two minutes").isBefore(deadline);
            Thread.sleep(5);
        }
    }
}
