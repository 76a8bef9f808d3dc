package io.usagebackfill.job;

import static io.usagebackfill.job.JobParameterNames.*;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

import io.micrometer.observation.ObservationRegistry;

import io.usagebackfill.checkpoint.Checkpoint;
import io.usagebackfill.checkpoint.CheckpointStore;
import io.usagebackfill.checkpoint.CheckpointStream;
import io.usagebackfill.load.CsvFileWriter;
import io.usagebackfill.load.CsvParts;
import io.usagebackfill.load.DryRunPlanner;
import io.usagebackfill.load.PartitionLayout;
import io.usagebackfill.load.RowSink;
import io.usagebackfill.load.StoppableRowSink;
import io.usagebackfill.load.TableLimits;
import io.usagebackfill.load.TableShape;
import io.usagebackfill.load.TargetTable;
import io.usagebackfill.load.TokenUsageLoader;
import io.usagebackfill.load.TokenUsageWriter;
import io.usagebackfill.normalize.TokenUsage;
import io.usagebackfill.read.LogLineReader;
import io.usagebackfill.reject.RejectedLineListener;
import io.usagebackfill.reject.RejectsFile;
import io.usagebackfill.reject.RejectsParts;
import io.usagebackfill.reject.RejectsTable;
import io.usagebackfill.reject.RunSkipLimit;
import io.usagebackfill.report.Progress;
import io.usagebackfill.source.SourceFile;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.listener.ChunkListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.core.step.skip.SkipPolicy;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The load step of one execution: a Spring Batch partition step over the partitions the run planned, and for each
 * partition its chunk step (reader over the partition's files and ranges, processor, writer, rejects file and
 * checkpoint row), built by {@link PartitionWorkerStep} when the partition runs. What spans the partitions lives
 * here: the skip limit and the progress display, which adds up each partition's latest counts. Made once per
 * execution (and, on a remote worker, once per partition it is handed); its workers run on threads of their own.
 */
final class PartitionedLoad {

    private static final String PARTITION = "partition";

    private final JobRepository jobRepository;
    private final PlatformTransactionManager chunkTransactionManager;
    private final JobExecution jobExecution;
    private final JobParameters parameters;
    private final CheckpointStore checkpointStore;
    private final ObjectProvider<DataSource> dataSource;
    private final List<List<SourceFile>> parts;
    private final Map<Integer, Progress.Snapshot> latest = new ConcurrentHashMap<>();
    private final Progress progress;
    private final RunSkipLimit skipLimit;
    private final BooleanSupplier stopRequested;
    /** Where the chunk steps record Spring Batch's observations: a {@code --metrics-push} run's registry, or none. */
    private final ObservationRegistry observations;
    /** The ids the partitions of a CSV export have written, so an event in two of them is written once. */
    private final CsvFileWriter.Written csvWritten = new CsvFileWriter.Written();

    /**
     * @param stopRequested whether the run was asked to stop (its writers then refuse the next chunk)
     * @param showsProgress whether this process shows the run's progress (the manager, or a local run), rather than
     *     running one partition of it for a manager elsewhere
     */
    PartitionedLoad(JobRepository jobRepository, PlatformTransactionManager chunkTransactionManager,
            JobExecution jobExecution, CheckpointStore checkpointStore, ObjectProvider<DataSource> dataSource,
            BooleanSupplier stopRequested, boolean showsProgress, ObservationRegistry observations) {
        this.stopRequested = stopRequested;
        this.observations = observations;
        this.jobRepository = jobRepository;
        this.chunkTransactionManager = chunkTransactionManager;
        this.jobExecution = jobExecution;
        this.parameters = jobExecution.getJobParameters();
        this.checkpointStore = checkpointStore;
        this.dataSource = dataSource;
        this.parts = RunPartitions.of(jobExecution.getExecutionContext());
        Long every = parameters.getLong(PROGRESS_EVERY);
        this.progress = new Progress(showsProgress ? progressMode(parameters.getString(PROGRESS)) : Progress.Mode.QUIET,
                Duration.ofSeconds(every == null ? 5 : every), parts.stream().mapToLong(Progress::totalBytes).sum(),
                this::total, System.err);
        if (showsProgress) {
            showCheckpoints(false);
        }
        DataSource ds = dataSource.getIfAvailable();
        this.skipLimit = new RunSkipLimit(parameters.getLong(SKIP_LIMIT), ds == null ? Map::of
                : () -> CommittedSkips.byPartition(new JdbcTemplate(ds), jobExecution.getId(), PARTITION_STEP));
    }

    /**
     * The worker step a remote worker runs: for each partition it is handed, the chunk step that partition's run
     * planned, built from the partition's job execution as the shared job repository holds it.
     */
    static Step remoteWorker(JobRepository jobRepository, PlatformTransactionManager chunkTransactionManager,
            CheckpointStore checkpointStore, ObjectProvider<DataSource> dataSource, BooleanSupplier stopRequested) {
        return new PartitionWorkerStep(PARTITION_STEP, jobRepository, partition -> new PartitionedLoad(jobRepository,
                chunkTransactionManager, partition.getJobExecution(), checkpointStore, dataSource, stopRequested, false,
                ObservationRegistry.NOOP)
                .worker(partition.getStepName(), partition.getExecutionContext().getInt(PARTITION)));
    }

    /** The partition step, its partitions run where {@code runner} runs them. */
    Step step(PartitionRunner runner) throws Exception {
        Step worker = new PartitionWorkerStep(PARTITION_STEP, jobRepository,
                partition -> worker(partition.getStepName(), partition.getExecutionContext().getInt(PARTITION)));
        return new StepBuilder("loadTokenUsage", jobRepository)
                .partitioner(PARTITION_STEP, gridSize -> partitionContexts(parts.size()))
                .partitionHandler(runner.handler(worker, parts.size(), () -> showCheckpoints(true)))
                .listener((StepExecutionListener) progress)
                .build();
    }

    /**
     * Takes each partition's counts from its committed checkpoint: before the step (a partition that completed
     * before a restart does not run again, and shows as it ended), and while workers elsewhere run them.
     */
    private void showCheckpoints(boolean update) {
        for (int p = 0; p < parts.size(); p++) {
            List<SourceFile> files = parts.get(p);
            latest.put(p, checkpointStore.load(run(), p).map(saved -> snapshot(files, saved))
                    .orElse(new Progress.Snapshot(0, 0, 0, 0)));
        }
        if (update) {
            progress.update();
        }
    }

    /**
     * One partition's chunk step: reads, parses and normalises its files ahead of the load ({@link ReadAhead}),
     * and loads them, each chunk with its checkpoint.
     */
    Step worker(String name, int partition) throws IOException, SQLException {
        List<SourceFile> files = parts.get(partition);
        int chunkSize = parameters.getLong(CHUNK_SIZE).intValue();
        LogLineReader reader = PartitionInput.reader(parameters, files);
        if (partition == 0) {
            noteLeftOut(reader, UNREADABLE, " files or directories could not be read and were left out"
                    + " (--skip-unreadable): ");
            noteLeftOut(reader, LEFT_OUT, " file(s) left out as not logs: ");
        }
        Target target = target();
        TokenUsageProcessor processor = PartitionInput.processor(parameters, target == null ? null : target.limits());
        RejectsFile rejects = new RejectsFile(
                RejectsParts.part(Path.of(parameters.getString(REJECTS)), partition, parts.size()));
        RejectedLineListener rejected = new RejectedLineListener(rejects, rejectsTable());
        SkipPolicy skips = skipLimit.forPartition(partition);
        // Only where row-level security may refuse a row does each row keep its line, for the reject.
        PolicyRefusals refusals = target != null && target.shape().rowSecurity() ? new PolicyRefusals(rejected, skips)
                : null;
        ReadAhead input = new ReadAhead(reader, processor, 2 * chunkSize, "usage-backfill-parse-" + partition,
                refusals != null);
        RowSink rowSink = new StoppableRowSink(rowSink(partition, target, refusals), stopRequested);
        CheckpointStream checkpoint = new CheckpointStream(run(), partition, checkpointStore, input, rejects,
                rowSink);
        Runnable publish = () -> {
            latest.put(partition, new Progress.Snapshot(Progress.bytesDone(files, input.position()),
                    input.position().linesRead(), rowSink.tally().inserted() + rowSink.tally().duplicates(),
                    rejects.position().count()));
            progress.update();
        };
        return new StepBuilder(name, jobRepository)
                .observationRegistry(observations)
                .<ReadAhead.Prepared, TokenUsage>chunk(chunkSize)
                .transactionManager(chunkTransactionManager)
                .reader(input)
                .processor(ReadAhead.processor(refusals))
                .writer(rowSink)
                .faultTolerant()
                .skipPolicy(skips)
                .skipListener(ReadAhead.rejectsTo(rejected))
                .stream(checkpoint)
                .listener(new ChunkListener<ReadAhead.Prepared, TokenUsage>() {
                    @Override
                    public void beforeChunk(Chunk<ReadAhead.Prepared> chunk) {
                        skipLimit.refresh();
                        if (refusals != null) {
                            refusals.clear();
                        }
                    }

                    @Override
                    public void afterChunk(Chunk<TokenUsage> chunk) {
                        publish.run();
                    }
                })
                .listener(new StepExecutionListener() {
                    @Override
                    public ExitStatus afterStep(StepExecution stepExecution) {
                        publish.run();
                        return null;
                    }
                })
                .build();
    }

    /** Tells the report what discovery left out (the paths under {@code key}), with how many. */
    private void noteLeftOut(LogLineReader reader, String key, String what) {
        String paths = jobExecution.getExecutionContext().getString(key, "");
        if (!paths.isEmpty()) {
            List<String> each = List.of(paths.split("\n"));
            reader.note(each.size() + what + String.join("; ", each));
        }
    }

    private long run() {
        return jobExecution.getJobInstance().getInstanceId();
    }

    private Progress.Snapshot total() {
        long bytes = 0;
        long lines = 0;
        long rows = 0;
        long rejected = 0;
        for (Progress.Snapshot p : latest.values()) {
            bytes += p.bytesDone();
            lines += p.linesRead();
            rows += p.rows();
            rejected += p.rejected();
        }
        return new Progress.Snapshot(bytes, lines, rows, rejected);
    }

    private static Progress.Snapshot snapshot(List<SourceFile> files, Checkpoint saved) {
        return new Progress.Snapshot(Progress.bytesDone(files, saved.read()), saved.read().linesRead(),
                saved.load().inserted() + saved.load().duplicates(), saved.rejects().count());
    }

    private static Map<String, ExecutionContext> partitionContexts(int partitions) {
        Map<String, ExecutionContext> contexts = new LinkedHashMap<>();
        for (int p = 0; p < partitions; p++) {
            ExecutionContext context = new ExecutionContext();
            context.putInt(PARTITION, p);
            contexts.put(PARTITION + p, context);
        }
        return contexts;
    }

    private RejectsTable rejectsTable() {
        DataSource ds = dataSource.getIfAvailable();
        return ds == null ? null : new RejectsTable(new JdbcTemplate(ds), run(), jobExecution.getId());
    }

    /**
     * The table as the load sees it: its columns' limits (a narrower column than the guide's refuses a valid row, a
     * wider count column takes a count INT cannot hold), its shape and its partitions.
     */
    private record Target(TargetTable table, TableLimits limits, TableShape shape, PartitionLayout layout) {
    }

    /** The target table, read from the catalog; null for a CSV file, which is made for the guide's table. */
    private Target target() throws SQLException {
        String csvOut = parameters.getString(CSV_OUT);
        if (csvOut != null && !csvOut.isEmpty()) {
            return null;
        }
        TargetTable table = TargetTable.parse(parameters.getString(TABLE));
        try (Connection connection = dataSource.getObject().getConnection()) {
            return new Target(table, TableLimits.of(connection, table), TableShape.inspect(connection, table),
                    PartitionLayout.inspect(connection, table));
        }
    }

    /** Each partition writes through its own sink, which keeps that partition's tally. */
    private RowSink rowSink(int partition, Target target, PolicyRefusals refusals) {
        if (target == null) {
            return new CsvFileWriter(CsvParts.part(Path.of(parameters.getString(CSV_OUT)), partition), csvWritten);
        }
        ExecutionContext context = jobExecution.getExecutionContext();
        TokenUsageLoader loader = new TokenUsageLoader(target.table(), target.shape(), run(), RestartSpans.of(context))
                .replacing(Boolean.parseBoolean(parameters.getString(REPLACE_FIXED))).refusingTo(refusals)
                .countingDefault(target.layout().defaultPartition());
        DataSource ds = dataSource.getObject();
        return new TokenUsageWriter(ds, Boolean.parseBoolean(parameters.getString(DRY_RUN))
                ? new DryRunPlanner(loader, run(), target.layout().needsEveryTime() ? target.layout().grid() : null)
                : loader);
    }

    private static Progress.Mode progressMode(String mode) {
        return mode == null || mode.isEmpty() ? Progress.Mode.QUIET : Progress.Mode.valueOf(mode);
    }

}
