package io.usagebackfill.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import io.usagebackfill.normalize.EventNormalizer;
import io.usagebackfill.normalize.PriceList;
import io.usagebackfill.normalize.ProviderCatalog;
import io.usagebackfill.catalog.RejectedLineException;
import io.usagebackfill.normalize.TimeWindow;
import io.usagebackfill.normalize.TokenUsage;
import io.usagebackfill.job.TokenUsageProcessor;
import io.usagebackfill.parse.EventRecognizer;
import io.usagebackfill.read.DamagedFileException;
import io.usagebackfill.read.LogLine;
import io.usagebackfill.read.LogLineReader;
import io.usagebackfill.source.SourceDiscovery;
import io.usagebackfill.support.TokenEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read-ahead hands the step the same lines, positions and counts as a read and parse in series would have at
 * the same point, so the checkpoint it saves is the one a serial step would save; it fails where the read fails,
 * and stops its thread on close.
 */
class ReadAheadTest {

    private static final int MAX_LINE = 1 << 16;

    @TempDir
    Path dir;

    @Test
    void afterEveryLineThePositionAndCountsAreThoseOfASerialReadStoppedThere() throws Exception {
        Path[] logs = {write("a.log", 0, 3_000), write("b.log", 3_000, 3_500), write("c.log", 3_500, 7_000)};
        LogLineReader serialReader = reader(false, logs);
        TokenUsageProcessor serialProcessor = processor();

        try (ReadAhead ahead = new ReadAhead(reader(false, logs), processor(), 300, "test-parse", false)) {
            ReadAhead.Prepared prepared;
            while ((prepared = ahead.read()) != null) {
                LogLine line = serialReader.read();
                assertThat(outcome(prepared)).isEqualTo(outcome(serialProcessor, line));
                assertThat(ahead.position()).isEqualTo(serialReader.position());
                assertThat(ahead.counts()).isEqualTo(serialProcessor.counts());
            }
            assertThat(serialReader.read()).as("the serial read ends there too").isNull();
            assertThat(ahead.position()).as("with every file's end, as the ledger records them")
                    .isEqualTo(serialReader.position());
            assertThat(ahead.position().finished()).hasSize(3);
            assertThat(ahead.counts()).isEqualTo(serialProcessor.counts());
            assertThat(ahead.read()).as("the end stays the end").isNull();
        }
    }

    @Test
    void aResumeFromAnyLineReadsTheRestExactlyOnce() throws Exception {
        Path[] logs = {write("a.log", 0, 1_000), write("b.log", 1_000, 2_000)};
        List<String> whole;
        try (ReadAhead all = new ReadAhead(reader(false, logs), processor(), 100, "test-parse", false)) {
            whole = outcomes(all, -1);
        }

        for (int stop : new int[] {1, 255, 256, 999, 1_000, 1_700}) {
            ReadAhead first = new ReadAhead(reader(false, logs), processor(), 100, "test-parse", false);
            List<String> before = outcomes(first, stop);
            first.close();
            ReadAhead rest = new ReadAhead(reader(false, logs), processor(), 100, "test-parse", false);
            rest.resume(first.position(), first.counts(), first.leftOut());
            List<String> after = outcomes(rest, -1);
            rest.close();

            List<String> joined = new ArrayList<>(before);
            joined.addAll(after);
            assertThat(joined).as("stopped after " + stop + " lines").isEqualTo(whole);
            assertThat(rest.counts()).isEqualTo(processorAfterAll(logs).counts());
        }
    }

    @Test
    void aDamagedFileFailsTheStepAfterTheLinesBeforeItAndOnEveryReadAfter() throws Exception {
        Path gz = dir.resolve("cut.log.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            for (int i = 0; i < 20_000; i++) {
                out.write((TokenEvents.pino(i) + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        byte[] bytes = Files.readAllBytes(gz);
        Files.write(gz, Arrays.copyOf(bytes, bytes.length / 2));
        LogLineReader serial = reader(true, gz);
        int[] serialLines = {0};
        assertThatThrownBy(() -> {
            while (serial.read() != null) {
                serialLines[0]++;
            }
        }).isInstanceOf(DamagedFileException.class);

        try (ReadAhead ahead = new ReadAhead(reader(true, gz), processor(), 1_000, "test-parse", false)) {
            int[] lines = {0};
            assertThatThrownBy(() -> {
                while (ahead.read() != null) {
                    lines[0]++;
                }
            }).isInstanceOf(DamagedFileException.class);
            assertThat(lines[0]).isEqualTo(serialLines[0]).isPositive();
            assertThatThrownBy(ahead::read).as("and again on the next read").isInstanceOf(DamagedFileException.class);
        }
    }

    @Test
    void closeStopsTheParseThreadEvenWhenItWaitsForTheStep() throws Exception {
        Path log = write("big.log", 0, 20_000);
        ReadAhead ahead = new ReadAhead(reader(false, log), processor(), 300, "test-parse-close", false);
        assertThat(ahead.read()).isNotNull();
        Thread.sleep(100);

        ahead.close();

        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("test-parse-close"));
    }

    /** Events from..to, with a rejected event every 97 lines and a line that only mentions the event every 31. */
    private Path write(String name, int from, int to) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = from; i < to; i++) {
            lines.add(TokenEvents.pino(i));
            if (i % 97 == 0) {
                lines.add(TokenEvents.pino(i).replace("\"completion_tokens\":", "\"completion_tokens\":-"));
            }
            if (i % 31 == 0) {
                lines.add("{\"msg\":\"token_usage table is missing\",\"n\":" + i + "}");
            }
            lines.add("{\"msg\":\"request completed\",\"n\":" + i + "}");
        }
        Path path = dir.resolve(name);
        Files.write(path, lines);
        return path;
    }

    private static LogLineReader reader(boolean strict, Path... files) {
        return new LogLineReader(new SourceDiscovery().discover(Arrays.stream(files).map(Path::toString).toList()),
                MAX_LINE, strict);
    }

    private static TokenUsageProcessor processor() {
        return new TokenUsageProcessor(new EventRecognizer(), new EventNormalizer(ProviderCatalog.builtIn()), MAX_LINE,
                TimeWindow.ALL, PriceList.NONE);
    }

    private static TokenUsageProcessor processorAfterAll(Path... logs) throws Exception {
        LogLineReader reader = reader(false, logs);
        TokenUsageProcessor processor = processor();
        for (LogLine line = reader.read(); line != null; line = reader.read()) {
            outcome(processor, line);
        }
        return processor;
    }

    /** Up to {@code stop} outcomes (all when negative). */
    private static List<String> outcomes(ReadAhead ahead, int stop) throws Exception {
        List<String> outcomes = new ArrayList<>();
        ReadAhead.Prepared prepared;
        while (outcomes.size() != stop && (prepared = ahead.read()) != null) {
            outcomes.add(outcome(prepared));
        }
        return outcomes;
    }

    private static String outcome(ReadAhead.Prepared prepared) {
        if (prepared.rejected() != null) {
            return "rejected " + prepared.line().where() + ": " + prepared.rejected().reason();
        }
        return String.valueOf(prepared.row());
    }

    private static String outcome(TokenUsageProcessor processor, LogLine line) {
        try {
            TokenUsage row = processor.process(line);
            return String.valueOf(row);
        } catch (RejectedLineException e) {
            return "rejected " + line.where() + ": " + e.reason();
        }
    }
}
