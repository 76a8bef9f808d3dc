package io.usagebackfill;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.usagebackfill.corpus.CorpusGenerator;
import io.usagebackfill.support.BackfillCli;
import io.usagebackfill.support.DatabaseExtension;
import io.usagebackfill.support.JarProcess;
import io.usagebackfill.support.Processes;
import io.usagebackfill.support.TestBroker;
import io.usagebackfill.support.TestDatabase;
import io.usagebackfill.support.Totals;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Every command through a real PgBouncer in transaction mode ({@code TEST_PGBOUNCER_URL}: .ci/run starts Debian's in
 * front of the tests' server, with three server connections per database and user), the URL as a managed Postgres
 * hands it out, nothing added: each transaction may run on another server connection, and the last one's session
 * goes to the next client. What the server itself holds afterwards (locks, temporary tables) is read past the
 * pooler, on {@code TEST_DATABASE_URL}.
 */
class PoolerIT {

    private static final String POOLER = System.getenv("TEST_PGBOUNCER_URL");

    @RegisterExtension
    static final DatabaseExtension DATABASE = DatabaseExtension.withFreshTable();

    private final TestDatabase database = DATABASE.testDatabase();
    private final BackfillCli cli = DATABASE.cli();

    @TempDir
    Path dir;

    private Processes processes;
    private String pooled;

    @BeforeAll
    static void poolerIsThere() {
        Assumptions.assumeTrue(POOLER != null && !POOLER.isBlank() && System.getenv("TEST_DATABASE_URL") != null,
                "TEST_PGBOUNCER_URL (a PgBouncer in transaction mode in front of the server in TEST_DATABASE_URL)"
                        + " is not set, so there is no pooler to test through; .ci/run starts one on port 6432");
    }

    @BeforeEach
    void throughThePooler() {
        processes = new Processes(dir);
        pooled = database.cliUrlAt(POOLER);
    }

    @AfterEach
    void killProcesses() throws Exception {
        processes.killAll();
    }

    @Test
    void aPlainPoolerUrlLoadsEveryEventExactlyWithMorePartitionsThanServerConnectionsAndAgainLoadsNothing()
            throws Exception {
        CorpusGenerator.Written corpus = corpus(60_000);

        JsonNode first = cli.report(dir, importing(pooled, "--threads", "4", "--chunk-size", "1000"));
        // Every chunk is already there: each goes through the staging table, made and dropped in its transaction.
        JsonNode again = cli.report(dir, importing(pooled, "--threads", "4", "--chunk-size", "1000"));

        assertThat(first.get("status").stringValue()).isEqualTo("COMPLETED");
        assertThat(first.get("inserted").longValue()).isEqualTo(corpus.validEvents());
        assertThat(first.get("rejected").longValue()).isEqualTo(corpus.badEvents());
        assertThat(again.get("inserted").longValue()).isZero();
        assertThat(again.get("alreadyInTable").longValue()).isEqualTo(corpus.validEvents());
        assertThat(again.get("reconciliation").get("matches").booleanValue()).isTrue();
        assertThat(Totals.inTable(database)).isEqualTo(truth(corpus));
        assertThat(statuses(2)).containsExactly("COMPLETED", "COMPLETED");
        assertNoSessionStateLeftOnTheServer();
    }

    @Test
    void aSecondRunThroughThePoolerWhileTheFirstHoldsTheLockExitsThreeAndTheFirstCompletes() throws Exception {
        CorpusGenerator.Written corpus = corpus(200_000);
        JarProcess first = loadingElsewhere("first.out", 1_000);

        BackfillCli.Outcome second = cli.capture(importing(pooled));
        List<String> statuses = statuses(1);

        assertThat(second.exit()).as(second.printed()).isEqualTo(3);
        assertThat(second.stderr()).contains("another usage-backfill run is using database");
        assertThat(statuses).as("the first run, alive").containsExactly("RUNNING");
        assertThat(first.exitCode()).as(first.output()).isZero();
        assertThat(Totals.inTable(database)).isEqualTo(truth(corpus));
        assertNoSessionStateLeftOnTheServer();
    }

    @Test
    void aRunKilledWithSigkillThroughThePoolerLeavesNoLockAndRestartThroughItLoadsEveryEventOnce() throws Exception {
        CorpusGenerator.Written corpus = corpus(200_000);
        JarProcess killed = loadingElsewhere("killed.out", 2_000);
        killed.process().destroyForcibly().waitFor();
        awaitNoAdvisoryLock();

        List<String> crashed = statuses(1);
        JsonNode restarted = cli.report(dir, "restart", "--db", pooled);

        assertThat(crashed).containsExactly("CRASHED");
        assertThat(restarted.get("status").stringValue()).isEqualTo("COMPLETED");
        assertThat(restarted.get("inserted").longValue()).isEqualTo(corpus.validEvents());
        assertThat(restarted.get("duplicates").longValue()).isZero();
        assertThat(restarted.get("rejected").longValue()).isEqualTo(corpus.badEvents());
        assertThat(Totals.inTable(database)).isEqualTo(truth(corpus));
        assertThat(database.count("SELECT count(DISTINCT id) FROM token_usage")).isEqualTo(corpus.validEvents());
        assertNoSessionStateLeftOnTheServer();
    }

    @Test
    void verifyAndUndoThroughThePoolerSeeAndRemoveExactlyTheRunsRows() throws Exception {
        CorpusGenerator.Written corpus = corpus(20_000);
        JsonNode loaded = cli.report(dir, importing(pooled, "--threads", "2", "--chunk-size", "500"));

        BackfillCli.Outcome verified = cli.capture("verify", "--db", pooled, dir.resolve("logs").toString());
        BackfillCli.Outcome undone = cli.capture("undo", "--db", pooled, "--run",
                String.valueOf(loaded.get("runId").longValue()));

        assertThat(loaded.get("inserted").longValue()).isEqualTo(corpus.validEvents());
        assertThat(verified.exit()).as(verified.printed()).isZero();
        assertThat(undone.exit()).as(undone.printed()).isZero();
        assertThat(database.count("SELECT count(*) FROM token_usage")).isZero();
        assertNoSessionStateLeftOnTheServer();
    }

    @Test
    void workersAndTheirManagerLoadEveryEventOnceThroughThePooler() throws Exception {
        TestBroker.requireOrSkip();
        CorpusGenerator.Written corpus = corpus(60_000);
        String queue = "usage-backfill.test." + UUID.randomUUID();
        try {
            for (int w = 0; w < 2; w++) {
                processes.start("worker-" + w + ".out", "worker", "--db", pooled, "--broker", TestBroker.URL,
                        "--broker-queue", queue);
            }
            Path report = dir.resolve("manager.json");
            Process manager = processes.start("manager.out", importing(pooled, "--partitions", "4",
                    "--chunk-size", "1000", "--broker", TestBroker.URL, "--broker-queue", queue, "--report-json",
                    report.toString()));

            assertThat(processes.exitOf(manager, "manager.out", Duration.ofMinutes(3)))
                    .as("the manager's exit; it printed: %s", processes.output("manager.out")).isZero();
            assertThat(BackfillCli.readJson(report).get("inserted").longValue()).isEqualTo(corpus.validEvents());
            assertThat(Totals.inTable(database)).isEqualTo(truth(corpus));
        } finally {
            processes.killAll();
            TestBroker.deleteQueue(queue);
        }
        assertNoSessionStateLeftOnTheServer();
    }

    private CorpusGenerator.Written corpus(long lines) throws Exception {
        return new CorpusGenerator(CorpusGenerator.Settings.pino(lines).withFiles(2).withBadShare(0.002)
                .mixedShapes()).writeTo(dir.resolve("logs"));
    }

    /**
     * An import through the pooler as a process of its own, with {@code --threads 4} and small chunks, once it has
     * committed {@code rows} rows.
     */
    private JarProcess loadingElsewhere(String output, long rows) throws Exception {
        JarProcess importing = JarProcess.start(dir.resolve(output), Map.of(),
                importing(pooled, "--threads", "4", "--chunk-size", "200"));
        importing.awaitRows(database, rows);
        return importing;
    }

    /**
     * The statuses of the {@code newest} runs, newest first, as {@code status} shows them through the pooler (the
     * class's tests share the job's records).
     */
    private List<String> statuses(int newest) {
        JsonNode runs = BackfillCli.readJsonText(cli.output("status", "--db", pooled, "--json", "--limit",
                String.valueOf(newest))).get("runs");
        List<String> statuses = new ArrayList<>();
        runs.forEach(run -> statuses.add(run.get("status").stringValue()));
        return statuses;
    }

    /** {@code import --db URL OPTIONS... logs}, its rejects in a file of its own in the test's directory. */
    private String[] importing(String url, String... options) {
        List<String> args = new ArrayList<>(List.of("import", "--db", url,
                "--skip-limit", "100000", "--rejects", dir.resolve("rejects-" + System.nanoTime() + ".log")
                        .toString()));
        args.addAll(List.of(options));
        args.add(dir.resolve("logs").toString());
        return args.toArray(String[]::new);
    }

    private static Totals truth(CorpusGenerator.Written corpus) {
        CorpusGenerator.Totals sums = corpus.totals();
        return new Totals(corpus.validEvents(), sums.promptTokens(), sums.completionTokens(), sums.totalTokens(),
                sums.costMicros());
    }

    /**
     * A pooler closes the server connection of a client that left mid-transaction; until it has, the killed run's
     * lock is still there.
     */
    private void awaitNoAdvisoryLock() throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (advisoryLocks() > 0) {
            assertThat(Instant.now()).as("the killed run's lock is still held on the server").isBefore(deadline);
            Thread.sleep(50);
        }
    }

    /** What a session-bound run would have left on the pooled server connections, read on the server itself. */
    private void assertNoSessionStateLeftOnTheServer() throws Exception {
        assertThat(advisoryLocks()).as("advisory locks held in this database").isZero();
        assertThat(database.count("SELECT count(*) FROM pg_class WHERE relname = 'usage_backfill_staging'"))
                .as("staging tables left in server sessions").isZero();
    }

    private long advisoryLocks() throws Exception {
        return database.count("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database ="
                + " (SELECT oid FROM pg_database WHERE datname = current_database())");
    }
}
