package io.usagebackfill;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.usagebackfill.corpus.CorpusGenerator;
import io.usagebackfill.support.BackfillCli;
import io.usagebackfill.support.DatabaseExtension;
import io.usagebackfill.support.JarProcess;
import io.usagebackfill.support.LogFiles;
import io.usagebackfill.support.TestDatabase;
import io.usagebackfill.support.TokenEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Faults an operator meets, each followed by the documented recovery, ending with every event exactly once. */
class FaultsIT {

    @RegisterExtension
    static final DatabaseExtension DATABASE = DatabaseExtension.withFreshTable();

    private final TestDatabase database = DATABASE.testDatabase();
    private final BackfillCli cli = DATABASE.cli();

    @TempDir
    Path dir;

    @Test
    void aConnectionCutMidChunkFailsTheRunWithExitOneAndRestartCompletesIt() throws Exception {
        CorpusGenerator.Written corpus = new CorpusGenerator(CorpusGenerator.Settings.pino(200_000))
                .writeTo(dir.resolve("logs"));
        Path report = dir.resolve("cut.json");
        CompletableFuture<BackfillCli.Outcome> importing = CompletableFuture.supplyAsync(() -> cli.capture("import",
                "--chunk-size", "500", "--report-json", report.toString(), "--rejects", dir.resolve("r.log").toString(),
                dir.resolve("logs").toString()));
        awaitRows(2_000, importing);

        database.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND pid <> pg_backend_pid()");
        BackfillCli.Outcome cut = importing.get();

        assertThat(cut.exit()).as(cut.printed()).isEqualTo(1);
        assertThat(cut.printed()).doesNotContain("\tat ").containsIgnoringCase("restart");
        assertThat(database.count("SELECT count(*) FROM token_usage")).isLessThan(corpus.validEvents());
        JsonNode restarted = cli.report(dir, "restart");
        assertThat(restarted.get("status").stringValue()).isEqualTo("COMPLETED");
        assertThat(database.count("SELECT count(*) FROM token_usage")).isEqualTo(corpus.validEvents());
        assertThat(database.count("SELECT count(DISTINCT id) FROM token_usage")).isEqualTo(corpus.validEvents());
    }

    @Test
    void aFailedRunsSummarySaysHowFarItReadPastTheChunksItCommitted() throws Exception {
        Path log = dir.resolve("app.log");
        Files.write(log, TokenEvents.lines(0, 3_000, TokenEvents::pino));
        int refused = 2_600;
        database.beforeInsert("refuse_one", "IF NEW.prompt_tokens = " + TokenEvents.prompt(refused)
                + " THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW;");
        Path json = dir.resolve("failed.json");

        BackfillCli.Outcome failed = cli.capture("import", "--chunk-size", "500", "--report-json", json.toString(),
                "--rejects", dir.resolve("r.log").toString(), log.toString());

        JsonNode report = BackfillCli.readJson(json);
        assertThat(failed.exit()).as(failed.printed()).isEqualTo(1);
        assertThat(report.get("linesRead").longValue()).as("the committed chunks").isEqualTo(2_500);
        assertThat(database.count("SELECT count(*) FROM token_usage")).isEqualTo(2_500);
        assertThat(report.get("reached").get("linesRead").longValue()).as("how far the reader got")
                .isGreaterThan(refused);
        assertThat(failed.printed()).containsPattern("it had read [0-9,]+ lines \\([0-9,]+ of [0-9,]+ bytes\\) when"
                + " it ended");
    }

    @Test
    void aDatabaseThatIsDownAtStartFailsWithExitOneQuicklyAndWritesNothing() throws Exception {
        Files.write(dir.resolve("app.log"), BackfillIT.events(0, 3));
        Instant start = Instant.now();

        BackfillCli.Outcome outcome = cli.capture("import", "--db",
                "jdbc:postgresql://127.0.0.1:1/app?user=app", "--rejects", dir.resolve("r.log").toString(),
                dir.resolve("app.log").toString());

        assertThat(outcome.exit()).isEqualTo(1);
        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(30));
        assertThat(outcome.stderr()).contains("cannot connect").contains("127.0.0.1:1").doesNotContain("\tat ")
                .doesNotContain("Exception");
        assertThat(dir.resolve("r.log")).doesNotExist();
    }

    @Test
    void aGrowingFileLoadsOnlyCompleteLinesAndTheNextRunTakesTheRest() throws Exception {
        Path log = dir.resolve("app.log");
        String last = BackfillIT.eventWithModel(99, "gpt-4o");
        Files.writeString(log, String.join("\n", BackfillIT.events(0, 10)) + "\n" + last.substring(0, 40));

        JsonNode first = cli.report(dir, "import", "--rejects", dir.resolve("r.log").toString(), log.toString());
        Files.writeString(log, last.substring(40) + "\n" + BackfillIT.eventWithModel(100, "gpt-4o") + "\n",
                StandardOpenOption.APPEND);
        JsonNode second = cli.report(dir, "import", "--rejects", dir.resolve("r.log").toString(), log.toString());

        assertThat(first.get("inserted").longValue()).isEqualTo(10);
        assertThat(first.get("rejected").longValue()).isZero();
        assertThat(first.get("notices").toString()).contains("app.log");
        assertThat(second.get("inserted").longValue()).isEqualTo(2);
        assertThat(second.get("duplicates").longValue()).isEqualTo(10);
        assertThat(database.count("SELECT count(*) FROM token_usage")).isEqualTo(12);
    }

    @Test
    void aMultiMemberGzipIsReadToItsEnd() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (List<String> member : List.of(BackfillIT.events(0, 30), BackfillIT.events(30, 70))) {
            bytes.write(LogFiles.gzip(member));
        }
        Files.write(dir.resolve("app.log.2.gz"), bytes.toByteArray());

        JsonNode report = cli.report(dir, "import", "--rejects", dir.resolve("r.log").toString(),
                dir.resolve("app.log.2.gz").toString());

        assertThat(report.get("inserted").longValue()).isEqualTo(70);
        assertThat(report.get("notices")).isEmpty();
    }

    @Test
    void aTruncatedGzipIsReportedByNameWhileItsEarlierLinesAndOtherFilesLoadAndStrictMakesItFatal()
            throws Exception {
        byte[] whole = LogFiles.gzip(BackfillIT.events(0, 2_000));
        Files.write(dir.resolve("damaged.log.1.gz"), java.util.Arrays.copyOf(whole, whole.length / 2));
        Files.write(dir.resolve("good.log"), BackfillIT.events(5_000, 5_010));

        BackfillCli.Outcome strict = cli.capture("import", "--strict", "--rejects", dir.resolve("r.log").toString(),
                dir.toString());
        assertThat(strict.exit()).isEqualTo(1);
        assertThat(strict.printed()).contains("damaged.log.1.gz");

        JsonNode report = cli.report(dir, "import", "--rejects", dir.resolve("r.log").toString(), dir.toString());

        assertThat(report.get("status").stringValue()).isEqualTo("COMPLETED");
        assertThat(report.get("notices").toString()).contains("damaged.log.1.gz");
        long fromDamaged = database.count("SELECT count(*) FROM token_usage WHERE prompt_tokens < 5010");
        assertThat(fromDamaged).isBetween(1L, 1_999L);
        assertThat(database.count("SELECT count(*) FROM token_usage WHERE prompt_tokens >= 5010")).isEqualTo(10);
    }

    @Test
    void anUnwritableRejectsPathFailsBeforeLoadingAnything() throws Exception {
        Files.write(dir.resolve("app.log"), BackfillIT.events(0, 3));
        Files.writeString(dir.resolve("a-file"), "");

        BackfillCli.Outcome underAFile = cli.capture("import", "--rejects", dir.resolve("a-file/r.log").toString(),
                dir.resolve("app.log").toString());
        BackfillCli.Outcome aDirectory = cli.capture("import", "--rejects", dir.toString(),
                dir.resolve("app.log").toString());

        assertThat(underAFile.exit()).isEqualTo(2);
        assertThat(underAFile.stderr()).contains("--rejects").contains("a-file");
        assertThat(aDirectory.exit()).isEqualTo(2);
        assertThat(aDirectory.stderr()).contains("is a directory");
        assertThat(database.count("SELECT count(*) FROM token_usage")).isZero();
    }

    @Test
    void aRejectsFileThatCannotGrowFailsTheChunkWithItsRowsAndRestartCompletesOnceThereIsSpace() throws Exception {
        Path rejects = dir.resolve("r.log");
        List<String> lines = new java.util.ArrayList<>(BackfillIT.events(0, 50));
        // Longer than the process's file size limit below (ulimit -f 4: 2 KiB), as a full disk refuses it; the
        // output, shorter, still fits.
        lines.add(25, "{\"msg\":\"token_usage\",\"time\":1762682400123,\"model\":\"gpt-4o\",\"user_id\":\"not-a-uuid\",\"pad\":\""
                + "x".repeat(6000) + "\"}");
        Files.write(dir.resolve("app.log"), lines);

        JarProcess full = JarProcess.start(List.of("sh", "-c", "ulimit -f 4 && exec \"$0\" -jar \"$1\" import"
                + " --db \"$2\" --rejects \"$3\" \"$4\"", JarProcess.java(), JarProcess.JAR.toString(),
                database.cliUrl(), rejects.toString(), dir.resolve("app.log").toString()), dir.resolve("full.out"),
                java.util.Map.of());

        assertThat(full.exitCode()).as(full.output()).isEqualTo(1);
        assertThat(full.output()).contains("r.log").contains("File too large");
        assertThat(database.count("SELECT count(*) FROM token_usage")).isZero();
        JsonNode restarted = cli.report(dir, "restart");
        assertThat(restarted.get("inserted").longValue()).isEqualTo(50);
        assertThat(restarted.get("rejected").longValue()).isEqualTo(1);
        assertThat(Files.readString(rejects)).contains("not-a-uuid");
    }

    private void awaitRows(long rows, CompletableFuture<?> run) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (database.count("SELECT count(*) FROM token_usage") < rows) {
            assertThat(run).as("the import is still running").isNotDone();
            assertThat(Instant.now()).as("rows appear within two minutes").isBefore(deadline);
            Thread.sleep(5);
        }
    }
}
