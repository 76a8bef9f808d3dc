package io.usagebackfill.job;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.usagebackfill.catalog.RejectedLineException;
import io.usagebackfill.load.PartitionGrid;
import io.usagebackfill.load.PartitionRange;
import io.usagebackfill.load.TableLimits;
import io.usagebackfill.normalize.TokenUsage;
import io.usagebackfill.read.LogLine;
import io.usagebackfill.read.LogLineReader;
import io.usagebackfill.source.SourceFile;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * A first pass over the run's input before it loads, for the times of its events alone: each partition of the
 * run read as its load will read it (the same files and ranges, window, zone and field map), each on a thread of
 * its own, and every event whose time no partition of the table holds counted by the partition it needs. Rejected
 * lines, and events outside the window, need none. Made for one run; not thread-safe.
 */
final class EventTimes {

    private final JobParameters parameters;
    private final TableLimits limits;
    private final PartitionGrid grid;

    EventTimes(JobParameters parameters, TableLimits limits, PartitionGrid grid) {
        this.parameters = parameters;
        this.limits = limits;
        this.grid = grid;
    }

    /**
     * The partitions the events of {@code parts} need that the table lacks, each with how many events fall in it.
     *
     * @throws Exception what reading a file threw (a damaged file under --strict), as the load would
     */
    Map<PartitionRange, Long> missing(List<List<SourceFile>> parts, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, parts.size())), work -> {
            Thread thread = new Thread(work, "usage-backfill-times");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<Map<PartitionRange, Long>>> each = new ArrayList<>();
            for (List<SourceFile> part : parts) {
                each.add(pool.submit(() -> missingIn(part)));
            }
            Map<PartitionRange, Long> missing = new HashMap<>();
            for (Future<Map<PartitionRange, Long>> part : each) {
                part.get().forEach((range, events) -> missing.merge(range, events, Long::sum));
            }
            return missing;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } finally {
            pool.shutdownNow();
        }
    }

    private Map<PartitionRange, Long> missingIn(List<SourceFile> part) throws Exception {
        Map<PartitionRange, Long> missing = new HashMap<>();
        TokenUsageProcessor processor = PartitionInput.processor(parameters, limits);
        // Logs run in time order, so the partition of the last event mostly holds the next one too.
        PartitionRange last = null;
        PartitionRange lastMissing = null;
        try (LogLineReader reader = PartitionInput.reader(parameters, part)) {
            LogLine line;
            while ((line = reader.read()) != null) {
                TokenUsage row;
                try {
                    row = processor.process(line);
                } catch (RejectedLineException rejected) {
                    continue;
                }
                if (row == null || last != null && last.holds(row.createdAt())) {
                    continue;
                }
                PartitionRange holding = grid.holding(row.createdAt());
                if (holding != null) {
                    last = holding;
                    continue;
                }
                if (lastMissing == null || !lastMissing.holds(row.createdAt())) {
                    lastMissing = grid.missing(row.createdAt());
                }
                missing.merge(lastMissing, 1L, Long::sum);
            }
        }
        return missing;
    }
}
