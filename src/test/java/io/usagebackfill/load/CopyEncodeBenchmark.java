package io.usagebackfill.load;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.usagebackfill.normalize.TokenUsage;
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

/**
 * The last stage of the parser's benchmarks ({@code io.usagebackfill.bench.ParserBenchmark} has the others): one row
 * encoded in COPY's binary format, into a stream that drops what it is given (the socket's cost is the server's
 * side). Run with {@code bench/parser.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CopyEncodeBenchmark {

    private final TokenUsage row = new TokenUsage(UUID.fromString("5f0c8c67-4a1f-5b0e-9c11-3d7c2a1e9b42"),
            UUID.fromString("3f0e1b2c-4d5e-4f60-8a7b-9c0d1e2f3a01"), UUID.fromString("9b1c2d3e-4f50-4617-8293-a4b5c6d7e801"),
            "openai", "gpt-4o-mini", 812, 95, 907, 179, Instant.parse("2025-11-09T10:00:00.123Z"));
    private BinaryCopyRows copy;

    @Setup(Level.Iteration)
    public void open() {
        copy = new BinaryCopyRows(OutputStream.nullOutputStream(), new BinaryCopyRows.Layout(4, 4, 4, 4));
    }

    @TearDown(Level.Iteration)
    public void close() throws IOException {
        copy.close();
    }

    /** One row into COPY's binary buffer (ids, names, counts, cost, time), the buffer written out when full. */
    @Benchmark
    public void encodeOneRowForCopy() throws IOException {
        copy.row(row);
    }
}
