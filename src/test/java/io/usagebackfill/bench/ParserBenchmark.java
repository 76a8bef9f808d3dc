package io.usagebackfill.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.usagebackfill.corpus.CorpusGenerator;
import io.usagebackfill.normalize.EventNormalizer;
import io.usagebackfill.normalize.ProviderCatalog;
import io.usagebackfill.normalize.TokenUsage;
import io.usagebackfill.parse.EventRecognizer;
import io.usagebackfill.read.LogLine;
import io.usagebackfill.read.LogLineReader;
import io.usagebackfill.source.SourceDiscovery;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The parser's inner loop, without the database: reading and filtering lines of a pino corpus (bytes, candidate
 * test), and recognising plus normalising one event line. Run with {@code bench/parser.sh}.
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

    private final EventRecognizer recognizer = new EventRecognizer();
    private final EventNormalizer normalizer = new EventNormalizer(ProviderCatalog.builtIn());
    private Path corpus;

    @Setup(Level.Trial)
    public void writeCorpus() throws IOException {
        corpus = Files.createTempDirectory("parser-bench");
        new CorpusGenerator(CorpusGenerator.Settings.pino(100_000)).writeTo(corpus);
    }

    @TearDown(Level.Trial)
    public void deleteCorpus() throws IOException {
        try (var files = Files.list(corpus)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(corpus);
    }

    /** Per event line: JSON shape detection, field aliases, UUIDs, exact cost, UTC time, the name-based id. */
    @Benchmark
    public TokenUsage recognizeAndNormalizeOneEvent() {
        return normalizer.normalize(recognizer.recognize(PINO_EVENT)).row();
    }

    /** A 100k-line file (30% events): splitting into lines and keeping only the candidates, per file. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public void readAndFilterAFile(Blackhole sink) throws IOException {
        try (LogLineReader reader = new LogLineReader(new SourceDiscovery().discover(List.of(corpus.toString())),
                1 << 20, false)) {
            for (LogLine line = reader.read(); line != null; line = reader.read()) {
                sink.consume(line);
            }
        }
    }
}
