package io.usagebackfill.run;

import io.usagebackfill.normalize.TimeWindow;

import java.util.List;

/**
 * What {@code import} was asked to do, as the launcher turns it into job parameters.
 *
 * @param csvOut CSV file to write instead of loading a database, or null
 * @param providerMap file of extra model-prefix to provider rules, or null
 * @param threads partitions loading at once, each on its own connection
 * @param skipUnreadable whether files and directories that cannot be read are left out (and counted)
 * @param fields file laid over the built-in field catalog, or null
 * @param logTimezone zone of times logged without one, or null for UTC
 * @param fixes the rejects file whose lines the PATHs correct, line for line ({@code --fixes}), or null
 * @param replaceFixed whether a corrected line's row replaces the row of an earlier correction of the same line
 * @param metricsRun the {@code run} label the run's metrics are pushed under (with or without a Pushgateway, so a
 *     restart given one pushes where the run would have)
 * @param createPartitions whether the partitions the events need that the table lacks are made before loading
 */
public record ImportRequest(List<String> paths, String rejects, String csvOut, int chunkSize, long skipLimit,
        int maxLineBytes, boolean strict, String table, String providerMap, TimeWindow window, String runKey,
        boolean incremental, String prices, boolean dryRun, String progress, int progressEverySeconds, int threads,
        boolean skipUnreadable, String fields, String logTimezone, String fixes,
        boolean replaceFixed, String metricsRun,
        boolean createPartitions) {

    /** The same request with {@code --until} settled (for {@code --until auto}, once the database is known). */
    public ImportRequest withUntil(java.time.Instant until) {
        return new ImportRequest(paths, rejects, csvOut, chunkSize, skipLimit, maxLineBytes, strict, table,
                providerMap, new TimeWindow(window.since(), until), runKey, incremental,
                prices, dryRun, progress, progressEverySeconds, threads, skipUnreadable, fields, logTimezone, fixes,
                replaceFixed, metricsRun, createPartitions);
    }
}
