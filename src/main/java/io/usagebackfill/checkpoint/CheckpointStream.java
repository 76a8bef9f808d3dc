package io.usagebackfill.checkpoint;

import io.usagebackfill.load.RowSink;
import io.usagebackfill.reject.RejectsFile;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStream;
import org.springframework.batch.infrastructure.item.ItemStreamException;

/**
 * A load step's (or partition's) one {@link ItemStream}: on open it puts the input (read and parse), rejects file
 * and writer back where the last committed chunk left them; on every chunk's update (inside the chunk's
 * transaction) it saves them together. The checkpoint lives in our own table rather than Spring Batch's execution context because the
 * framework may persist that context outside the chunk's transaction when a commit fails, which could skip a
 * rolled-back chunk. Not thread-safe.
 */
public final class CheckpointStream implements ItemStream {

    private final long jobInstanceId;
    private final int partition;
    private final CheckpointStore store;
    private final CheckpointedInput input;
    private final RejectsFile rejects;
    private final RowSink sink;

    public CheckpointStream(long jobInstanceId, int partition, CheckpointStore store, CheckpointedInput input,
            RejectsFile rejects, RowSink sink) {
        this.jobInstanceId = jobInstanceId;
        this.partition = partition;
        this.store = store;
        this.input = input;
        this.rejects = rejects;
        this.sink = sink;
    }

    @Override
    public void open(ExecutionContext executionContext) {
        store.load(jobInstanceId, partition).ifPresent(saved -> {
            input.resume(saved.read(), saved.process(), saved.leftOutLines());
            rejects.restore(saved.rejects());
            sink.restore(saved.load());
        });
    }

    @Override
    public void update(ExecutionContext executionContext) {
        store.save(jobInstanceId, partition, current());
    }

    /** Flushes the rejects file and returns the state as it stands. */
    public Checkpoint current() {
        return new Checkpoint(input.position(), input.counts(), rejects.flush(), sink.tally(), input.leftOut());
    }

    @Override
    public void close() {
        try {
            input.close();
            rejects.close();
            sink.close();
        } catch (Exception e) {
            throw new ItemStreamException("cannot close the run's files: " + e.getMessage(), e);
        }
    }
}
