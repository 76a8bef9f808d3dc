package io.usagebackfill;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.usagebackfill.corpus.CorpusGenerator;
import io.usagebackfill.support.BackfillCli;
import io.usagebackfill.support.DatabaseExtension;
import io.usagebackfill.support.JarProcess;
import io.usagebackfill.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * A real crash: the packaged jar is started as its own process and killed with SIGKILL part-way, which leaves
 * Spring Batch's execution marked STARTED with nobody running it. {@code restart} must take it from there.
 */
class CrashRecoveryIT {

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

        JarProcess importing = JarProcess.start(dir.resolve("killed-run.out"), java.util.Map.of(), "import", "--db", database.cliUrl(), "--chunk-size", "500",
                "--skip-limit", "100000", "--threads", String.valueOf(threads), "--rejects", rejects.toString(),
                dir.resolve("logs").toString());
        importing.awaitRows(database, 2_000);
        importing.process().destroyForcibly().waitFor(30, TimeUnit.SECONDS);

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

    @Test
    void twoImportsStartedAtOnceOnTheSameFilesLoadEveryRowOnceAndTheLoserExitsThree() throws Exception {
        CorpusGenerator.Written corpus = new CorpusGenerator(CorpusGenerator.Settings.pino(100_000))
                .writeTo(dir.resolve("logs"));
        List<Process> imports = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            imports.add(JarProcess.start(dir.resolve("run-" + i + ".out"), java.util.Map.of(), "import", "--db", database.cliUrl(), "--rejects",
                    dir.resolve("rejects-" + i + ".log").toString(), dir.resolve("logs").toString()).process());
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
}
