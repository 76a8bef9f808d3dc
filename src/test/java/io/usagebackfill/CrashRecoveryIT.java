package io.usagebackfill;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.usagebackfill.corpus.CorpusGenerator;
import io.usagebackfill.support.BackfillCli;
import io.usagebackfill.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A real crash: the packaged jar is started as its own process and killed with SIGKILL part-way, which leaves
 * Spring Batch's execution marked STARTED with nobody running it. {@code restart} must take it from there.
 */
class CrashRecoveryIT {

    private static final Path JAR = Path.of("target", "usage-backfill.jar");

    private static TestDatabase database;
    private static BackfillCli cli;

    @TempDir
    Path dir;

    @BeforeAll
    static void createDatabase() throws SQLException {
        database = TestDatabase.create();
        cli = new BackfillCli(database);
        assertThat(cli.run("schema", "--apply")).isZero();
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        database.close();
    }

    @Test
    void aRunKilledWithSigkillMidChunkIsRestartedWithEveryEventLoadedAndRejectedExactlyOnce() throws Exception {
        CorpusGenerator.Written corpus = new CorpusGenerator(CorpusGenerator.Settings.pino(200_000).withFiles(2)
                .withBadShare(0.001).mixedShapes()).writeTo(dir.resolve("logs"));
        Path rejects = dir.resolve("rejects.log");

        Process importing = startJar("import", "--db", database.cliUrl(), "--chunk-size", "500", "--skip-limit",
                "100000", "--rejects", rejects.toString(), dir.resolve("logs").toString());
        awaitRows(2_000, importing);
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
        assertThat(Files.readAllLines(Path.of(rejects + ".reasons.csv"))).hasSize((int) corpus.badEvents() + 1);
    }

    private Process startJar(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("killed-run.out").toFile()).start();
    }

    private void awaitRows(long rows, Process process) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (database.count("SELECT count(*) FROM token_usage") < rows) {
            assertThat(process.isAlive()).as("the import is still running; its output: "
                    + Files.readString(dir.resolve("killed-run.out"))).isTrue();
            assertThat(Instant.now()).as("rows appear within two minutes").isBefore(deadline);
            Thread.sleep(5);
        }
    }
}
