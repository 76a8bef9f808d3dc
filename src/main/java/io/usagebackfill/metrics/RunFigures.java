package io.usagebackfill.metrics;

import java.time.Duration;
import java.util.Map;

import io.usagebackfill.checkpoint.Checkpoint;
import io.usagebackfill.report.RunReport;

/**
 * The counts a push carries: at the end those of the run's report, while it runs those of its committed chunks (the
 * chunk in flight is not counted, as in a report of a run that did not complete). Immutable.
 *
 * @param readBytes at the end the size on disk of the files read (the report's {@code fileBytes}); while running,
 *     how much of them the committed chunks have read
 * @param repeated events met earlier in the same run (the report's {@code duplicatesInInput})
 * @param rejectedByReason rejected lines by kind of reason, the report's {@code rejectReasons}
 */
public record RunFigures(long files, long readBytes, long readLines, long events, long inserted, long alreadyInTable,
        long repeated, long rejected, Map<String, Long> rejectedByReason, long outsideWindow, long ignored,
        Duration duration) {

    public static RunFigures of(RunReport report) {
        return new RunFigures(report.files(), report.fileBytes(), report.linesRead(), report.events(),
                report.inserted(), report.alreadyInTable(), report.duplicatesInInput(), report.rejected(),
                report.rejectReasons(), report.outsideWindow(), report.ignored(),
                Duration.ofMillis(report.durationMs()));
    }

    /**
     * @param committed the run's partitions' checkpoints added up
     * @param readBytes how much of its files the committed chunks have read
     */
    public static RunFigures committed(Checkpoint committed, int files, long readBytes, Duration elapsed) {
        var load = committed.load();
        return new RunFigures(files, readBytes, committed.read().linesRead(), committed.process().events(),
                load.inserted(), load.alreadyInTable(), load.repeated(), committed.rejects().count(),
                committed.rejects().byReason(), committed.process().outsideWindow(), committed.process().ignored(),
                elapsed);
    }
}
