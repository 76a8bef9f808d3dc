package io.usagebackfill;

import static io.usagebackfill.support.TokenEvents.lines;
import static io.usagebackfill.support.TokenEvents.totals;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import io.usagebackfill.support.BackfillCli;
import io.usagebackfill.support.DatabaseExtension;
import io.usagebackfill.support.LogFiles;
import io.usagebackfill.support.TestDatabase;
import io.usagebackfill.support.TokenEvents;
import io.usagebackfill.support.Totals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Files being written, rotated, rewritten and read in windows, and lines that repeat: each case computes the
 * truth of the events it wrote (rows, the sums of every token column and the cost) and compares the table with it.
 */
class ExactlyOnceIT {

    @RegisterExtension
    static final DatabaseExtension DATABASE = DatabaseExtension.withFreshTable();

    private final TestDatabase database = DATABASE.testDatabase();
    private final BackfillCli cli = DATABASE.cli();

    @TempDir
    Path dir;

    @Test
    void aPartialLineStillBeingWrittenIsLeftUntilItsFinalPartArrivesAndThenLoadsOnce() throws Exception {
        Path logfmt = dir.resolve("logfmt.log");
        String cut = TokenEvents.cri(10, TokenEvents.logfmt(10));
        int at = cut.indexOf("prompt_tokens=") + "prompt_tokens=1".length();
        Files.write(logfmt, lines(0, 10, i -> TokenEvents.cri(i, TokenEvents.logfmt(i))));
        Files.writeString(logfmt, cut.substring(0, at).replace(" stdout F ", " stdout P ") + "\n",
                StandardOpenOption.APPEND);

        JsonNode first = cli.report(dir, "import", logfmt.toString());

        assertThat(Totals.inTable(database)).isEqualTo(totals(0, 10));
        assertThat(first.get("notices").toString()).contains("partial line");

        Files.writeString(logfmt, TokenEvents.time(10) + " stdout F " + cut.substring(at) + "\n",
                StandardOpenOption.APPEND);
        cli.report(dir, "import", logfmt.toString());

        assertThat(Totals.inTable(database)).isEqualTo(totals(0, 11));
    }

    @Test
    void aJsonEventInAPartialLineLoadsUnderIncrementalOnceItsFinalPartArrives() throws Exception {
        Path json = dir.resolve("json.log");
        String whole = TokenEvents.pino(5);
        Files.write(json, lines(0, 5, i -> TokenEvents.cri(i, TokenEvents.pino(i))));
        Files.writeString(json, TokenEvents.time(5) + " stdout P " + whole.substring(0, 40) + "\n",
                StandardOpenOption.APPEND);
        cli.report(dir, "import", "--incremental", json.toString());
        Files.writeString(json, TokenEvents.time(5) + " stdout F " + whole.substring(40) + "\n",
                StandardOpenOption.APPEND);

        JsonNode second = cli.report(dir, "import", "--incremental", json.toString());

        assertThat(second.get("inserted").longValue()).isEqualTo(1);
        assertThat(Totals.inTable(database)).isEqualTo(totals(0, 6));
    }

    @Test
    void aRestartAfterTheFileWasRotatedReadsThePlannedBytesInTheRotatedCopy() throws Exception {
        Path log = dir.resolve("app.log");
        Files.write(log, withBadLinesBetween(0, 500, 30, 550));
        BackfillCli.Outcome failed = cli.capture("import", "--chunk-size", "100", "--skip-limit", "10",
                "--rejects", dir.resolve("rejects.log").toString(), log.toString());
        assertThat(failed.exit()).isEqualTo(1);
        Files.move(log, dir.resolve("app.log.1"));
        Files.write(log, lines(5_000, 5_100, TokenEvents::pino));

        JsonNode restarted = cli.report(dir, "restart", "--skip-limit", "1000");

        assertThat(restarted.get("status").stringValue()).isEqualTo("COMPLETED");
        assertThat(restarted.get("notices").toString()).contains("rotated");
        assertThat(Totals.inTable(database)).as("the planned file's events, not the new file's")
                .isEqualTo(totals(0, 500).plus(totals(530, 550)));
    }

    @Test
    void aRestartWhosePlannedFileIsGoneFailsNamingItAndNeverCompletesWithoutIt() throws Exception {
        Path log = dir.resolve("app.log");
        Files.write(log, withBadLinesBetween(0, 500, 30, 550));
        assertThat(cli.capture("import", "--chunk-size", "100", "--skip-limit", "10", "--rejects",
                dir.resolve("rejects.log").toString(), log.toString()).exit()).isEqualTo(1);
        Files.write(log, lines(5_000, 5_100, TokenEvents::pino));

        BackfillCli.Outcome restart = cli.capture("restart", "--skip-limit", "1000");
        BackfillCli.Outcome again = cli.capture("restart", "--skip-limit", "1000");

        assertThat(restart.exit()).isEqualTo(1);
        assertThat(restart.printed()).contains(log.toString()).contains("no longer holds");
        assertThat(again.exit()).isEqualTo(1);
        assertThat(Totals.inTable(database)).isEqualTo(totals(0, 500));
    }

    @Test
    void aFileTruncatedAndRewrittenWithTheSameHeadIsReadAgainUnderIncremental() throws Exception {
        Path log = dir.resolve("app.log");
        List<String> first = lines(0, 40, TokenEvents::pino);
        first.addAll(lines(100, 150, TokenEvents::pino));
        Files.write(log, first);
        cli.report(dir, "import", "--incremental", log.toString());
        List<String> rewritten = lines(0, 40, TokenEvents::pino);
        rewritten.addAll(lines(200, 300, TokenEvents::pino));
        Files.write(log, rewritten);

        JsonNode second = cli.report(dir, "import", "--incremental", log.toString());

        assertThat(second.get("inserted").longValue()).isEqualTo(100);
        assertThat(Totals.inTable(database)).isEqualTo(totals(0, 40).plus(totals(100, 150)).plus(totals(200, 300)));
    }

    @Test
    void anIncrementalRunUntilADayAndOneSinceItLeaveNoGap() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        // Event i is i seconds after 10:00; the window's edge is event 5400. Two lines are out of order: 5450 comes
        // before 299, which the first run loads after leaving 5450 out and the second leaves out.
        List<String> lines = lines(0, 5_300, TokenEvents::pino);
        lines.remove(299);
        lines.add(TokenEvents.pino(5_450));
        lines.add(TokenEvents.pino(299));
        lines.addAll(lines(5_400, 5_450, TokenEvents::pino));
        lines.addAll(lines(5_451, 5_500, TokenEvents::pino));
        Files.write(logs.resolve("app.log"), lines);
        LogFiles.writeGzip(logs.resolve("app.log.1.gz"), lines(6_000, 6_100, TokenEvents::pino));
        String edge = TokenEvents.time(5_400).toString();

        cli.report(dir, "import", "--incremental", "--until", edge, logs.toString());
        cli.report(dir, "import", "--incremental", "--since", edge, logs.toString());
        JsonNode third = cli.report(dir, "import", "--incremental", logs.toString());

        assertThat(Totals.inTable(database)).isEqualTo(totals(0, 5_300).plus(totals(5_400, 5_500))
                .plus(totals(6_000, 6_100)));
        assertThat(third.get("inserted").longValue()).isZero();
        assertThat(third.get("linesRead").longValue()).as("read on from event 299, which the second run left out")
                .isEqualTo(100);
    }

    @Test
    void byteIdenticalLinesAreEventsOfTheirOwnAndStayOnceThroughRotationRangesAndGrowth() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        List<String> lines = new ArrayList<>();
        Totals truth = Totals.NONE;
        for (int i = 0; i < 3_000; i++) {
            for (int copy = 0; copy <= i % 3; copy++) {
                lines.add(TokenEvents.pino(i));
                truth = truth.plus(TokenEvents.one(i));
            }
        }
        Path log = Files.write(logs.resolve("app.log"), lines);

        cli.report(dir, "import", "--incremental", logs.toString());
        assertThat(Totals.inTable(database)).isEqualTo(truth);

        LogFiles.writeGzip(logs.resolve("app.log.1.gz"), lines);
        JsonNode rotated = cli.report(dir, "import", log.getParent().resolve("app.log.1.gz").toString());
        assertThat(rotated.get("inserted").longValue()).isZero();

        database.execute("TRUNCATE token_usage");
        cli.report(dir, "import", "--threads", "3", log.toString());
        assertThat(Totals.inTable(database)).as("the same rows when the file is read in ranges").isEqualTo(truth);
        cli.report(dir, "import", "--threads", "3", log.toString());
        assertThat(Totals.inTable(database)).isEqualTo(truth);

        Files.write(log, List.of(TokenEvents.pino(2), TokenEvents.pino(2), TokenEvents.pino(3_000)),
                StandardOpenOption.APPEND);
        JsonNode grown = cli.report(dir, "import", "--incremental", logs.toString());
        assertThat(grown.get("inserted").longValue()).as("two more repeats of event 2 and one new event")
                .isEqualTo(3);
        assertThat(Totals.inTable(database)).isEqualTo(truth.plus(TokenEvents.one(2)).plus(TokenEvents.one(2))
                .plus(TokenEvents.one(3_000)));
    }

    /**
     * A line with no time of its own is timed by its container's wrapper: the same text at another time, in one
     * pod's log or another's, is another call. Identical timed lines in one container's log (two calls in one
     * millisecond) are repeats, as in a plain file. A rotated copy and a read in ranges load none of them twice.
     */
    @Test
    void containerLinesWithTheSameTextAtOtherTimesAreEventsOfTheirOwnAndStayOnceThroughRotationAndRanges()
            throws Exception {
        String untimed = "token_usage {\"provider\":\"openai\",\"model\":\"text-embedding-3-small\","
                + "\"prompt_tokens\":8}";
        Path logs = dir.resolve("containers");
        Path podA = Files.createDirectories(logs.resolve("pod-a")).resolve("c-json.log");
        List<String> a = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            a.add(TokenEvents.docker(untimed, TokenEvents.time(i)));
            a.add(TokenEvents.docker(TokenEvents.pino(i % 7), TokenEvents.time(i).plusNanos(1)));
        }
        Files.write(podA, a);
        Files.write(Files.createDirectories(logs.resolve("pod-b")).resolve("c-json.log"),
                lines(0, 200, i -> TokenEvents.docker(untimed, TokenEvents.time(i).plusSeconds(3_600))));
        Files.write(Files.createDirectories(logs.resolve("pod-c")).resolve("0.log"),
                lines(0, 100, i -> TokenEvents.time(i).plusSeconds(7_200) + " stdout F " + untimed));
        Totals embedding = new Totals(1, 8, 0, 8, 0);
        Totals inPodA = Totals.NONE;
        for (int i = 0; i < 300; i++) {
            inPodA = inPodA.plus(embedding).plus(TokenEvents.one(i % 7));
        }
        Totals truth = inPodA;
        for (int i = 0; i < 300; i++) {
            truth = truth.plus(embedding);
        }

        JsonNode first = cli.report(dir, "import", logs.toString());

        assertThat(first.get("inserted").longValue()).isEqualTo(900);
        assertThat(Totals.inTable(database)).isEqualTo(truth);

        Files.copy(podA, podA.resolveSibling("c-json.log.1"));
        JsonNode again = cli.report(dir, "import", logs.toString());
        assertThat(again.get("inserted").longValue()).as("a rotated copy and a re-run add nothing").isZero();

        database.execute("TRUNCATE token_usage");
        cli.report(dir, "import", "--threads", "3", podA.toString());
        assertThat(Totals.inTable(database)).as("the same rows when the file is read in ranges")
                .isEqualTo(inPodA);
    }

    @ParameterizedTest(name = "with --threads {0}")
    @ValueSource(ints = {1, 3})
    void aRestartAfterAnotherRunLoadedTheRestCountsThoseRowsAsAlreadyInTheTableNotAsRepeats(int threads)
            throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        for (int file = 0; file < 3; file++) {
            Files.write(logs.resolve("app-" + file + ".log"), TokenEvents.lines(file * 2_000, (file + 1) * 2_000,
                    TokenEvents::pino));
        }
        // The first run fails on one event of the last file, with some chunks committed.
        database.beforeInsert("refuse_one", "IF NEW.prompt_tokens = " + TokenEvents.prompt(5_500)
                + " THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW;");
        int failed = cli.run("import", "--chunk-size", "500", "--threads", String.valueOf(threads), "--rejects",
                dir.resolve("r1.log").toString(), logs.toString());
        long loadedByTheFirst = database.count("SELECT count(*) FROM token_usage");
        database.execute("DROP TRIGGER refuse_one ON token_usage");
        // Another run (the next night) loads everything the first left.
        JsonNode other = cli.report(dir, "import", "--threads", String.valueOf(threads), "--rejects",
                dir.resolve("r2.log").toString(), logs.toString());

        JsonNode restarted = cli.report(dir, "restart");

        assertThat(failed).isEqualTo(1);
        assertThat(loadedByTheFirst).isBetween(1L, 5_999L);
        assertThat(other.get("inserted").longValue()).isEqualTo(6_000 - loadedByTheFirst);
        assertThat(restarted.get("status").stringValue()).isEqualTo("COMPLETED");
        assertThat(restarted.get("inserted").longValue()).as("the run's counts span its executions")
                .isEqualTo(loadedByTheFirst);
        assertThat(restarted.get("duplicatesInInput").longValue()).as("repeats within the logs").isZero();
        assertThat(restarted.get("alreadyInTable").longValue()).as("what the other run loaded")
                .isEqualTo(6_000 - loadedByTheFirst);
        assertThat(database.count("SELECT count(*) FROM token_usage")).isEqualTo(6_000);
    }

    @Test
    void aSymlinkedLogDirectoryWithLinkedSubdirectoriesAndALoopLoadsEveryFileOnce() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.write(data.resolve("app.log"), lines(0, 100, TokenEvents::pino));
        Path older = Files.createDirectories(dir.resolve("older"));
        LogFiles.writeGzip(older.resolve("app.log.1.gz"), lines(100, 150, TokenEvents::pino));
        Files.createSymbolicLink(data.resolve("archive"), older);
        Files.createSymbolicLink(data.resolve("again"), data);
        Path link = Files.createSymbolicLink(dir.resolve("app-logs"), data);

        JsonNode report = cli.report(dir, "import", link.toString());
        assertThat(report.get("files").intValue()).isEqualTo(2);
        assertThat(Totals.inTable(database)).isEqualTo(totals(0, 150));

        database.execute("TRUNCATE token_usage");
        cli.report(dir, "import", link + "/**/*.log*");
        assertThat(Totals.inTable(database)).as("**/ takes the top-level file too").isEqualTo(totals(0, 150));
    }

    @Test
    void aHugeMaxLineBytesOrAPathWithALineBreakIsRefusedBeforeAnythingRuns() throws Exception {
        Path log = Files.write(dir.resolve("app.log"), lines(0, 10, TokenEvents::pino));

        BackfillCli.Outcome huge = cli.capture("import", "--max-line-bytes", "2147483647", log.toString());
        BackfillCli.Outcome newline = cli.capture("import", dir + "/app\n.log");

        assertThat(huge.exit()).isEqualTo(2);
        assertThat(huge.printed()).contains("--max-line-bytes");
        assertThat(newline.exit()).isEqualTo(2);
        assertThat(newline.printed()).contains("line break");
        assertThat(Totals.inTable(database)).isEqualTo(Totals.NONE);
    }

    @Test
    void rotatedFilesInEveryCompressorAndEncodingLoadAndAnInvalidUtf8EventIsRejected() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Files.write(logs.resolve("app.log.1.bz2"), compressed(lines(0, 100, TokenEvents::pino),
                org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream::new));
        Files.write(logs.resolve("app.log.2.xz"), compressed(lines(100, 200, TokenEvents::pino),
                org.apache.commons.compress.compressors.xz.XZCompressorOutputStream::new));
        Files.write(logs.resolve("app.log.3.zst"), compressed(lines(200, 300, TokenEvents::pino),
                org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream::new));
        byte[] utf16 = ("\uFEFF" + String.join("\n", lines(300, 400, TokenEvents::pino)) + "\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_16LE);
        Files.write(logs.resolve("windows.log"), utf16);
        Files.writeString(logs.resolve("mac.log"), String.join("\r", lines(400, 500, TokenEvents::pino)) + "\r");
        byte[] invalid = (TokenEvents.pino(500).replace("gpt-4o-mini", "gpt-4o-mini-\u00e9") + "\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        invalid[invalid.length - 20] = (byte) 0xff;
        Files.write(logs.resolve("broken.log"), invalid);

        JsonNode report = cli.report(dir, "import", "--rejects", dir.resolve("rejects.log").toString(),
                logs.toString());

        assertThat(Totals.inTable(database)).isEqualTo(totals(0, 500));
        assertThat(report.get("rejected").longValue()).isEqualTo(1);
        assertThat(report.get("rejectReasons").toString()).contains("UTF-8");
    }

    private interface Compressor {
        java.io.OutputStream wrap(java.io.OutputStream out) throws java.io.IOException;
    }

    private static byte[] compressed(List<String> lines, Compressor compressor) throws java.io.IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.OutputStream out = compressor.wrap(bytes)) {
            out.write((String.join("\n", lines) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    /** Events {@code from} to {@code to} with those from {@code badFrom} for {@code bad} events replaced by rejects. */
    private static List<String> withBadLinesBetween(int from, int badFrom, int bad, int to) {
        List<String> lines = lines(from, badFrom, TokenEvents::pino);
        for (int i = 0; i < bad; i++) {
            lines.add("{\"level\":30,\"time\":" + TokenEvents.time(badFrom + i).toEpochMilli()
                    + ",\"msg\":\"token_usage\",\"provider\":\"openai\",\"prompt_tokens\":1}");
        }
        lines.addAll(lines(badFrom + bad, to, TokenEvents::pino));
        return lines;
    }
}
