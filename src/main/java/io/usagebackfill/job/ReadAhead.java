package io.usagebackfill.job;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import io.usagebackfill.checkpoint.CheckpointedInput;
import io.usagebackfill.catalog.RejectedLineException;
import io.usagebackfill.normalize.TokenUsage;
import io.usagebackfill.job.TokenUsageProcessor;
import io.usagebackfill.normalize.ProcessCounts;
import io.usagebackfill.read.LogLine;
import io.usagebackfill.read.LogLineReader;
import io.usagebackfill.read.ReadPosition;
import io.usagebackfill.reject.RejectedLineListener;
import org.springframework.batch.core.listener.SkipListener;
import org.springframework.batch.infrastructure.item.ItemProcessor;
import org.springframework.batch.infrastructure.item.ItemReader;

/**
 * The load step's reader: a thread of its own reads the partition's lines and recognises and normalises each one
 * ahead of the step, so the next chunk is parsed while the current one streams into the database and commits.
 *
 * <p>Each {@link Prepared} line carries the read position and the parse counts just after it, and the checkpoint
 * saves those of the last line the step took, never what was read ahead: a chunk's checkpoint is exactly what it
 * was when the step read and parsed in series, so a restart resumes after the last committed chunk. At most
 * {@code ahead} lines wait (rows, not their text; a rejected line keeps its bytes for the rejects file), so memory
 * stays bounded. A failure of the read (a damaged or cut file) reaches the step after the lines before it, and again
 * on every later read. The reader and processor belong to the read-ahead thread once the step has read; every
 * public method is for the step's thread.
 */
final class ReadAhead implements ItemReader<ReadAhead.Prepared>, CheckpointedInput {

    /** Lines handed over at once, so the queue's locking is paid per batch, not per line. */
    private static final int BATCH = 256;
    private static final Object END = new Object();

    /**
     * One candidate line, parsed: a row, nothing (a line that only mentions {@code token_usage}, or an event left
     * out by the window), or the reason it is rejected with the line itself. A row keeps its line only where the
     * database may still refuse it as the line's reject (a table with row-level security).
     */
    record Prepared(TokenUsage row, RejectedLineException rejected, LogLine line) {
    }

    /**
     * Lines handed over at once, and where the read and parse stood after each. The positions stay with the batch,
     * not with the lines, which the step's chunk holds until it commits: the chunk then holds rows, not positions
     * (a third of what each line took, and of what every young collection copied).
     */
    private record Batch(List<Prepared> lines, List<After> afters) {
    }

    /** Where the read and the parse stand just after a line. */
    record After(ReadPosition read, ProcessCounts counts, List<ReadPosition.LeftOut> leftOut) {
    }

    private record Failure(Throwable cause) {
    }

    private final LogLineReader reader;
    private final TokenUsageProcessor processor;
    private final BlockingQueue<Object> queue;
    private final String threadName;
    private final boolean keepLines;
    private Thread producer;
    private volatile boolean closing;
    private Batch batch = new Batch(List.of(), List.of());
    private int next;
    private After last;
    private Failure failure;
    private boolean ended;

    /**
     * @param ahead how many parsed lines may wait for the step (two chunks keep the database busy)
     * @param keepLines whether each row keeps its line, for the database to refuse it as a reject
     */
    ReadAhead(LogLineReader reader, TokenUsageProcessor processor, int ahead, String threadName, boolean keepLines) {
        this.reader = reader;
        this.processor = processor;
        this.queue = new ArrayBlockingQueue<>(Math.max(2, ahead / BATCH + 1));
        this.threadName = threadName;
        this.keepLines = keepLines;
        this.last = now();
    }

    /**
     * The step's processor: the row, null for a line that yields none, or the line's rejection to skip; a row's line,
     * where it is kept, goes to {@code refusals} (null: nowhere).
     */
    static ItemProcessor<Prepared, TokenUsage> processor(PolicyRefusals refusals) {
        return prepared -> {
            if (prepared.rejected() != null) {
                throw prepared.rejected();
            }
            if (refusals != null && prepared.row() != null && prepared.line() != null) {
                refusals.keep(prepared.row(), prepared.line());
            }
            return prepared.row();
        };
    }

    /** The step's skip listener: each rejected line, with its reason, to the rejects file and table. */
    static SkipListener<Prepared, TokenUsage> rejectsTo(RejectedLineListener rejects) {
        return new SkipListener<>() {
            @Override
            public void onSkipInProcess(Prepared item, Throwable t) {
                rejects.onSkipInProcess(item.line(), t);
            }
        };
    }

    @Override
    public void resume(ReadPosition read, ProcessCounts counts, List<ReadPosition.LeftOut> leftOut) {
        reader.resumeAt(read);
        processor.restore(counts, leftOut);
        last = now();
    }

    @Override
    public Prepared read() throws Exception {
        if (failure != null) {
            throw rethrow(failure.cause());
        }
        if (ended) {
            return null;
        }
        if (next == batch.lines().size()) {
            if (producer == null) {
                start();
            }
            if (!take()) {
                return null;
            }
        }
        Prepared prepared = batch.lines().get(next);
        last = batch.afters().get(next++);
        return prepared;
    }

    private boolean take() throws Exception {
        Object taken = queue.take();
        if (taken instanceof Failure f) {
            failure = f;
            throw rethrow(f.cause());
        }
        if (taken instanceof After end) {
            last = end;
            ended = true;
            return false;
        }
        batch = (Batch) taken;
        next = 0;
        return true;
    }

    private static Exception rethrow(Throwable cause) {
        if (cause instanceof Error error) {
            throw error;
        }
        return (Exception) cause;
    }

    private void start() {
        producer = new Thread(this::produce, threadName);
        producer.setDaemon(true);
        producer.start();
    }

    /** The read-ahead thread: reads and parses every line, in order, into the queue; then where the read ended. */
    private void produce() {
        Batch ready = new Batch(new ArrayList<>(BATCH), new ArrayList<>(BATCH));
        try {
            LogLine line;
            while (!closing && (line = reader.read()) != null) {
                ready.lines().add(prepare(line));
                ready.afters().add(now());
                if (ready.lines().size() == BATCH) {
                    queue.put(ready);
                    ready = new Batch(new ArrayList<>(BATCH), new ArrayList<>(BATCH));
                }
            }
            if (!ready.lines().isEmpty()) {
                queue.put(ready);
            }
            queue.put(now());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            handOver(ready, e);
        }
    }

    private void handOver(Batch ready, Throwable e) {
        try {
            if (!ready.lines().isEmpty()) {
                queue.put(ready);
            }
            queue.put(new Failure(e));
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        }
    }

    private Prepared prepare(LogLine line) {
        try {
            TokenUsage row = processor.process(line);
            return new Prepared(row, null, keepLines && row != null ? line : null);
        } catch (RejectedLineException e) {
            return new Prepared(null, e, line);
        }
    }

    private After now() {
        return new After(reader.position(), processor.counts(), processor.leftOut());
    }

    @Override
    public ReadPosition position() {
        return last.read();
    }

    @Override
    public ProcessCounts counts() {
        return last.counts();
    }

    @Override
    public List<ReadPosition.LeftOut> leftOut() {
        return last.leftOut();
    }

    /** Stops the read-ahead thread, then closes the files. */
    @Override
    public void close() throws IOException {
        closing = true;
        if (producer != null) {
            producer.interrupt();
            try {
                producer.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        reader.close();
    }
}
