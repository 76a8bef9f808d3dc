package io.usagebackfill.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.usagebackfill.corpus.CorpusGenerator;
import io.usagebackfill.job.TokenUsageProcessor;
import io.usagebackfill.normalize.EventNormalizer;
import io.usagebackfill.normalize.PriceList;
import io.usagebackfill.normalize.ProviderCatalog;
import io.usagebackfill.normalize.TimeWindow;
import io.usagebackfill.normalize.TokenUsage;
import io.usagebackfill.parse.EventRecognizer;
import io.usagebackfill.parse.RecognizedEvent;
import io.usagebackfill.read.LogLine;
import io.usagebackfill.read.LogLineReader;
import io.usagebackfill.source.SourceDiscovery;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The parser's inner loop, without the database, one stage a benchmark so each cut is measured where it is made:
 * scanning a line that is no event and one that is (split, candidate test, occurrence, the line handed out),
 * recognising an event, normalising it, both, and a whole event line from its bytes to its row as the step's
 * processor does it; and reading and filtering a pino corpus (30% events) per file. Encoding a row for COPY is
 * {@code io.usagebackfill.load.CopyEncodeBenchmark}. Run with {@code bench/parser.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ParserBenchmark {

    private static final String PINO_EVENT = "{\"level\":30,\"time\":1762682400123,\"pid\":7,\"hostname\":\"api-1\","
            + "\"msg\":\"token_usage\",\"user_id\":\"3f0e1b2c-4d5e-4f60-8a7b-9c0d1e2f3a01\",\"session_id\":"
            + "\"9b1c2d3e-4f50-4617-8293-a4b5c6d7e801\",\"provider\":\"openai\",\"model\":\"gpt-4o-mini\","
            + "\"prompt_tokens\":812,\"completion_tokens\":95,\"total_tokens\":907,\"cost_usd\":0.0001788}";

    /** Lines in each of the scan benchmarks' files. */
    private static final int SCAN_LINES = 100_000;

    private final EventRecognizer recognizer = new EventRecognizer();
    private final EventNormalizer normalizer = new EventNormalizer(ProviderCatalog.builtIn());
    private final TokenUsageProcessor processor = new TokenUsageProcessor(recognizer, normalizer, 1 << 20,
            TimeWindow.ALL, PriceList.NONE);
    private final LogLine eventLine = new LogLine("bench.log", 1, PINO_EVENT.getBytes(StandardCharsets.UTF_8), false,
            PINO_EVENT.length());
    private RecognizedEvent recognized;
    private Path corpus;
    private Path noise;
    private Path events;

    @Setup(Level.Trial)
    public void writeCorpus() throws IOException {
        corpus = Files.createTempDirectory("parser-bench");
        noise = Files.createTempDirectory("parser-bench-noise");
        events = Files.createTempDirectory("parser-bench-events");
        new CorpusGenerator(CorpusGenerator.Settings.pino(100_000)).writeTo(corpus);
        new CorpusGenerator(new CorpusGenerator.Settings(SCAN_LINES, 1, 42, 0.0, 0.0, false, false)).writeTo(noise);
        new CorpusGenerator(new CorpusGenerator.Settings(SCAN_LINES, 1, 42, 1.0, 0.0, false, false)).writeTo(events);
        recognized = recognizer.recognize(PINO_EVENT);
    }

    @TearDown(Level.Trial)
    public void deleteCorpus() throws IOException {
        for (Path dir : List.of(corpus, noise, events)) {
            try (var files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(dir);
        }
    }

    /** Per event line: JSON shape detection, field aliases, UUIDs, exact cost, UTC time, the name-based id. */
    @Benchmark
    public TokenUsage recognizeAndNormalizeOneEvent() {
        return normalizer.normalize(recognizer.recognize(PINO_EVENT)).row();
    }

    /** Recognising alone: the line's shape, the event found in it, its members read into a tree. */
    @Benchmark
    public RecognizedEvent recognizeOneEvent() {
        return recognizer.recognize(PINO_EVENT);
    }

    /** Normalising alone: the catalog's lookups, counts by rule, UUIDs, cost, time, the name-based id. */
    @Benchmark
    public TokenUsage normalizeOneEvent() {
        return normalizer.normalize(recognized).row();
    }

    /** An event line from its bytes to its row, as the step's processor takes it (text, UTF-8 check, counts). */
    @Benchmark
    public TokenUsage processOneEventLine() {
        return processor.process(eventLine);
    }

    /** Per line of a file of lines that are no event (pino request logs): what a noise line costs the reader. */
    @Benchmark
    @OperationsPerInvocation(SCAN_LINES)
    public void scanANoiseLine(Blackhole sink) throws IOException {
        readAll(noise, sink);
    }

    /** Per line of a file of event lines: split, candidate test, occurrence, the line's bytes handed out. */
    @Benchmark
    @OperationsPerInvocation(SCAN_LINES)
    public void scanAnEventLine(Blackhole sink) throws IOException {
        readAll(events, sink);
    }

    /** A 100k-line file (30% events): splitting into lines and keeping only the candidates, per file. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public void readAndFilterAFile(Blackhole sink) throws IOException {
        readAll(corpus, sink);
    }

    private static void readAll(Path dir, Blackhole sink) throws IOException {
        try (LogLineReader reader = new LogLineReader(new SourceDiscovery().discover(List.of(dir.toString())),
                1 << 20, false)) {
            for (LogLine line = reader.read(); line != null; line = reader.read()) {
                sink.consume(line);
            }
        }
    }
}
