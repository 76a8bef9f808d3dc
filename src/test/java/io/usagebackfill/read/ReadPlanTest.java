package io.usagebackfill.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import io.usagebackfill.source.SourceDiscovery;
import io.usagebackfill.source.SourceFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReadPlanTest {

    @TempDir
    Path dir;

    @Test
    void oneLargeFileIsCutAtLineEndsIntoRangesThatKnowTheirFirstLineNumber() throws IOException {
        Path log = write("app.log", lines(0, 1_000));

        List<List<SourceFile>> parts = ReadPlan.split(discover(log), 4);

        assertThat(parts).hasSize(4).allSatisfy(part -> assertThat(part).hasSize(1));
        byte[] content = Files.readAllBytes(log);
        for (int p = 1; p < parts.size(); p++) {
            SourceFile range = parts.get(p).get(0);
            assertThat(content[(int) range.startOffset() - 1]).as("byte before range %d", p).isEqualTo((byte) '\n');
            assertThat(range.startOffset()).isEqualTo(parts.get(p - 1).get(0).endOffset());
            assertThat(range.startLine()).isEqualTo(countLines(content, range.startOffset()));
        }
        assertThat(parts.get(3).get(0).readsToEnd()).isTrue();
        assertThat(parts.get(0).get(0).readsToEnd()).isFalse();
    }

    @Test
    void thePartsTogetherReadEveryLineOnceWithTheFilesOwnLineNumbers() throws IOException {
        Path a = write("a.log", lines(0, 700));
        Path b = write("b.log", lines(700, 40));
        Path c = write("c.log.1.gz", gzip(lines(740, 300)));
        List<SourceFile> files = discover(a, b, c);

        List<String> whole = readAll(files);
        List<String> split = new ArrayList<>();
        for (List<SourceFile> part : ReadPlan.split(files, 3)) {
            split.addAll(readAll(part));
        }

        assertThat(whole).as("the candidate lines of 1,040, a third of them noise").hasSize(693);
        assertThat(split).containsExactlyElementsOf(whole);
    }

    /** The edges, then 40 pairs drawn from a fixed seed, so a failure names a case that fails again. */
    static java.util.stream.Stream<Arguments> splits() {
        java.util.Random random = new java.util.Random(20261201L);
        List<Arguments> cases = new ArrayList<>(List.of(Arguments.of(1, 1), Arguments.of(1, 9), Arguments.of(2, 9),
                Arguments.of(9, 9), Arguments.of(300, 1), Arguments.of(300, 9)));
        for (int i = 0; i < 40; i++) {
            cases.add(Arguments.of(1 + random.nextInt(300), 1 + random.nextInt(9)));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} lines in {1} parts")
    @MethodSource("splits")
    void anySplitReadsEveryLineExactlyOnce(int lineCount, int parts) throws IOException {
        Path log = Files.createTempFile("read-plan", ".log");
        try {
            Files.write(log, lines(0, lineCount));
            List<SourceFile> files = discover(log);

            List<String> split = new ArrayList<>();
            List<List<SourceFile>> plan = ReadPlan.split(files, parts);
            for (List<SourceFile> part : plan) {
                split.addAll(readAll(part));
            }

            assertThat(plan).hasSizeLessThanOrEqualTo(parts).allSatisfy(part -> assertThat(part).isNotEmpty());
            assertThat(split).containsExactlyElementsOf(readAll(files));
        } finally {
            Files.delete(log);
        }
    }

    @Test
    void aGzipFileIsNeverCutAndOnePartLeavesTheFilesAsTheyAre() throws IOException {
        Path gz = write("big.log.1.gz", gzip(lines(0, 2_000)));
        Path small = write("small.log", lines(0, 5));
        List<SourceFile> files = discover(gz, small);

        assertThat(ReadPlan.split(files, 1)).containsExactly(files);
        assertThat(ReadPlan.split(files, 2).stream().flatMap(List::stream))
                .filteredOn(SourceFile::gzip).singleElement().satisfies(f -> {
                    assertThat(f.startOffset()).isZero();
                    assertThat(f.readsToEnd()).isTrue();
                });
    }

    @Test
    void aKubernetesPartialLineIsNotSeparatedFromTheLineThatFinishesIt() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            text.append("2025-11-09T10:00:00.000000000Z stdout P {\"msg\":\"token_usage\",\"part\":").append(i)
                    .append('\n');
            text.append("2025-11-09T10:00:00.000000001Z stdout F ,\"end\":true}\n");
        }
        Path log = write("cri.log", text.toString().getBytes(StandardCharsets.UTF_8));

        for (List<SourceFile> part : ReadPlan.split(discover(log), 5)) {
            SourceFile range = part.get(0);
            assertThat(range.startLine() % 2).as("range starting at line %d", range.startLine() + 1).isZero();
        }
    }

    private Path write(String name, byte[] content) throws IOException {
        Path path = dir.resolve(name);
        Files.write(path, content);
        return path;
    }

    private static List<SourceFile> discover(Path... files) {
        return new SourceDiscovery().discover(java.util.Arrays.stream(files).map(Path::toString).toList());
    }

    /** Each candidate line as file:line:text, so a line read twice, missed or misnumbered shows. */
    private static List<String> readAll(List<SourceFile> files) throws IOException {
        List<String> out = new ArrayList<>();
        try (LogLineReader reader = new LogLineReader(files, 1 << 16, false)) {
            for (LogLine line = reader.read(); line != null; line = reader.read()) {
                out.add(line.file() + ":" + line.lineNumber() + ":" + line.text());
            }
        }
        return out;
    }

    private static byte[] lines(int first, int count) {
        StringBuilder text = new StringBuilder();
        for (int i = first; i < first + count; i++) {
            text.append(i % 3 == 0 ? "noise " : "{\"msg\":\"token_usage\",\"n\":").append(i).append(" ")
                    .append("x".repeat(i % 37)).append('\n');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static long countLines(byte[] content, long upTo) {
        long n = 0;
        for (int i = 0; i < upTo; i++) {
            n += content[i] == '\n' ? 1 : 0;
        }
        return n;
    }

    private static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(content);
        }
        return out.toByteArray();
    }
}
