package io.usagebackfill.job;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.usagebackfill.checkpoint.Checkpoint;
import io.usagebackfill.read.ReadPosition;
import io.usagebackfill.source.FileLedger;
import io.usagebackfill.source.Fingerprints;
import io.usagebackfill.source.SourceDiscovery;
import io.usagebackfill.source.SourceFile;

/**
 * After an incremental run, what it accounted for of each file goes into the ledger: where the read of the file's
 * last range ended, or, where the window left an event out, where that event starts (in whichever partition it
 * was); a file found under a rotated name is recorded under that name. Stateless.
 */
final class LedgerRecording {

    private LedgerRecording() {
    }

    static void record(FileLedger ledger, List<List<SourceFile>> parts, List<Checkpoint> checkpoints,
            List<SourceFile> unchanged, long jobExecutionId) throws IOException {
        Map<String, ReadPosition.LeftOut> leftOut = new HashMap<>();
        for (Checkpoint checkpoint : checkpoints) {
            for (ReadPosition.LeftOut left : checkpoint.leftOutLines()) {
                leftOut.merge(left.path(), left, (a, b) -> a.offset() <= b.offset() ? a : b);
            }
        }
        for (int p = 0; p < parts.size() && p < checkpoints.size(); p++) {
            List<SourceFile> read = parts.get(p);
            for (ReadPosition.FileEnd end : checkpoints.get(p).read().finished()) {
                // A file read in ranges ends where its last range ends.
                if (read.get(end.fileIndex()).readsToEnd()) {
                    recordEnd(ledger, read.get(end.fileIndex()), end, leftOut, jobExecutionId);
                }
            }
        }
        for (SourceFile skipped : unchanged) {
            ledger.record(skipped, skipped.startOffset(), skipped.startLine(), skipped.startCheck(), true,
                    jobExecutionId);
        }
    }

    private static void recordEnd(FileLedger ledger, SourceFile planned, ReadPosition.FileEnd end,
            Map<String, ReadPosition.LeftOut> leftOut, long jobExecutionId) throws IOException {
        SourceFile file = end.path() == null ? planned : SourceDiscovery.describe(Path.of(end.path()));
        ReadPosition.LeftOut left = leftOut.get(file.path());
        if (left != null && left.offset() < end.offset()) {
            String tail = left.offset() == 0 ? null
                    : Fingerprints.hashBefore(Path.of(file.path()), file.gzip(), left.offset());
            ledger.record(file, left.offset(), left.linesBefore(), tail, false, jobExecutionId);
            return;
        }
        ledger.record(file, end.offset(), end.lines(), end.tail(), end.atEnd(), jobExecutionId);
    }
}
