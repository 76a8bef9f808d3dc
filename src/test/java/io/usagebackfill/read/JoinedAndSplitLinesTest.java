package io.usagebackfill.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.usagebackfill.source.SourceDiscovery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Docker json-file partial entries joined into one line; lines holding several records split into one a record. */
class JoinedAndSplitLinesTest {

    /** Splits "records:a|b|c" lines at the bars, as OTLP export requests are split into their records. */
    private static final LineRecords BARS = line -> {
        String text = new String(line, StandardCharsets.UTF_8);
        return text.startsWith("records:") ? Arrays.stream(text.substring(8).split("\\|"))
                .map(r -> r.getBytes(StandardCharsets.UTF_8)).toList() : null;
    };

    @TempDir
    Path dir;

    @Test
    void dockerPartialEntriesOfALongLineAreJoinedIntoOneLineWithTheFirstEntrysTime() throws IOException {
        String big = "x".repeat(16 * 1024);
        Path log = dir.resolve("c-json.log");
        Files.writeString(log, String.join("\n",
                "{\"log\":\"{\\\"msg\\\":\\\"token_usage\\\",\\\"pad\\\":\\\"" + big + "\",\"stream\":\"stdout\","
                        + "\"time\":\"2025-11-15T11:00:07.000000001Z\"}",
                "{\"log\":\"" + big + "\",\"stream\":\"stdout\",\"time\":\"2025-11-15T11:00:07.000000002Z\"}",
                "{\"log\":\"\\\",\\\"model\\\":\\\"gpt-4o\\\"}\\n\",\"stream\":\"stdout\",\"time\":\"2025-11-15T11:00:07.000000003Z\"}",
                "{\"log\":\"token_usage short\\n\",\"stream\":\"stdout\",\"time\":\"2025-11-15T11:00:08Z\"}",
                "{\"log\":\"ends in an escaped backslash, not a new line \\\\n\\\\\",\"stream\":\"stderr\",\"time\":\"2025-11-15T11:00:09Z\"}",
                "{\"log\":\" token_usage rest\\n\",\"stream\":\"stderr\",\"time\":\"2025-11-15T11:00:09Z\"}", ""));

        LogLineReader reader = new LogLineReader(new SourceDiscovery().discover(List.of(log.toString())), 1 << 20,
                false);
        List<LogLine> lines = readAll(reader);

        assertThat(lines).hasSize(3);
        assertThat(lines.get(0).lineNumber()).isEqualTo(1);
        assertThat(lines.get(0).text()).isEqualTo("{\"log\":\"{\\\"msg\\\":\\\"token_usage\\\",\\\"pad\\\":\\\"" + big
                + big + "\\\",\\\"model\\\":\\\"gpt-4o\\\"}\\n\",\"stream\":\"stdout\","
                + "\"time\":\"2025-11-15T11:00:07.000000001Z\"}");
        assertThat(lines.get(1).lineNumber()).isEqualTo(4);
        assertThat(lines.get(2).lineNumber()).isEqualTo(5);
        assertThat(lines.get(2).text()).contains("new line \\\\n\\\\ token_usage rest\\n\"");
        assertThat(reader.position().linesRead()).isEqualTo(3);
    }

    @Test
    void aPartialEntryIsKnownByItsEndAsTheCutIntoRangesSeesIt() {
        assertThat(endsPartial("{\"log\":\"part of a line\",\"stream\":\"stdout\",\"time\":\"2025-11-15T11:00:07Z\"}"))
                .isTrue();
        assertThat(endsPartial("{\"log\":\"a whole line\\n\",\"stream\":\"stdout\",\"time\":\"2025-11-15T11:00:07Z\"}"))
                .isFalse();
        assertThat(endsPartial("{\"log\":\"ends in a backslash then n \\\\n\",\"stream\":\"stdout\",\"time\":\"t\"}"))
                .isTrue();
        assertThat(endsPartial("2025-11-15T11:00:07Z stdout F token_usage")).isFalse();
    }

    @Test
    void theLogTextOfAnEntryInAnyKeyOrderIsFoundAsAByteLoopFindsIt() {
        String[] pieces = {"\"log\"", "\"stream\"", ":", " ", "\\", "\"", "a", "{", "}", ",", "\"lo", "g\""};
        java.util.Random random = new java.util.Random(21);
        for (int round = 0; round < 50_000; round++) {
            StringBuilder line = new StringBuilder("{");
            for (int i = random.nextInt(16); i > 0; i--) {
                line.append(pieces[random.nextInt(pieces.length)]);
            }
            byte[] b = ("xx" + line).getBytes(StandardCharsets.US_ASCII);
            int end = b.length - random.nextInt(2);
            assertThat(DockerPartials.logValue(b, 2, end)).as(line.toString()).isEqualTo(logValueByteByByte(b, 2, end));
        }
        byte[] shipped = "{\"stream\":\"stdout\", \"log\" : \"{\\\"log\\\":1}\\n\"}".getBytes(StandardCharsets.US_ASCII);
        int[] log = DockerPartials.logValue(shipped, 0, shipped.length);
        assertThat(new String(shipped, log[0], log[1] - log[0], StandardCharsets.US_ASCII))
                .isEqualTo("{\\\"log\\\":1}\\n");
    }

    /** The search as a byte loop over every quote, as it was written before it went eight bytes at a time. */
    private static int[] logValueByteByByte(byte[] b, int from, int end) {
        byte[] key = "\"log\"".getBytes(StandardCharsets.US_ASCII);
        if (end - from < 2 || b[from] != '{') {
            return null;
        }
        for (int at = from + 1; at + key.length < end; at++) {
            if (b[at] != '"' || !Arrays.equals(b, at, at + key.length, key, 0, key.length) || b[at - 1] == '\\') {
                continue;
            }
            int i = at + key.length;
            while (i < end && b[i] == ' ') {
                i++;
            }
            if (i >= end || b[i] != ':') {
                continue;
            }
            i++;
            while (i < end && b[i] == ' ') {
                i++;
            }
            if (i >= end || b[i] != '"') {
                continue;
            }
            for (int j = i + 1; j < end; j++) {
                if (b[j] == '\\') {
                    j++;
                } else if (b[j] == '"') {
                    return new String(b, from, end - from, StandardCharsets.US_ASCII).contains("\"stream\"")
                            ? new int[] {i + 1, j} : null;
                }
            }
            return null;
        }
        return null;
    }

    @Test
    void everyAppearanceOfALineCountsTheOnesBeforeItThroughTheTablesGrowth() {
        LineOccurrences occurrences = new LineOccurrences();
        java.util.Map<String, Integer> seen = new java.util.HashMap<>();
        java.util.Random random = new java.util.Random(22);
        for (int i = 0; i < 20_000; i++) {
            String line = "line " + random.nextInt(i < 10_000 ? 50 : 5_000);
            byte[] b = ("<" + line + ">").getBytes(StandardCharsets.US_ASCII);
            int before = seen.getOrDefault(line, 0);
            seen.put(line, before + 1);
            assertThat(occurrences.next(b, 1, b.length - 1)).as(line).isEqualTo(before);
        }
    }

    private static boolean endsPartial(String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        return DockerPartials.endsPartial(b, 0, b.length);
    }

    @Test
    void eachRecordOfALineIsItsOwnItemAndAResumeMidLineHandsOutOnlyTheRest() throws IOException {
        Path log = dir.resolve("otlp.jsonl");
        Files.writeString(log, "token_usage first\nrecords:token_usage a|token_usage b|token_usage c\nnoise\n"
                + "token_usage last\n");
        List<io.usagebackfill.source.SourceFile> files = new SourceDiscovery().discover(List.of(log.toString()));

        LogLineReader reader = new LogLineReader(files, 4096, false, BARS);
        List<String> firstChunk = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            firstChunk.add(reader.read().text());
        }
        ReadPosition saved = reader.position();
        LogLineReader resumed = new LogLineReader(files, 4096, false, BARS);
        resumed.resumeAt(saved);
        List<LogLine> rest = readAll(resumed);

        assertThat(firstChunk).containsExactly("token_usage first", "token_usage a", "token_usage b");
        assertThat(saved.recordsDone()).isEqualTo(2);
        assertThat(rest).extracting(LogLine::text).containsExactly("token_usage c", "token_usage last");
        assertThat(rest.get(0).lineNumber()).isEqualTo(2);
        assertThat(resumed.position().linesRead()).isEqualTo(4);
        assertThat(resumed.position().noiseLines()).isEqualTo(1);
        assertThat(resumed.position().recordsDone()).isZero();
    }

    private static List<LogLine> readAll(LogLineReader reader) throws IOException {
        List<LogLine> lines = new ArrayList<>();
        for (LogLine line = reader.read(); line != null; line = reader.read()) {
            lines.add(line);
        }
        return lines;
    }
}
