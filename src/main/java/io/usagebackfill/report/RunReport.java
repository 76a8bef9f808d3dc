package io.usagebackfill.report;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import io.usagebackfill.checkpoint.Checkpoint;
import io.usagebackfill.load.ChunkLoad;
import io.usagebackfill.load.DaySpan;
import io.usagebackfill.load.ModelTotals;
import io.usagebackfill.load.TargetNotes;
import io.usagebackfill.load.TokenUsageWriter;
import io.usagebackfill.normalize.TimeWindow;
import io.usagebackfill.reject.RejectExample;

/**
 * The result of a run as the summary and {@code --report-json} show it. Counts cover the whole run, across its
 * restarts; {@code durationMs} is this execution's. The model figures are the guide's section 7 queries over the
 * rows this run inserted.
 *
 * @param events lines that are {@code token_usage} events:
 *     {@code inserted + duplicates + rejected + outsideWindow}
 * @param outsideWindow valid events left out by {@code --since}/{@code --until}
 * @param window the window loaded, or null when every event is
 * @param firstCreatedAt earliest {@code created_at} of the run's events the table holds (inserted by it or there
 *     before it); with {@code lastCreatedAt} and {@code perDay} (those rows per UTC day) it shows the span covered
 *     and any gap in the logs, also on a re-run; {@code perDayInserted} counts only the rows the run inserted
 * @param ignored lines that mention {@code token_usage} but where no field names it as the event (an SQL error about
 *     the table, a stack trace): not events, not rejected; {@code ignoredExample} is the first of them. A line that
 *     names the event is an event, loaded or rejected
 * @param zonelessTimes events whose time was logged without a zone and read in {@code logTimezone}
 * @param logTimezone the zone of times logged without one ({@code --log-timezone}, UTC by default)
 * @param dryRun whether this was {@code --dry-run}: then {@code inserted} is what would be inserted and
 *     {@code duplicates} what is already in the table, and nothing was written to it
 * @param fileBytes the size on disk of the files read
 * @param unchangedFiles files an incremental run skipped, unchanged since an earlier run read them
 * @param noiseLines lines that do not mention {@code token_usage}:
 *     {@code linesRead = events + ignored + noiseLines} (a line holding several OpenTelemetry
 *     records counts once, each record an event)
 * @param database where the rows went: {@code host:port/database (user ...)}, the embedded database's directory, or
 *     null for {@code --csv-out}; never the password
 * @param duplicates valid events not inserted because their row exists: {@code duplicatesInInput + alreadyInTable}
 * @param duplicatesInInput events met earlier in the same run (a rotated copy, a line logged twice)
 * @param alreadyInTable events whose row was in the table before the run (an earlier run loaded them)
 * @param rejectReasons rejected lines by kind of reason; {@code rejectExamples} holds the first of each kind
 * @param table how the rows went into the table and what its partitions took, or null without a table
 */
public record RunReport(String status, boolean dryRun, String database, long executionId, long runId,
        List<String> paths, int files,
        long fileBytes, int unchangedFiles, long linesRead, long noiseLines,
        long events, long inserted, long duplicates, long duplicatesInInput, long alreadyInTable, long rejected,
        long outsideWindow, String window, long ignored,
        String ignoredExample, long zonelessTimes, String logTimezone, long nulledUserIds,
        long nulledSessionIds, long inferredProviders, long estimatedCosts, long durationMs, BigDecimal totalCostUsd,
        List<ModelRow> models, Instant firstCreatedAt, Instant lastCreatedAt, Map<String, Long> perDay,
        Map<String, Long> perDayInserted, Reconciliation reconciliation, Map<String, Long> rejectReasons,
        Map<String, RejectExample> rejectExamples, String rejectsFile, List<String> notices,
        Reached reached, String error, Table table) {

    /**
     * The table as the run found it: how the rows went in and why, and what its partitions took.
     *
     * @param loadPath how the rows went into the table, and why (row-level security sends them through a staging
     *     table and an INSERT the policies check)
     * @param partitioning the partition key ({@code RANGE (created_at)}), or null for a table not partitioned
     * @param missingPartitions the partitions the events need that the table lacks (a dry run; a real run stops
     *     on them before writing), each with the events it would take and the statement that makes it
     * @param createdPartitions the partitions the run made before loading ({@code --create-partitions})
     * @param defaultPartition the table's DEFAULT partition, or null
     * @param rowsInDefaultPartition of the rows the run inserted, those that landed in the DEFAULT partition (no
     *     other partition fits them); {@code inDefaultPartitionByMonth} counts them by UTC month
     */
    public record Table(String loadPath, boolean rowLevelSecurity, String partitioning,
            List<TargetNotes.Partition> missingPartitions, List<TargetNotes.Partition> createdPartitions,
            String defaultPartition, long rowsInDefaultPartition, Map<String, Long> inDefaultPartitionByMonth) {

        static Table of(TargetNotes notes, Map<String, Long> inDefault) {
            return notes == null ? null : new Table(notes.loadPath(), notes.rowLevelSecurity(), notes.partitioning(),
                    notes.missingPartitions(), notes.createdPartitions(), notes.defaultPartition(),
                    inDefault.values().stream().mapToLong(Long::longValue).sum(), inDefault);
        }
    }

    /**
     * How far a run that did not complete had read when it ended, past its committed chunks (which the counts
     * cover): what its progress showed last.
     */
    public record Reached(long linesRead, long bytesRead, long bytesInAll) {
    }

    /**
     * Tokens and cost of the valid events read against what the database holds for them (the rows inserted plus
     * the rows that were already there, read back from the table); they must match, row by row.
     *
     * @param missingRows events whose insert left no row (a trigger or rule dropped it)
     * @param changedRows events whose row holds other tokens or cost than were read
     * @param differences a few of those events, each with what was read and what the table holds
     */
    public record Reconciliation(long readPromptTokens, long readCompletionTokens, long readTokens,
            BigDecimal readCostUsd, long loadedPromptTokens, long loadedCompletionTokens, long loadedTokens,
            BigDecimal loadedCostUsd, boolean matches, long missingRows, long changedRows, List<String> differences) {
    }

    /** One model's calls, tokens and cost among the inserted rows. */
    public record ModelRow(String model, long calls, long tokens, BigDecimal costUsd) {
    }

    public static RunReport of(String status, boolean dryRun, String database, long executionId, long runId,
            List<String> paths, int files,
            long fileBytes, int unchangedFiles, Checkpoint checkpoint,
            TimeWindow window, Duration duration, String rejectsFile, String error, String logTimezone,
            Reached reached, TargetNotes notes) {
        var read = checkpoint.read();
        var process = checkpoint.process();
        var load = checkpoint.load();
        List<ModelRow> models = load.perModel().entrySet().stream()
                .map(e -> new ModelRow(e.getKey(), e.getValue().calls(), e.getValue().tokens(),
                        usd(e.getValue().costMicros())))
                .sorted(Comparator.comparingLong(ModelRow::calls).reversed().thenComparing(ModelRow::model))
                .toList();
        long totalMicros = load.perModel().values().stream().mapToLong(ModelTotals::costMicros).sum();
        // The days of the run's events the table holds, whether this run inserted them or found them there.
        DaySpan inserted = new DaySpan(load.perDay() == null ? Map.of() : load.perDay(), load.first(), load.last());
        DaySpan inTable = inserted.plus(load.daysThere());
        return new RunReport(status, dryRun, database, executionId, runId, paths, files, fileBytes, unchangedFiles,
                read.linesRead(), read.noiseLines(), process.events(), load.inserted(), load.duplicates(),
                load.repeated(), load.alreadyInTable(), checkpoint.rejects().count(),
                process.outsideWindow(), window.isAll() ? null : window.describe(), process.ignored(),
                process.ignoredExample(), process.zonelessTimes(), logTimezone,
                load.nulledUserIds(), load.nulledSessionIds(), process.inferredProviders(), process.estimatedCosts(),
                duration.toMillis(),
                usd(totalMicros), models, inTable.first(), inTable.last(), inTable.perDay(),
                inserted.perDay(), reconciliation(load), checkpoint.rejects().byReason(),
                checkpoint.rejects().examples(),
                // Partitions reading ranges of one file each note what they found in it: said once.
                checkpoint.rejects().count() > 0 ? rejectsFile : null, read.notices().stream().distinct().toList(),
                reached, error, Table.of(notes, load.inDefault()));
    }

    /** This report with one more note to print after the counts. */
    public RunReport withNotice(String notice) {
        List<String> more = new ArrayList<>(notices);
        more.add(notice);
        return new RunReport(status, dryRun, database, executionId, runId, paths, files, fileBytes, unchangedFiles,
                linesRead, noiseLines, events, inserted, duplicates, duplicatesInInput, alreadyInTable, rejected,
                outsideWindow, window, ignored, ignoredExample, zonelessTimes, logTimezone, nulledUserIds,
                nulledSessionIds, inferredProviders, estimatedCosts, durationMs, totalCostUsd, models, firstCreatedAt,
                lastCreatedAt, perDay, perDayInserted, reconciliation, rejectReasons, rejectExamples, rejectsFile,
                List.copyOf(more), reached, error, table);
    }

    /**
     * The report of a run that found nothing to do (every file unchanged since an earlier incremental run, or the
     * run key completed before): written all the same, so a monitor never reads an older night's figures as
     * tonight's.
     *
     * @param status {@code NOTHING_NEW} or {@code ALREADY_COMPLETED}
     * @param executionId the execution that completed the run key, or 0
     */
    public static RunReport nothingToDo(String status, String database, long executionId, List<String> paths,
            int unchangedFiles, String notice) {
        BigDecimal zero = usd(0);
        return new RunReport(status, false, database, executionId, 0, paths, 0, 0, unchangedFiles, 0, 0, 0, 0, 0, 0, 0, 0,
                0, null, 0, null, 0, null, 0, 0, 0, 0, 0, zero, List.of(), null, null, Map.of(), Map.of(),
                new Reconciliation(0, 0, 0, zero, 0, 0, 0, zero, true, 0, 0, List.of()), Map.of(), Map.of(), null,
                List.of(notice), null, null, null);
    }

    private static Reconciliation reconciliation(TokenUsageWriter.LoadTally load) {
        var read = load.read() == null ? ChunkLoad.Totals.ZERO : load.read();
        var loaded = load.loaded() == null ? ChunkLoad.Totals.ZERO : load.loaded();
        return new Reconciliation(read.promptTokens(), read.completionTokens(), read.tokens(), usd(read.costMicros()),
                loaded.promptTokens(), loaded.completionTokens(), loaded.tokens(), usd(loaded.costMicros()),
                load.reconciles(), load.differencesFound().missing(), load.differencesFound().changed(),
                load.differencesFound().examples());
    }

    private static BigDecimal usd(long micros) {
        return BigDecimal.valueOf(micros, 6);
    }
}
