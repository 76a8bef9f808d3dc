package io.usagebackfill;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.usagebackfill.config.BrokerUrl;
import io.usagebackfill.corpus.CorpusGenerator;
import io.usagebackfill.support.BackfillCli;
import io.usagebackfill.support.DatabaseExtension;
import io.usagebackfill.support.Processes;
import io.usagebackfill.support.StallingProxy;
import io.usagebackfill.support.TestBroker;
import io.usagebackfill.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Remote partitioning for real: worker processes and a manager process of the packaged jar, the machine's RabbitMQ
 * ({@code TEST_BROKER_URL}, default amqp://guest:guest@127.0.0.1:5672/) and PostgreSQL. Each test has a queue of
 * its own, deleted after it, and kills every process it started.
 */
class RemotePartitioningIT {

    private static final String BROKER = TestBroker.URL;
    private static final Pattern RAN = Pattern.compile("worker: partition (\\d+) of run \\d+ \\(execution \\d+\\)"
            + " ended COMPLETED");

    /** The tests share a database: what they look at is the latest execution's. */
    private static final String LATEST = "job_execution_id = (SELECT max(job_execution_id) FROM"
            + " usage_backfill.batch_job_execution)";

    @RegisterExtension
    static final DatabaseExtension DATABASE = DatabaseExtension.withFreshTable();

    private final TestDatabase database = DATABASE.testDatabase();
    private final BackfillCli cli = DATABASE.cli();
    private final String queue = "usage-backfill.test." + UUID.randomUUID();

    @TempDir
    Path dir;

    private Processes processes;

    @BeforeAll
    static void brokerIsThere() {
        TestBroker.requireOrSkip();
    }

    @BeforeEach
    void processes() {
        processes = new Processes(dir);
    }

    @AfterEach
    void killProcessesAndDeleteQueue() throws Exception {
        processes.killAll();
        TestBroker.deleteQueue(queue);
    }

    @Test
    void twoWorkersOneStartedBeforeTheManagerAndOneAfterLoadEveryEventOnceAndReportAsThreadsDo() throws Exception {
        CorpusGenerator.Written corpus = new CorpusGenerator(CorpusGenerator.Settings.pino(300_000).withFiles(3)
                .withBadShare(0.001).mixedShapes()).writeTo(dir.resolve("logs"));
        JsonNode threads = cli.report(dir, "import", "--threads", "6", "--chunk-size", "2000", "--skip-limit",
                "100000", "--rejects", dir.resolve("threads-rejects.log").toString(), dir.resolve("logs").toString());
        database.execute("TRUNCATE token_usage");

        Process before = readyWorker("worker-before.out");
        Path report = dir.resolve("remote-report.json");
        Process manager = manager("manager.out", report, "--partitions", "6", "--chunk-size", "2000",
                "--skip-limit", "100000");
        worker("worker-after.out");

        assertThat(processes.exitOf(manager, "manager.out", Duration.ofMinutes(3)))
                .as("the manager's exit; it printed: %s", processes.output("manager.out")).isZero();
        assertTableHolds(corpus);
        assertThat(withoutRunDetails(BackfillCli.readJson(report))).isEqualTo(withoutRunDetails(threads));
        List<Integer> early = partitionsRan("worker-before.out");
        List<Integer> late = partitionsRan("worker-after.out");
        assertThat(early).as("partitions the worker started before the manager ran").isNotEmpty();
        assertThat(late).as("partitions the worker started after the manager ran").isNotEmpty();
        assertThat(concat(early, late)).as("every partition ran once, on one worker")
                .containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
        assertThat(Files.readAllLines(dir.resolve("rejects.log"))).hasSize((int) corpus.badEvents());
    }

    /**
     * A worker on another database (one queue shared by mistake), whose job executions may have the same ids as the
     * manager's, must neither run its own step executions of those ids nor lose the requests: it puts each back,
     * and a worker on the manager's database runs them.
     */
    @Test
    void aWorkerOnAnotherDatabaseWithTheSameExecutionIdsPutsTheRequestsBackForTheRightWorker() throws Exception {
        CorpusGenerator.Written corpus = new CorpusGenerator(CorpusGenerator.Settings.pino(20_000).withFiles(2))
                .writeTo(dir.resolve("logs"));
        try (TestDatabase other = TestDatabase.create()) {
            BackfillCli elsewhere = new BackfillCli(other);
            assertThat(elsewhere.run("schema", "--apply")).isZero();
            assertThat(elsewhere.run("import", "--threads", "2", "--rejects", dir.resolve("elsewhere.log")
                    .toString(), dir.resolve("logs").toString())).as("step executions of its own there").isZero();
            other.execute("TRUNCATE token_usage");
            Process wrong = processes.start("wrong.out", "worker", "--db", other.cliUrl(), "--broker", BROKER,
                    "--broker-queue", queue);
            processes.awaitOutput(wrong, "wrong.out", "worker: taking partitions");

            Process manager = manager("manager.out", dir.resolve("report.json"), "--partitions", "4");
            processes.awaitOutput(wrong, "wrong.out", "of another database");
            worker("right.out");

            assertThat(processes.exitOf(manager, "manager.out", Duration.ofMinutes(3)))
                    .as("the manager's exit; it printed: %s", processes.output("manager.out")).isZero();
            assertTableHolds(corpus);
            assertThat(other.count("SELECT count(*) FROM token_usage")).isZero();
            assertThat(processes.output("wrong.out")).doesNotContain("worker: running").doesNotContain("dropped");
            assertThat(partitionsRan("right.out")).containsExactlyInAnyOrder(0, 1, 2, 3);
        }
    }

    @Test
    void aWorkerKilledMidPartitionIsNoticedAndItsPartitionResumesOnAnotherFromItsCheckpoint() throws Exception {
        CorpusGenerator.Written corpus = new CorpusGenerator(CorpusGenerator.Settings.pino(240_000).withFiles(2)
                .withBadShare(0.001)).writeTo(dir.resolve("logs"));
        Process doomed = readyWorker("doomed.out");
        Path report = dir.resolve("report.json");
        Process manager = manager("manager.out", report, "--partitions", "4", "--chunk-size", "500",
                "--partition-timeout", "15", "--skip-limit", "100000");
        awaitCommittedChunks(3, manager);
        // 15 s, not less: on a busy machine the next worker's start-up alone can take several seconds.
        doomed.destroyForcibly().waitFor();
        long loadedBeforeTheKill = database.count("SELECT count(*) FROM token_usage");
        worker("survivor.out");

        assertThat(processes.exitOf(manager, "manager.out", Duration.ofMinutes(3)))
                .as("the manager's exit; it printed: %s", processes.output("manager.out")).isZero();
        assertThat(processes.output("manager.out")).contains("made no progress for 15 s").contains("sent it again");
        assertThat(loadedBeforeTheKill).as("rows the killed worker had committed").isPositive();
        assertTableHolds(corpus);
        JsonNode done = BackfillCli.readJson(report);
        assertThat(done.get("inserted").longValue()).isEqualTo(corpus.validEvents());
        assertThat(done.get("duplicates").longValue())
                .as("nothing past a checkpoint was loaded twice: the killed chunk rolled back, the rest resumed")
                .isZero();
        assertThat(done.get("rejected").longValue()).isEqualTo(corpus.badEvents());
        assertThat(Files.readAllLines(dir.resolve("rejects.log"))).hasSize((int) corpus.badEvents());
    }

    @Test
    void aRunWhoseOnlyWorkerDiedFailsNamingThePartitionsAndRestartSendsOnlyTheUnfinishedOnes() throws Exception {
        CorpusGenerator.Written corpus = new CorpusGenerator(CorpusGenerator.Settings.pino(200_000).withFiles(2))
                .writeTo(dir.resolve("logs"));
        Process doomed = readyWorker("doomed.out");
        Process manager = manager("manager.out", dir.resolve("failed.json"), "--partitions", "4", "--chunk-size",
                "500", "--partition-timeout", "5");
        awaitCount(1, "SELECT count(*) FROM usage_backfill.batch_step_execution s WHERE " + LATEST + " AND"
                + " step_name LIKE 'loadPartition:%' AND status = 'STARTED' AND commit_count >= 2 AND EXISTS (SELECT 1"
                + " FROM usage_backfill.batch_step_execution c WHERE c.job_execution_id = s.job_execution_id"
                + " AND c.step_name LIKE 'loadPartition:%' AND c.status = 'COMPLETED')", manager);
        doomed.destroyForcibly().waitFor();

        assertThat(processes.exitOf(manager, "manager.out", Duration.ofMinutes(2))).isEqualTo(1);
        assertThat(processes.output("manager.out")).containsPattern("partition \\d FAILED \\(no worker took"
                + " partition \\d from queue " + Pattern.quote(queue) + " for 5 s");
        long completedBefore = database.count("SELECT count(*) FROM usage_backfill.batch_step_execution WHERE"
                + " step_name LIKE 'loadPartition:%' AND " + LATEST + " AND status = 'COMPLETED'");

        worker("restarter.out");
        Path report = dir.resolve("restarted.json");
        // The scheduler's restart names the job file only: the broker and the queue come from it.
        Path job = Files.writeString(dir.resolve("remote.properties"), String.join("\n",
                "paths=" + dir.resolve("logs"), "broker=" + BROKER, "broker-queue=" + queue, "partition-timeout=60",
                ""));
        Process restart = processes.start("restart.out", "restart", job.toString(), "--db", database.cliUrl(),
                "--report-json", report.toString());
        assertThat(processes.exitOf(restart, "restart.out", Duration.ofMinutes(2)))
                .as("the restart's exit; it printed: %s", processes.output("restart.out")).isZero();
        assertTableHolds(corpus);
        assertThat(BackfillCli.readJson(report).get("duplicates").longValue()).isZero();
        assertThat(partitionsRan("restarter.out")).as("the restart sent only the partitions that had not completed")
                .hasSize(4 - (int) completedBefore);
    }

    @Test
    void partitionsNobodyTookBecauseTheBrokerWentAwaySayTheBrokerCannotBeReachedNotStartWorkers() throws Exception {
        new CorpusGenerator(CorpusGenerator.Settings.pino(20_000)).writeTo(dir.resolve("logs"));
        BrokerUrl real = BrokerUrl.parse(BROKER, "TEST_BROKER_URL");
        try (StallingProxy path = StallingProxy.stallingAfter(real.host(), real.port(), Long.MAX_VALUE)) {
            String throughProxy = BROKER.replace(":" + real.port() + "/", ":" + path.port() + "/");
            assertThat(throughProxy).as("the broker URL names its port").contains(":" + path.port() + "/");
            Process manager = processes.start("manager.out", "import", "--db", database.cliUrl(), "--broker",
                    throughProxy, "--broker-queue", queue, "--rejects", dir.resolve("rejects.log").toString(),
                    "--partitions", "2", "--partition-timeout", "5", dir.resolve("logs").toString());
            Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
            while (TestBroker.queued(queue) < 2) {
                assertThat(manager.isAlive()).as("the manager runs; it printed: %s",
                        processes.output("manager.out")).isTrue();
                assertThat(Instant.now()).as("the manager sends both partitions within a minute").isBefore(deadline);
                Thread.sleep(20);
            }
            path.close();

            assertThat(processes.exitOf(manager, "manager.out", Duration.ofMinutes(2))).isEqualTo(1);
        }
        assertThat(processes.output("manager.out")).contains("no worker took partition")
                .contains("cannot reach the broker").contains("start RabbitMQ").doesNotContain("start workers");

        // The broker back (the real one), the run is restarted with --broker alone: it knows its queue.
        worker("worker.out");
        Process restart = processes.start("restart.out", "restart", "--db", database.cliUrl(), "--broker", BROKER);
        assertThat(processes.exitOf(restart, "restart.out", Duration.ofMinutes(2)))
                .as("the restart's exit; it printed: %s", processes.output("restart.out")).isZero();
        assertThat(partitionsRan("worker.out")).containsExactlyInAnyOrder(0, 1);
    }

    @Test
    void aWorkerStoppedWithSigtermHandsItsPartitionBackAtAChunkBoundaryAndExitsZero() throws Exception {
        CorpusGenerator.Written corpus = new CorpusGenerator(CorpusGenerator.Settings.pino(200_000).withFiles(2))
                .writeTo(dir.resolve("logs"));
        Process stopped = readyWorker("stopped.out");
        Path report = dir.resolve("report.json");
        Process manager = manager("manager.out", report, "--partitions", "2", "--chunk-size", "500");
        awaitCommittedChunks(3, manager);
        stopped.destroy();

        assertThat(processes.exitOf(stopped, "stopped.out", Duration.ofSeconds(30))).isZero();
        assertThat(processes.output("stopped.out")).contains("went back to the queue");
        worker("next.out");
        assertThat(processes.exitOf(manager, "manager.out", Duration.ofMinutes(3)))
                .as("the manager's exit; it printed: %s", processes.output("manager.out")).isZero();
        assertTableHolds(corpus);
        assertThat(BackfillCli.readJson(report).get("duplicates").longValue()).isZero();
    }

    @Test
    void aManagerStoppedWithSigtermStopsThePartitionsOnTheirWorkersAndRestartFinishesThem() throws Exception {
        CorpusGenerator.Written corpus = new CorpusGenerator(CorpusGenerator.Settings.pino(200_000).withFiles(2))
                .writeTo(dir.resolve("logs"));
        Process worker = readyWorker("worker.out");
        Process manager = manager("manager.out", dir.resolve("stopped.json"), "--partitions", "3", "--chunk-size",
                "500");
        awaitCommittedChunks(3, manager);
        manager.destroy();

        assertThat(processes.exitOf(manager, "manager.out", Duration.ofMinutes(1)))
                .as("the manager's exit; it printed: %s", processes.output("manager.out")).isEqualTo(143);
        assertThat(database.count("SELECT count(*) FROM usage_backfill.batch_job_execution WHERE " + LATEST
                + " AND status = 'STOPPED'")).as("the run is recorded as stopped").isOne();
        assertThat(database.count("SELECT count(*) FROM usage_backfill.batch_step_execution WHERE " + LATEST
                + " AND step_name LIKE 'loadPartition:%' AND status IN ('STARTING', 'STARTED')"))
                .as("no partition is left running or waiting").isZero();

        Path report = dir.resolve("restarted.json");
        Process restart = processes.start("restart.out", "restart", "--db", database.cliUrl(), "--broker", BROKER,
                "--broker-queue", queue, "--report-json", report.toString());
        assertThat(processes.exitOf(restart, "restart.out", Duration.ofMinutes(2)))
                .as("the restart's exit; it printed: %s", processes.output("restart.out")).isZero();
        assertTableHolds(corpus);
        assertThat(BackfillCli.readJson(report).get("duplicates").longValue()).isZero();
    }

    @Test
    void theSkipLimitCountsTheRejectsOfPartitionsOnOtherWorkers() throws Exception {
        CorpusGenerator.Written corpus = new CorpusGenerator(CorpusGenerator.Settings.pino(60_000).withFiles(2)
                .withBadShare(0.02)).writeTo(dir.resolve("logs"));
        worker("one.out");
        worker("two.out");
        long limit = corpus.badEvents() * 3 / 4;
        Process manager = manager("manager.out", dir.resolve("report.json"), "--partitions", "2", "--chunk-size",
                "200", "--skip-limit", String.valueOf(limit));

        assertThat(processes.exitOf(manager, "manager.out", Duration.ofMinutes(2))).isEqualTo(1);
        assertThat(processes.output("manager.out")).contains("more lines were rejected than --skip-limit allows");
        assertThat(database.count("SELECT count(*) FROM usage_backfill.rejected_line WHERE " + LATEST))
                .as("each partition alone is under the limit (%d of %d rejects); together they are not", limit,
                        corpus.badEvents())
                .isLessThan(corpus.badEvents());
    }

    @Test
    void aJobFileWithPartitionsAndABrokerRunsThroughTheWorkersAsTheKubernetesFilesDo() throws Exception {
        CorpusGenerator.Written corpus = new CorpusGenerator(CorpusGenerator.Settings.pino(40_000).withFiles(2))
                .writeTo(dir.resolve("logs"));
        Path job = Files.writeString(dir.resolve("remote.properties"), String.join("\n",
                "paths=" + dir.resolve("logs"), "broker=" + BROKER, "broker-queue=" + queue, "partitions=3",
                "partition-timeout=60",
                "rejects=" + dir.resolve("rejects.log"), "report-json=" + dir.resolve("report.json"), ""));
        worker("worker.out");

        Process manager = processes.start("manager.out", "run", job.toString(), "--db", database.cliUrl());

        assertThat(processes.exitOf(manager, "manager.out", Duration.ofMinutes(2)))
                .as("the job's exit; it printed: %s", processes.output("manager.out")).isZero();
        assertTableHolds(corpus);
        assertThat(partitionsRan("worker.out")).containsExactlyInAnyOrder(0, 1, 2);
        assertThat(Files.readString(Path.of("jobs", "usage-backfill-worker.deployment.yaml")))
                .contains("\"usage-backfill.jar\", \"worker\"").contains("USAGE_BACKFILL_BROKER");
        assertThat(Files.readString(Path.of("jobs", "usage-backfill-nightly-broker.cronjob.yaml")))
                .contains("\"run\",").contains("\"jobs/nightly-backfill.properties\", \"--partitions\"");
    }

    @Test
    void aBrokerThatIsDownIsExitOneInOneSentenceAndAMalformedOneExitTwoNeitherShowingThePassword() throws Exception {
        Path log = Files.writeString(dir.resolve("app.log"), "{\"msg\":\"token_usage\"}\n");
        BackfillCli.Outcome down = cli.capture("import", "--broker", "amqp://guest:s3cret@127.0.0.1:1/",
                "--partitions", "2", "--rejects", dir.resolve("r.log").toString(), log.toString());
        assertThat(down.exit()).isEqualTo(1);
        assertThat(down.stderr()).contains("cannot reach the broker amqp://guest:***@127.0.0.1:1/")
                .doesNotContain("s3cret").hasLineCount(1);

        BackfillCli.Outcome malformed = cli.capture("worker", "--broker", "amqp://guest:s3cret@", "--db",
                database.cliUrl());
        assertThat(malformed.exit()).isEqualTo(2);
        assertThat(malformed.stderr()).contains("--broker").doesNotContain("s3cret").hasLineCount(1);

        BackfillCli.Outcome notAmqp = cli.capture("import", "--broker", "http://guest:s3cret@localhost/",
                "--partitions", "2", log.toString());
        assertThat(notAmqp.exit()).isEqualTo(2);
        assertThat(notAmqp.stderr()).contains("not an AMQP URL").doesNotContain("s3cret");
    }

    private Process worker(String output) throws Exception {
        return processes.start(output, "worker", "--db", database.cliUrl(), "--broker", BROKER, "--broker-queue",
                queue);
    }

    /** A worker, once it says it takes partitions. */
    private Process readyWorker(String output) throws Exception {
        Process worker = worker(output);
        processes.awaitOutput(worker, output, "worker: taking partitions");
        return worker;
    }

    private Process manager(String output, Path report, String... options) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("import", "--db", database.cliUrl(), "--broker", BROKER,
                "--broker-queue", queue, "--rejects", dir.resolve("rejects.log").toString(), "--report-json",
                report.toString(), "--progress-every", "1"));
        args.addAll(List.of(options));
        args.add(dir.resolve("logs").toString());
        return processes.start(output, args.toArray(String[]::new));
    }

    /** Waits until a partition of the manager's run, running on a worker, has committed {@code chunks} chunks. */
    private void awaitCommittedChunks(long chunks, Process manager) throws Exception {
        awaitCount(1, "SELECT count(*) FROM usage_backfill.batch_step_execution WHERE step_name LIKE"
                + " 'loadPartition:%' AND " + LATEST + " AND status = 'STARTED' AND commit_count >= " + chunks,
                manager);
    }

    /** Waits until {@code query} counts {@code count} or more, while the manager runs. */
    private void awaitCount(long count, String query, Process manager) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
        while (database.count(query) < count) {
            assertThat(manager.isAlive()).as("the manager runs; it printed: %s", processes.output("manager.out"))
                    .isTrue();
            assertThat(Instant.now()).as("%s reaches %d within a minute", query, count).isBefore(deadline);
            Thread.sleep(20);
        }
    }

    private void assertTableHolds(CorpusGenerator.Written corpus) throws Exception {
        assertThat(database.count("SELECT count(*) FROM token_usage")).isEqualTo(corpus.validEvents());
        assertThat(database.count("SELECT count(DISTINCT id) FROM token_usage")).isEqualTo(corpus.validEvents());
        assertThat(database.count("SELECT sum(prompt_tokens) FROM token_usage"))
                .isEqualTo(corpus.totals().promptTokens());
        assertThat(database.count("SELECT sum(completion_tokens) FROM token_usage"))
                .isEqualTo(corpus.totals().completionTokens());
        assertThat(database.count("SELECT sum(total_tokens) FROM token_usage"))
                .isEqualTo(corpus.totals().totalTokens());
        assertThat(database.count("SELECT sum(cost_usd) FROM token_usage")).isEqualTo(corpus.totals().costMicros());
    }

    /** The partitions a worker's output says it completed, in order. */
    private List<Integer> partitionsRan(String output) throws Exception {
        Matcher ran = RAN.matcher(processes.output(output));
        List<Integer> partitions = new java.util.ArrayList<>();
        while (ran.find()) {
            partitions.add(Integer.parseInt(ran.group(1)));
        }
        return partitions;
    }

    private static List<Integer> concat(List<Integer> a, List<Integer> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    /** The report without what differs between any two runs: their ids, durations and file names. */
    private static JsonNode withoutRunDetails(JsonNode report) {
        ObjectNode copy = ((ObjectNode) report).deepCopy();
        Set<String> perRun = Set.of("executionId", "runId", "durationMs", "rejectsFile");
        copy.remove(perRun.stream().collect(Collectors.toList()));
        return copy;
    }
}
