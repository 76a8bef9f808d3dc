package io.usagebackfill.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import io.usagebackfill.source.SourceDiscovery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogLineReaderTest {

    @TempDir
    Path dir;

    private List<LogLine> readAll(LogLineReader reader) throws IOException {
        List<LogLine> lines = new ArrayList<>();
        for (LogLine line = reader.read(); line != null; line = reader.read()) {
            lines.add(line);
        }
        return lines;
    }

    private LogLineReader reader(int maxLineBytes, boolean strict, Path... files) {
        List<String> paths = Arrays.stream(files).map(Path::toString).toList();
        return new LogLineReader(new SourceDiscovery().discover(paths), maxLineBytes, strict);
    }

    @Test
    void onlyCandidateLinesReachTheStepAndTheRestIsCountedAsNoise() throws IOException {
        Path log = dir.resolve("app.log");
        Files.writeString(log, "noise\r\n\r\n{\"msg\":\"TOKEN_USAGE\"}\r\nmore noise\r\ntoken_usage again\r\n");

        LogLineReader reader = reader(4096, false, log);
        List<LogLine> lines = readAll(reader);

        assertThat(lines).extracting(LogLine::text).containsExactly("{\"msg\":\"TOKEN_USAGE\"}", "token_usage again");
        assertThat(lines).extracting(LogLine::lineNumber).containsExactly(3L, 5L);
        assertThat(reader.position().linesRead()).isEqualTo(5);
        assertThat(reader.position().noiseLines()).isEqualTo(3);
    }

    @Test
    void aLineLongerThanTheReadBufferIsACandidateWhereverItsNameIs() throws IOException {
        Path log = dir.resolve("long.log");
        String pad = "x".repeat(100_000);
        Files.writeString(log, "token_usage " + pad + "\n" + pad + " token_usage\n" + pad + " token-usage\n"
                + pad + " token\\u005fusage\n" + "no event\n");

        LogLineReader reader = reader(1 << 20, false, log);

        assertThat(readAll(reader)).extracting(LogLine::lineNumber).containsExactly(1L, 2L, 4L);
        assertThat(reader.position().noiseLines()).isEqualTo(2);
    }

    @Test
    void invalidUtf8IsReplacedNotFatal() throws IOException {
        Path log = dir.resolve("app.log");
        Files.write(log, new byte[] {'t', 'o', 'k', 'e', 'n', '_', 'u', 's', 'a', 'g', 'e', ' ', (byte) 0xff, '\n'});

        assertThat(readAll(reader(4096, false, log))).singleElement()
                .satisfies(line -> assertThat(line.text()).isEqualTo("token_usage \uFFFD"));
    }

    @Test
    void aMultiMemberGzipIsReadToItsEnd() throws IOException {
        Path gz = dir.resolve("app.log.1.gz");
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.write(gzip("token_usage 1\n"));
        both.write(gzip("token_usage 2\n"));
        Files.write(gz, both.toByteArray());

        assertThat(readAll(reader(4096, false, gz))).extracting(LogLine::text)
                .containsExactly("token_usage 1", "token_usage 2");
    }

    @Test
    void aTruncatedGzipKeepsTheLinesBeforeTheDamageAndSaysSo() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            text.append("token_usage line ").append(i).append(" ").append("x".repeat(i % 50)).append('\n');
        }
        byte[] whole = gzip(text.toString());
        Path gz = dir.resolve("cut.log.gz");
        Files.write(gz, Arrays.copyOf(whole, whole.length / 2));

        LogLineReader reader = reader(4096, false, gz);
        List<LogLine> lines = readAll(reader);

        assertThat(lines).isNotEmpty().hasSizeLessThan(5000);
        assertThat(reader.position().notices()).singleElement().asString().contains("cut.log.gz is damaged");
        assertThatThrownBy(() -> readAll(reader(4096, true, gz))).isInstanceOf(DamagedFileException.class)
                .hasMessageContaining("--strict");
    }

    @Test
    void anUnterminatedLastLineOfAPlainFileIsLeftForTheNextRun() throws IOException {
        Path log = dir.resolve("app.log");
        Files.writeString(log, "token_usage complete\ntoken_usage still being writ");

        LogLineReader reader = reader(4096, false, log);

        assertThat(readAll(reader)).extracting(LogLine::text).containsExactly("token_usage complete");
        assertThat(reader.position().notices()).singleElement().asString().contains("no line ending yet");
    }

    @Test
    void resumingAtASavedPositionContinuesAfterTheLastConsumedLine() throws IOException {
        Path plain = dir.resolve("a.log");
        Files.writeString(plain, "token_usage 1\nnoise\ntoken_usage 2\ntoken_usage 3\n");
        Path gz = dir.resolve("b.log.gz");
        Files.write(gz, gzip("token_usage 4\ntoken_usage 5\n"));
        LogLineReader first = reader(4096, false, plain, gz);
        first.read();
        first.read();
        ReadPosition saved = first.position();
        first.read();
        first.read();
        ReadPosition inGzip = first.position();

        LogLineReader resumed = reader(4096, false, plain, gz);
        resumed.resumeAt(saved);
        LogLineReader resumedInGzip = reader(4096, false, plain, gz);
        resumedInGzip.resumeAt(inGzip);

        assertThat(readAll(resumed)).extracting(LogLine::text)
                .containsExactly("token_usage 3", "token_usage 4", "token_usage 5");
        assertThat(readAll(resumedInGzip)).extracting(LogLine::text).containsExactly("token_usage 5");
    }

    @Test
    void aLineLongerThanTheLimitIsMarkedTooLongAndTheNextLineIsReadNormally() throws IOException {
        Path log = dir.resolve("big.log");
        Files.writeString(log, "token_usage " + "y".repeat(200_000) + "\ntoken_usage after\n");

        List<LogLine> lines = readAll(reader(4096, false, log));

        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).tooLong()).isTrue();
        assertThat(lines.get(0).lengthBytes()).isEqualTo(200_012);
        assertThat(lines.get(0).bytes()).hasSizeLessThanOrEqualTo(LineSplitter.PREVIEW_BYTES);
        assertThat(lines.get(1).text()).isEqualTo("token_usage after");
    }

    @Test
    void criPartialLinesAreJoinedIntoOneLine() throws IOException {
        Path log = dir.resolve("cri.log");
        Files.writeString(log, String.join("\n",
                "2025-11-09T10:00:00.1Z stdout P {\"msg\":\"token_",
                "2025-11-09T10:00:00.2Z stdout P usage\",\"model\"",
                "2025-11-09T10:00:00.3Z stdout F :\"m\"}",
                "2025-11-09T10:00:01.0Z stderr F unrelated") + "\n");

        LogLineReader reader = reader(4096, false, log);

        assertThat(readAll(reader)).singleElement().satisfies(line -> {
            assertThat(line.text()).isEqualTo("2025-11-09T10:00:00.1Z stdout F {\"msg\":\"token_usage\",\"model\":\"m\"}");
            assertThat(line.lineNumber()).isEqualTo(1);
        });
        assertThat(reader.position().linesRead()).isEqualTo(2);
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }
}
