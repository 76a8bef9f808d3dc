package io.usagebackfill.job;

import static io.usagebackfill.job.JobParameterNames.DRY_RUN;
import static io.usagebackfill.job.JobParameterNames.MANIFEST;
import static io.usagebackfill.job.JobParameterNames.METRICS_RUN;
import static io.usagebackfill.job.JobParameterNames.PROGRESS_EVERY;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

import io.usagebackfill.checkpoint.Checkpoint;
import io.usagebackfill.checkpoint.CheckpointStore;
import io.usagebackfill.metrics.RunFigures;
import io.usagebackfill.metrics.RunMetrics;
import io.usagebackfill.report.Progress;
import io.usagebackfill.source.Manifest;
import io.usagebackfill.source.SourceFile;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.beans.factory.ObjectProvider;

/**
 * While the job runs, pushes what its committed chunks hold to the Pushgateway every {@code --progress-every} seconds,
 * so a long import is watched live; only when the command was given one ({@code --metrics-push}, a
 * {@link RunMetrics} in the context), and never for a dry run. Its pushes run on the push's own thread, reading the
 * checkpoints the chunks commit (thread-safe stores); stateless itself.
 */
public final class LiveMetrics implements JobExecutionListener {

    /** The grouping key's {@code run} of a run started before it was recorded. */
    static final String DEFAULT_GROUP = "import";

    private final ObjectProvider<RunMetrics> metrics;
    private final CheckpointStore checkpoints;

    LiveMetrics(ObjectProvider<RunMetrics> metrics, CheckpointStore checkpoints) {
        this.metrics = metrics;
        this.checkpoints = checkpoints;
    }

    /** The {@code run} label a run's metrics are pushed under, as its start recorded it. */
    public static String group(JobParameters parameters) {
        String recorded = parameters.getString(METRICS_RUN);
        return recorded == null || recorded.isEmpty() ? DEFAULT_GROUP : recorded;
    }

    @Override
    public void beforeJob(JobExecution execution) {
        RunMetrics run = metrics.getIfAvailable();
        if (run == null || Boolean.parseBoolean(execution.getJobParameters().getString(DRY_RUN))) {
            return;
        }
        Long every = execution.getJobParameters().getLong(PROGRESS_EVERY);
        run.whileRunning(group(execution.getJobParameters()), Duration.ofSeconds(every == null ? 5 : every),
                () -> committed(execution));
    }

    @Override
    public void afterJob(JobExecution execution) {
        RunMetrics run = metrics.getIfAvailable();
        if (run != null) {
            run.stopRunning();
        }
    }

    /** The counts of the run's committed chunks, across its partitions (none before its files are planned). */
    private RunFigures committed(JobExecution execution) {
        long runId = execution.getJobInstance().getInstanceId();
        List<List<SourceFile>> parts = RunPartitions.of(execution.getExecutionContext());
        List<Checkpoint> saved = new ArrayList<>();
        long bytes = 0;
        for (int p = 0; p < parts.size(); p++) {
            Checkpoint checkpoint = checkpoints.load(runId, p).orElse(Checkpoint.start());
            saved.add(checkpoint);
            bytes += Progress.bytesDone(parts.get(p), checkpoint.read());
        }
        int files = execution.getExecutionContext().containsKey(MANIFEST)
                ? Manifest.read(execution.getExecutionContext().getString(MANIFEST)).size() : 0;
        LocalDateTime start = execution.getStartTime();
        return RunFigures.committed(saved.isEmpty() ? Checkpoint.start() : Checkpoint.sum(saved), files, bytes,
                start == null ? Duration.ZERO : Duration.between(start, LocalDateTime.now()));
    }
}
