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
