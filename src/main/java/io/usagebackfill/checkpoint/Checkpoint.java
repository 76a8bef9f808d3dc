package io.usagebackfill.checkpoint;

import io.usagebackfill.load.TokenUsageWriter.LoadTally;
import io.usagebackfill.normalize.TokenUsageProcessor.ProcessCounts;
import io.usagebackfill.read.ReadPosition;
import io.usagebackfill.reject.RejectsPosition;

/**
 * Everything a run needs to resume exactly after its last committed chunk: where the reader stands, how far the
 * rejects files are written, and the counts so far. Saved in the chunk's own transaction, so it can never get ahead
 * of (or fall behind) the rows.
 */
public record Checkpoint(ReadPosition read, ProcessCounts process, RejectsPosition rejects, LoadTally load) {

    public static Checkpoint start() {
        return new Checkpoint(ReadPosition.start(), ProcessCounts.empty(), RejectsPosition.empty(),
                LoadTally.empty());
    }
}
