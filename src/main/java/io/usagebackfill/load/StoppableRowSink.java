package io.usagebackfill.load;

import java.util.function.BooleanSupplier;

import io.usagebackfill.load.TokenUsageWriter.LoadTally;
import io.usagebackfill.normalize.TokenUsage;
import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.infrastructure.item.Chunk;

/**
 * A sink that refuses the next chunk once a stop was asked for: the chunk's transaction rolls back with its
 * checkpoint, and Spring Batch records the step as STOPPED ({@link JobInterruptedException}), so a restart resumes
 * after the last committed chunk. Not thread-safe, like the sink it wraps.
 */
public final class StoppableRowSink implements RowSink {

    private final RowSink sink;
    private final BooleanSupplier stopRequested;

    public StoppableRowSink(RowSink sink, BooleanSupplier stopRequested) {
        this.sink = sink;
        this.stopRequested = stopRequested;
    }

    @Override
    public void write(Chunk<? extends TokenUsage> chunk) throws Exception {
        if (stopRequested.getAsBoolean()) {
            throw new JobInterruptedException("the run was asked to stop; the chunk in flight was rolled back");
        }
        sink.write(chunk);
    }

    @Override
    public LoadTally tally() {
        return sink.tally();
    }

    @Override
    public void restore(LoadTally saved) {
        sink.restore(saved);
    }

    @Override
    public void close() throws Exception {
        sink.close();
    }
}
