package io.usagebackfill.report;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import io.usagebackfill.read.ReadPosition;
import io.usagebackfill.source.SourceFile;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;

/**
 * How a long run shows it is alive, after every chunk: on a terminal a progress bar (bytes read of the total, rows
 * per second, rejects, ETA); off one (cron, Kubernetes) a line every few seconds on stderr, as text or as JSON; or
 * nothing with {@code --quiet}. Bytes of a gzip file count when it is finished, since only its decompressed
 * position is known while it is read.
 */
public final class Progress implements StepExecutionListener {

    /**
     * What the run is showing, chosen by the command from its options and whether stderr is a terminal: a bar,
     * lines of text or of JSON, or nothing ({@code QUIET}, and {@code QUIET_JSON}, whose summary is JSON).
     */
    public enum Mode {
        BAR, TEXT, JSON, QUIET, QUIET_JSON;

        /** Whether what the run prints (the summary) is JSON. */
        public boolean json() {
            return this == JSON || this == QUIET_JSON;
        }
    }

    /** The counts a progress line shows, read from the step's parts (all partitions') after each chunk. */
    public record Snapshot(long bytesDone, long linesRead, long rows, long rejected) {
    }

    /** Wide enough for the bar and its figures on an 80-column terminal's next size up. */
    private static final int BAR_WIDTH = 110;

    private final Mode mode;
    private final Duration every;
    private final Supplier<Snapshot> snapshot;
    private final PrintStream err;
    private final long totalBytes;
    private Instant started;
    private Instant lastLine;
    private ProgressBar bar;

    /** @param totalBytes what the run reads in all, {@link #totalBytes} of its files */
    public Progress(Mode mode, Duration every, long totalBytes, Supplier<Snapshot> snapshot, PrintStream err) {
        this.mode = mode;
        this.every = every;
        this.snapshot = snapshot;
        this.err = err;
        this.totalBytes = totalBytes;
    }

    @Override
    public void beforeStep(StepExecution stepExecution) {
        started = Instant.now();
        lastLine = started;
        if (mode == Mode.BAR) {
            bar = new ProgressBarBuilder().setTaskName("usage-backfill").setInitialMax(Math.max(totalBytes, 1))
                    .setUnit(" MiB", 1 << 20).setStyle(ProgressBarStyle.ASCII).showSpeed()
                    .setConsumer(new ConsoleProgressBarConsumer(err, BAR_WIDTH)).build();
        }
    }

    /** After a partition's chunk, on its thread: redraws the bar, or writes a line when one is due. */
    public synchronized void update() {
        tick();
    }

    /** Job-context keys: how far the reader got in lines and bytes, for the report of a run that did not end well. */
    public static final String LINES_REACHED = "linesReached";
    public static final String BYTES_REACHED = "bytesReached";
    public static final String BYTES_IN_ALL = "bytesInAll";

    @Override
    public synchronized ExitStatus afterStep(StepExecution stepExecution) {
        if (stepExecution != null && stepExecution.getStatus() != org.springframework.batch.core.BatchStatus.COMPLETED) {
            // The committed chunks say less than was read: the summary says how far the run got as well.
            Snapshot reached = snapshot.get();
            stepExecution.getJobExecution().getExecutionContext().putLong(LINES_REACHED, reached.linesRead());
            stepExecution.getJobExecution().getExecutionContext().putLong(BYTES_REACHED, reached.bytesDone());
            stepExecution.getJobExecution().getExecutionContext().putLong(BYTES_IN_ALL, totalBytes);
        }
        if (bar != null) {
            // A stopped or failed load ends the bar where it got to, not at 100%.
            boolean stoppedShort = stepExecution != null
                    && stepExecution.getStatus() != org.springframework.batch.core.BatchStatus.COMPLETED;
            bar.stepTo(stoppedShort ? Math.min(snapshot.get().bytesDone(), bar.getMax()) : bar.getMax());
            bar.close();
        } else if (mode == Mode.TEXT || mode == Mode.JSON) {
            line(snapshot.get());
        }
        return null;
    }

    private void tick() {
        Snapshot now = snapshot.get();
        if (bar != null) {
            bar.stepTo(Math.min(now.bytesDone(), bar.getMax()));
            bar.setExtraMessage(String.format(Locale.ROOT, " %,d rows/s, %,d rejected", rowsPerSecond(now),
                    now.rejected()));
        } else if ((mode == Mode.TEXT || mode == Mode.JSON)
                && !Instant.now().isBefore(lastLine.plus(every))) {
            lastLine = Instant.now();
            line(now);
        }
    }

    private void line(Snapshot now) {
        long done = now.bytesDone();
        double share = totalBytes == 0 ? 1 : Math.min(1, (double) done / totalBytes);
        Duration elapsed = Duration.between(started, Instant.now());
        Duration eta = share <= 0 ? null : Duration.ofMillis((long) (elapsed.toMillis() * (1 - share) / share));
        if (mode == Mode.JSON) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("time", Instant.now().toString());
            event.put("event", "progress");
            event.put("bytesRead", done);
            event.put("bytesTotal", totalBytes);
            event.put("linesRead", now.linesRead());
            event.put("rows", now.rows());
            event.put("rowsPerSecond", rowsPerSecond(now));
            event.put("rejected", now.rejected());
            event.put("etaSeconds", eta == null ? null : eta.toSeconds());
            err.println(ReportPrinter.compactJson(event));
        } else {
            err.printf(Locale.ROOT, "usage-backfill: %.0f%% (%s of %s), %,d lines, %,d rows at %,d rows/s,"
                    + " %,d rejected, ETA %s%n", share * 100, size(done), size(totalBytes), now.linesRead(),
                    now.rows(), rowsPerSecond(now), now.rejected(), eta == null ? "unknown" : eta.toSeconds() + " s");
        }
    }

    private static String size(long bytes) {
        return bytes >= 10L << 20 ? String.format(Locale.ROOT, "%,d MiB", bytes >> 20)
                : String.format(Locale.ROOT, "%,d KiB", (bytes + 1023) >> 10);
    }

    private long rowsPerSecond(Snapshot now) {
        long millis = Math.max(1, Duration.between(started, Instant.now()).toMillis());
        return now.rows() * 1000 / millis;
    }

    /** What a run reads: all of each gzip file, the part of a plain file (or range) after where reading starts. */
    public static long totalBytes(List<SourceFile> files) {
        return files.stream().mapToLong(SourceFile::bytesToRead).sum();
    }

    /** How much of {@code files} a reader at {@code read} has read. */
    public static long bytesDone(List<SourceFile> files, ReadPosition read) {
        long done = 0;
        for (int i = 0; i < Math.min(read.fileIndex(), files.size()); i++) {
            done += files.get(i).bytesToRead();
        }
        if (read.fileIndex() < files.size() && !files.get(read.fileIndex()).gzip()) {
            done += Math.max(0, read.offset() - files.get(read.fileIndex()).startOffset());
        }
        return done;
    }
}
