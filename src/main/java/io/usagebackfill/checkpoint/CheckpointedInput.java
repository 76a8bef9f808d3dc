package io.usagebackfill.checkpoint;

import java.io.IOException;
import java.util.List;

import io.usagebackfill.normalize.ProcessCounts;
import io.usagebackfill.read.ReadPosition;

/**
 * The read-and-parse side of a load step as its checkpoint sees it: where the read stands and what the parse has
 * counted as of the last line the step took, and how to put both back on a restart. Called on the step's thread.
 */
public interface CheckpointedInput extends AutoCloseable {

    /** Continues after a saved checkpoint instead of the start; called before the first read. */
    void resume(ReadPosition read, ProcessCounts counts, List<ReadPosition.LeftOut> leftOut);

    ReadPosition position();

    ProcessCounts counts();

    List<ReadPosition.LeftOut> leftOut();

    @Override
    void close() throws IOException;
}
