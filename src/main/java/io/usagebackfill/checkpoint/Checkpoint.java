package io.usagebackfill.checkpoint;

import java.util.ArrayList;
import java.util.List;

import io.usagebackfill.load.TokenUsageWriter.LoadTally;
import io.usagebackfill.normalize.ProcessCounts;
import io.usagebackfill.read.ReadPosition;
import io.usagebackfill.reject.RejectsPosition;

/**
 * Everything a run needs to resume exactly after its last committed chunk: where the reader stands, how far the
 * rejects files are written, and the counts so far. Saved in the chunk's own transaction, so it can never get ahead
 * of (or fall behind) the rows.
 */
public record Checkpoint(ReadPosition read, ProcessCounts process, RejectsPosition rejects, LoadTally load,
        List<ReadPosition.LeftOut> leftOut) {

    public static Checkpoint start() {
        return new Checkpoint(ReadPosition.start(), ProcessCounts.empty(), RejectsPosition.empty(),
                LoadTally.empty(), List.of());
    }

    /** The events the window left out, per file (none in a checkpoint saved before this was kept). */
    public List<ReadPosition.LeftOut> leftOutLines() {
        return leftOut == null ? List.of() : leftOut;
    }

    /**
     * The partitions' checkpoints of one run added up, for its report: counts, totals and notices; the read
     * positions themselves stay with their partitions.
     */
    public static Checkpoint sum(List<Checkpoint> partitions) {
        if (partitions.size() == 1) {
            return partitions.get(0);
        }
        long lines = 0;
        long noise = 0;
        List<String> notices = new ArrayList<>();
        List<ReadPosition.LeftOut> left = new ArrayList<>();
        ProcessCounts process = ProcessCounts.empty();
        RejectsPosition rejects = RejectsPosition.empty();
        LoadTally load = LoadTally.empty();
        for (Checkpoint partition : partitions) {
            lines += partition.read.linesRead();
            noise += partition.read.noiseLines();
            notices.addAll(partition.read.notices());
            left.addAll(partition.leftOutLines());
            process = process.plus(partition.process);
            rejects = rejects.plus(partition.rejects);
            load = load.plus(partition.load);
        }
        return new Checkpoint(new ReadPosition(0, null, 0, 0, lines, noise, notices, List.of()), process, rejects,
                load, left);
    }
}
