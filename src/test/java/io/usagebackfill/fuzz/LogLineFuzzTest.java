package io.usagebackfill.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.usagebackfill.load.TokenUsageCsv;
import io.usagebackfill.normalize.EventNormalizer;
import io.usagebackfill.normalize.PriceList;
import io.usagebackfill.normalize.ProcessCounts;
import io.usagebackfill.normalize.ProviderCatalog;
import io.usagebackfill.catalog.RejectedLineException;
import io.usagebackfill.normalize.TimeWindow;
import io.usagebackfill.normalize.TokenUsage;
import io.usagebackfill.job.TokenUsageProcessor;
import io.usagebackfill.parse.EventRecognizer;
import io.usagebackfill.parse.RecognizedEvent;
import io.usagebackfill.read.LogLine;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzzes the line parser and the normaliser with whole logs of arbitrary bytes. In every build each test runs once
 * per seed (sample-logs/, the hostile values of issue 13, and past findings in {@code LogLineFuzzTestInputs/}); with
 * {@code JAZZER_FUZZ=1} one of them is fuzzed for {@code maxDuration} (docs/testing.md, "Fuzzing"). Whatever the bytes, every
 * line is a row, a reject with a short reason, or noise, and no other exception escapes.
 */
class LogLineFuzzTest {

    /** Small, so over-long lines are reached by the fuzzer too. */
    private static final int MAX_LINE_BYTES = 4096;
    private static final int PREVIEW_BYTES = 1024;
    private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("2100-01-01T00:00:00Z");

    private static final EventRecognizer RECOGNIZER = new EventRecognizer();
    private static final EventNormalizer NORMALIZER = new EventNormalizer(ProviderCatalog.builtIn());

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "3m")
    void everyLineOfAnyLogIsARowARejectWithAShortReasonOrNoise(byte[] log) throws IOException {
        List<LogLine> lines = lines(log);
        TokenUsageProcessor processor = new TokenUsageProcessor(RECOGNIZER, NORMALIZER, MAX_LINE_BYTES,
                TimeWindow.ALL, PriceList.NONE);
        Map<UUID, TokenUsage> inserted = new HashMap<>();
        long rows = 0;
        long rejected = 0;
        try (TokenUsageCsv csv = new TokenUsageCsv(new ByteArrayOutputStream())) {
            for (LogLine line : lines) {
                TokenUsage row;
                try {
                    row = processor.process(line);
                } catch (RejectedLineException e) {
                    assertShortReason(e);
                    rejected++;
                    continue;
                }
                if (row != null) {
                    assertFitsTheTable(row);
                    csv.row(row, true);
                    rows++;
                    TokenUsage earlier = inserted.putIfAbsent(row.id(), row);
                    assertThat(earlier == null || earlier.equals(row)).as("one id, one row").isTrue();
                }
            }
        }

        ProcessCounts counts = processor.counts();
        long duplicates = rows - inserted.size();
        assertThat(counts.events() + counts.ignored()).as("every line an event or noise")
                .isEqualTo(lines.size());
        assertThat(counts.events()).as("events = inserted + duplicates + rejected")
                .isEqualTo(inserted.size() + duplicates + rejected + counts.outsideWindow());
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "3m")
    void anyLineIsRecognisedAsAnEventAsNoEventOrRejectedWithAShortReason(byte[] log) {
        for (LogLine line : lines(log)) {
            RecognizedEvent event;
            try {
                event = RECOGNIZER.recognize(line.text());
            } catch (RejectedLineException e) {
                assertShortReason(e);
                continue;
            }
            if (event != null) {
                assertThat(event.fields()).isNotNull();
                assertThat(event.identityText()).isNotNull();
                try {
                    assertFitsTheTable(NORMALIZER.normalize(event).row());
                } catch (RejectedLineException e) {
                    assertShortReason(e);
                }
            }
        }
    }

    /** The lines as the reader hands them over: split at LF, a CR before it dropped, over-long ones cut short. */
    static List<LogLine> lines(byte[] log) {
        List<LogLine> lines = new ArrayList<>();
        int start = 0;
        while (start < log.length) {
            int newline = start;
            while (newline < log.length && log[newline] != '\n') {
                newline++;
            }
            int end = newline < log.length && newline > start && log[newline - 1] == '\r' ? newline - 1 : newline;
            int length = end - start;
            boolean tooLong = length > MAX_LINE_BYTES;
            byte[] bytes = Arrays.copyOfRange(log, start, start + (tooLong ? PREVIEW_BYTES : length));
            lines.add(new LogLine("fuzz.log", lines.size() + 1, bytes, tooLong, length));
            start = newline + 1;
        }
        return lines;
    }

    private static void assertShortReason(RejectedLineException e) {
        assertThat(e.reason()).as("reason").isNotBlank().hasSizeLessThanOrEqualTo(
                RejectedLineException.MAX_REASON_LENGTH);
    }

    private static void assertFitsTheTable(TokenUsage row) {
        assertThat(row.id()).isNotNull();
        assertThat(List.of(row.promptTokens(), row.completionTokens(), row.totalTokens()))
                .allSatisfy(count -> assertThat(count).isNotNegative());
        if (row.costMicros() != null) {
            assertThat(row.costMicros()).isNotNegative();
        }
        for (String text : List.of(row.provider(), row.model())) {
            assertThat(text).isNotBlank().doesNotContain("\0");
            assertThat(text.codePointCount(0, text.length())).isLessThanOrEqualTo(512);
        }
        assertThat(row.createdAt()).isAfterOrEqualTo(EARLIEST).isBefore(LATEST)
                .isEqualTo(row.createdAt().truncatedTo(ChronoUnit.MICROS));
    }

    /** Each file of sample-logs/ (gunzipped) and each hostile value of issue 13, as a one-line log. */
    static Stream<Arguments> seeds() throws IOException {
        List<Arguments> seeds = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("sample-logs"))) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                seeds.add(Arguments.of((Object) read(file)));
            }
        }
        for (String line : HOSTILE_LINES) {
            seeds.add(Arguments.of((Object) line.getBytes(StandardCharsets.UTF_8)));
        }
        return seeds.stream();
    }

    private static byte[] read(Path file) {
        try (InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(Files.newInputStream(file))
                : Files.newInputStream(file)) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            in.transferTo(bytes);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final String EVENT = "{\"msg\":\"token_usage\",\"time\":1762682400123,\"provider\":\"openai\","
            + "\"model\":\"gpt-4o\",";

    private static final List<String> HOSTILE_LINES = List.of(
            EVENT + "\"prompt_tokens\":\"1e2147483647\"}", EVENT + "\"cost_usd\":\"1e-2147483647\",\"prompt_tokens\":1}",
            EVENT + "\"cost_micros\":1e999999999,\"prompt_tokens\":1}", EVENT + "\"prompt_tokens\":1e999999999}",
            "{\"msg\":\"token_usage\",\"time\":\"2025-02-30T10:00:00Z\",\"model\":\"gpt-4o\",\"prompt_tokens\":1}",
            "{\"msg\":\"token_usage\",\"time\":\"2025-04-31T10:00:00Z\",\"model\":\"gpt-4o\",\"prompt_tokens\":1}",
            "{\"msg\":\"token_usage\",\"time\":\"2025-11-09T24:00\",\"model\":\"gpt-4o\",\"prompt_tokens\":1}",
            EVENT + "\"prompt_tokens\":1,\"user_id\":\"\uFF13f0e8a4c-1b2d-4e5f-8a9b-0c1d2e3f4a5b\"}",
            "{\"msg\":\"token_usage\",\"time\":1762682400123,\"model\":\"" + "\uD83D\uDE42".repeat(300)
                    + "\",\"prompt_tokens\":1}",
            "{\"msg\":\"token\\u005fusage\",\"time\":1762682400123,\"model\":\"gpt-4o\",\"prompt_tokens\":1}",
            "{\"stream\":\"stdout\",\"time\":\"2025-11-09T10:00:00.1Z\",\"log\":\"{\\\"msg\\\":\\\"token_usage\\\","
                    + "\\\"model\\\":\\\"gpt-4o\\\",\\\"prompt_tokens\\\":1}\\n\"}",
            "2025-11-09T10:00:00.000000000Z stdout P {\"msg\":\"token_usage\",\"model\":\"gpt-4o\",",
            "time=2025-11-09T10:00:00Z msg=token_usage provider=openai model=\"gpt 4o\" prompt_tokens=1e2147483647",
            "2025-11-09 10:00:00.123 INFO [usage] token_usage {\"model\":\"gpt-4o\",\"input_tokens\":5}");
}
