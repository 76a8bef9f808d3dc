package io.usagebackfill.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import io.usagebackfill.source.SourceDiscovery;
import io.usagebackfill.source.SourceFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the reader does when files are rotated, cut, rewritten or written in parts, and how it tells repeats apart. */
class RotationAndRepeatsTest {

    @TempDir
    Path dir;

    @Test
    void aTrailingPartialLineWithoutItsFinalPartIsLeftWholeForTheNextRead() throws IOException {
        Path log = dir.resolve("cri.log");
        String complete = "2025-11-09T10:00:00.1Z stdout F time=2025-11-09T10:00:00Z msg=token_usage prompt_tokens=1\n";
        String partial = "2025-11-09T10:00:01.1Z stdout P time=2025-11-09T10:00:01Z msg=token_usage prompt_tokens=12";
        Files.writeString(log, complete + partial + "\n");

        LogLineReader reader = new LogLineReader(discover(log), 4096, false);
        List<LogLine> first = readAll(reader);

        assertThat(first).extracting(LogLine::lineNumber).containsExactly(1L);
        ReadPosition.FileEnd end = reader.position().finished().get(0);
        assertThat(end.offset()).as("the read ends before the partial line").isEqualTo(complete.length());
        assertThat(end.lines()).isEqualTo(1);
        assertThat(end.atEnd()).isFalse();
        assertThat(reader.position().notices()).singleElement().asString().contains("partial line");

        Files.writeString(log, "2025-11-09T10:00:01.2Z stdout F 34 completion_tokens=5\n", StandardOpenOption.APPEND);
        LogLineReader next = new LogLineReader(List.of(discover(log).get(0).continuingAt(end.offset(), end.lines())),
                4096, false);

        assertThat(readAll(next)).singleElement().satisfies(line -> {
            assertThat(line.text()).endsWith("prompt_tokens=1234 completion_tokens=5");
            assertThat(line.lineNumber()).isEqualTo(2);
            assertThat(line.unfinished()).isFalse();
        });
    }

    @Test
    void aPartialLineAtTheEndOfAnArchiveIsHandedOutAsUnfinished() throws IOException {
        Path gz = dir.resolve("cri.log.1.gz");
        Files.write(gz, gzip("2025-11-09T10:00:01.1Z stdout P {\"msg\":\"token_usage\",\"prompt_tok\n"));

        assertThat(readAll(new LogLineReader(discover(gz), 4096, false))).singleElement()
                .satisfies(line -> assertThat(line.unfinished()).isTrue());
    }

    @Test
    void theKthRepeatOfALineHasOccurrenceKHoweverTheFileIsSplitOrResumed() throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            lines.add("token_usage call " + (i % 7 == 0 ? "same" : String.valueOf(i)));
            lines.add("noise " + i);
        }
        Path log = Files.write(dir.resolve("app.log"), lines);
        List<SourceFile> whole = discover(log);

        List<LogLine> read = readAll(new LogLineReader(whole, 4096, false));
        List<LogLine> inRanges = new ArrayList<>();
        for (List<SourceFile> part : ReadPlan.split(whole, 4)) {
            inRanges.addAll(readAll(new LogLineReader(part, 4096, false)));
        }
        LogLineReader interrupted = new LogLineReader(whole, 4096, false);
        for (int i = 0; i < 1234; i++) {
            interrupted.read();
        }
        LogLineReader resumed = new LogLineReader(whole, 4096, false);
        resumed.resumeAt(interrupted.position());
        List<LogLine> afterResume = readAll(resumed);

        assertThat(read).filteredOn(l -> l.text().endsWith("same")).extracting(LogLine::occurrence)
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 429).boxed().toList());
        assertThat(read).filteredOn(l -> !l.text().endsWith("same")).allMatch(l -> l.occurrence() == 0);
        assertThat(inRanges).extracting(LogLine::occurrence)
                .containsExactlyElementsOf(read.stream().map(LogLine::occurrence).toList());
        assertThat(afterResume).extracting(LogLine::occurrence)
                .containsExactlyElementsOf(read.subList(1234, read.size()).stream().map(LogLine::occurrence).toList());
    }

    /**
     * A container's log wraps every application line with the daemon's time, so two identical application lines
     * are never identical wrapped lines: they are told apart by the application's line, as in a plain file, also in
     * a range or a resumed read, and a Kubernetes partial line joined again counts as the line it was.
     */
    @Test
    void identicalApplicationLinesInAContainersLogAreRepeatsWhateverTheWrappersTime() throws IOException {
        String app = "{\\\"time\\\":1762682400101,\\\"msg\\\":\\\"token_usage\\\",\\\"prompt_tokens\\\":8}\\n";
        List<String> docker = new ArrayList<>();
        List<String> cri = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            String time = String.format("2025-11-09T10:00:%02d.%09dZ", i % 60, i);
            docker.add("{\"log\":\"" + app + "\",\"stream\":\"" + (i % 2 == 0 ? "stdout" : "stderr") + "\",\"time\":\""
                    + time + "\"}");
            cri.add(i % 3 == 0 ? time + " stdout P {\"time\":1762682400101,\"msg\":\"token_us\n" + time
                    + " stdout F age\",\"prompt_tokens\":8}"
                    : time + " stdout F {\"time\":1762682400101,\"msg\":\"token_usage\",\"prompt_tokens\":8}");
        }
        Path dockerLog = Files.write(dir.resolve("c-json.log"), docker);
        Path criLog = Files.write(dir.resolve("0.log"), cri);
        // As a shipper rewrites the daemon's entries: spaces after the colons, the log member last.
        Path shipped = Files.write(dir.resolve("shipped.log"), docker.stream().map(entry -> {
            int tail = entry.indexOf("\",\"stream\"");
            return "{\"stream\": \"stdout\", " + entry.substring(tail + 2, entry.length() - 1)
                    .replaceFirst("^\"stream\":\"[a-z]+\",", "").replace("\":\"", "\": \"") + ", \"log\": "
                    + entry.substring("{\"log\":".length(), tail + 1) + "}";
        }).toList());

        for (Path log : List.of(dockerLog, criLog, shipped)) {
            List<SourceFile> whole = discover(log);
            List<LogLine> read = readAll(new LogLineReader(whole, 4096, false));
            List<LogLine> inRanges = new ArrayList<>();
            for (List<SourceFile> part : ReadPlan.split(whole, 3)) {
                inRanges.addAll(readAll(new LogLineReader(part, 4096, false)));
            }

            assertThat(read).as(log.toString()).extracting(LogLine::occurrence)
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 600).boxed().toList());
            assertThat(inRanges).as(log.toString()).extracting(LogLine::occurrence)
                    .containsExactlyElementsOf(read.stream().map(LogLine::occurrence).toList());
        }
    }

    @Test
    void aResumedReadFindsItsFileUnderTheRotatedNameByItsContent() throws IOException {
        Path log = Files.write(dir.resolve("app.log"), numbered(0, 100));
        List<SourceFile> planned = discover(log);
        LogLineReader before = new LogLineReader(planned, 4096, false);
        for (int i = 0; i < 40; i++) {
            before.read();
        }
        ReadPosition saved = before.position();
        before.close();
        Files.move(log, dir.resolve("app.log.1"));
        Files.write(log, numbered(500, 510));

        LogLineReader resumed = new LogLineReader(planned, 4096, false);
        resumed.resumeAt(saved);
        List<LogLine> rest = readAll(resumed);

        assertThat(rest).extracting(LogLine::text).containsExactlyElementsOf(numbered(40, 100));
        assertThat(rest.get(0).file()).endsWith("app.log.1");
        assertThat(resumed.position().notices()).anyMatch(n -> n.contains("rotated"));
    }

    @Test
    void aResumedReadWhoseFileIsGoneWithoutACopyFailsNamingIt() throws IOException {
        Path log = Files.write(dir.resolve("app.log"), numbered(0, 100));
        List<SourceFile> planned = discover(log);
        LogLineReader before = new LogLineReader(planned, 4096, false);
        before.read();
        ReadPosition saved = before.position();
        before.close();
        Files.write(log, numbered(500, 510));

        LogLineReader resumed = new LogLineReader(planned, 4096, false);
        resumed.resumeAt(saved);

        assertThatThrownBy(() -> readAll(resumed)).isInstanceOf(FileChangedException.class)
                .hasMessageContaining(log.toString()).hasMessageContaining("no longer holds");
    }

    @Test
    void aFileCutWhileItIsReadFailsTheReadInsteadOfEndingThere() throws IOException {
        Path log = Files.write(dir.resolve("app.log"), numbered(0, 20_000));
        LogLineReader reader = new LogLineReader(discover(log), 4096, false);
        reader.read();
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "rw")) {
            file.setLength(0);
        }

        assertThatThrownBy(() -> readAll(reader)).isInstanceOf(FileChangedException.class)
                .hasMessageContaining("was cut while it was read").hasMessageContaining("restart");
    }

    @Test
    void aLedgerPlaceInAFileRewrittenWithTheSameHeadIsNotTrusted() throws IOException {
        List<String> head = numbered(0, 200);
        List<String> first = new ArrayList<>(head);
        first.addAll(numbered(1_000, 1_100));
        Path log = Files.write(dir.resolve("app.log"), first);
        LogLineReader reader = new LogLineReader(discover(log), 4096, false);
        readAll(reader);
        ReadPosition.FileEnd end = reader.position().finished().get(0);
        List<String> rewritten = new ArrayList<>(head);
        rewritten.addAll(numbered(2_000, 2_300));
        Files.write(log, rewritten);

        LogLineReader again = new LogLineReader(
                List.of(discover(log).get(0).continuingAfter(end.offset(), end.lines(), end.tail())), 4096, false);

        assertThat(readAll(again)).extracting(LogLine::text).containsExactlyElementsOf(rewritten);
        assertThat(again.position().notices()).anyMatch(n -> n.contains("read from its start"));
    }

    @Test
    void aLedgerPlaceInAGrownFileIsReadOnFrom() throws IOException {
        Path log = Files.write(dir.resolve("app.log"), numbered(0, 300));
        LogLineReader reader = new LogLineReader(discover(log), 4096, false);
        readAll(reader);
        ReadPosition.FileEnd end = reader.position().finished().get(0);
        Files.write(log, numbered(300, 310), StandardOpenOption.APPEND);

        LogLineReader again = new LogLineReader(
                List.of(discover(log).get(0).continuingAfter(end.offset(), end.lines(), end.tail())), 4096, false);

        assertThat(readAll(again)).extracting(LogLine::text).containsExactlyElementsOf(numbered(300, 310));
    }

    private static List<String> numbered(int from, int to) {
        List<String> lines = new ArrayList<>();
        for (int i = from; i < to; i++) {
            lines.add("{\"msg\":\"token_usage\",\"n\":" + i + "}");
        }
        return lines;
    }

    private static List<SourceFile> discover(Path... files) {
        return new SourceDiscovery().discover(java.util.Arrays.stream(files).map(Path::toString).toList());
    }

    private static List<LogLine> readAll(LogLineReader reader) throws IOException {
        List<LogLine> lines = new ArrayList<>();
        for (LogLine line = reader.read(); line != null; line = reader.read()) {
            lines.add(line);
        }
        return lines;
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }
}
