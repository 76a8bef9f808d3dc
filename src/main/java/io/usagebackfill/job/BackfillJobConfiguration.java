package io.usagebackfill.job;

import static io.usagebackfill.job.JobParameterNames.*;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import io.usagebackfill.checkpoint.Checkpoint;
import io.usagebackfill.read.ReadPlan;
import io.usagebackfill.reject.RejectsParts;
import io.usagebackfill.reject.RunSkipLimit;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.SyncTaskExecutor;

import javax.sql.DataSource;

import io.usagebackfill.checkpoint.CheckpointStore;
import io.usagebackfill.checkpoint.CheckpointStream;
import io.usagebackfill.checkpoint.InMemoryCheckpointStore;
import io.usagebackfill.checkpoint.JdbcCheckpointStore;
import io.usagebackfill.load.CsvFileWriter;
import io.usagebackfill.load.DryRunPlanner;
import io.usagebackfill.load.RowSink;
import io.usagebackfill.load.TableShape;
import io.usagebackfill.load.TargetTable;
import io.usagebackfill.load.TokenUsageLoader;
import io.usagebackfill.load.TokenUsageWriter;
import io.usagebackfill.normalize.EventNormalizer;
import io.usagebackfill.normalize.PriceList;
import io.usagebackfill.normalize.ProviderCatalog;
import io.usagebackfill.normalize.TimeWindow;
import io.usagebackfill.normalize.TokenUsage;
import io.usagebackfill.normalize.TokenUsageProcessor;
import io.usagebackfill.parse.EventRecognizer;
import io.usagebackfill.read.LogLine;
import io.usagebackfill.read.LogLineReader;
import io.usagebackfill.read.ReadPosition;
import io.usagebackfill.reject.RejectedLineListener;
import io.usagebackfill.reject.RejectsFile;
import io.usagebackfill.reject.RejectsTable;
import io.usagebackfill.report.Progress;
import io.usagebackfill.source.FileLedger;
import io.usagebackfill.source.Manifest;
import io.usagebackfill.source.SourceDiscovery;
import io.usagebackfill.source.SourceFile;
import org.springframework.batch.core.configuration.annotation.JobScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.listener.ChunkListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.batch.infrastructure.support.transaction.ResourcelessTransactionManager;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The backfill job: {@code discoverLogFiles} fixes the run's file list and splits it into partitions, then
 * {@code loadTokenUsage} reads, parses, normalises and loads each partition in chunks, each chunk's rows and
 * checkpoint committing in one transaction; {@code mergeRejects} and {@code recordFileLedger} finish. Wiring only.
 */
@Configuration(proxyBeanMethods = false)
public class BackfillJobConfiguration {

    @Bean
    Job tokenUsageBackfill(JobRepository jobRepository, Step discoverLogFiles, Step loadTokenUsage,
            Step mergeRejects, Step recordFileLedger) {
        return new JobBuilder(JOB_NAME, jobRepository).start(discoverLogFiles).next(loadTokenUsage)
                .next(mergeRejects).next(recordFileLedger).build();
    }

    @Bean
    Step discoverLogFiles(JobRepository jobRepository, PlatformTransactionManager chunkTransactionManager,
            ObjectProvider<DataSource> dataSource) {
        return new StepBuilder("discoverLogFiles", jobRepository).tasklet((contribution, chunkContext) -> {
            StepExecution step = contribution.getStepExecution();
            String paths = step.getJobParameters().getString(PATHS);
            List<SourceFile> files = new SourceDiscovery().discover(Arrays.asList(paths.split("\n")));
            List<SourceFile> unchanged = List.of();
            FileLedger ledger = ledger(step.getJobParameters(), dataSource);
            if (ledger != null) {
                FileLedger.Plan plan = ledger.plan(files);
                files = plan.toRead();
                unchanged = plan.unchanged();
            }
            step.getJobExecution().getExecutionContext().putString(MANIFEST, Manifest.write(files));
            Long threads = step.getJobParameters().getLong(THREADS);
            step.getJobExecution().getExecutionContext().putString(PARTITIONS,
                    Manifest.writeParts(ReadPlan.split(files, threads == null ? 1 : threads.intValue())));
            step.getJobExecution().getExecutionContext().putString(UNCHANGED, Manifest.write(unchanged));
            return RepeatStatus.FINISHED;
        }, chunkTransactionManager).build();
    }

    /** After an incremental run, where its read of each file ended, for the next run to go on from. */
    @Bean
    Step recordFileLedger(JobRepository jobRepository, PlatformTransactionManager chunkTransactionManager,
            ObjectProvider<DataSource> dataSource, CheckpointStore checkpointStore) {
        return new StepBuilder("recordFileLedger", jobRepository).tasklet((contribution, chunkContext) -> {
            StepExecution step = contribution.getStepExecution();
            JobExecution job = step.getJobExecution();
            if (Boolean.parseBoolean(step.getJobParameters().getString(DRY_RUN))) {
                try (Connection connection = dataSource.getObject().getConnection()) {
                    DryRunPlanner.forget(connection, job.getJobInstance().getInstanceId());
                }
                return RepeatStatus.FINISHED;
            }
            FileLedger ledger = ledger(step.getJobParameters(), dataSource);
            if (ledger == null) {
                return RepeatStatus.FINISHED;
            }
            List<List<SourceFile>> parts = Manifest.readParts(job.getExecutionContext().getString(PARTITIONS));
            for (int p = 0; p < parts.size(); p++) {
                List<SourceFile> read = parts.get(p);
                var checkpoint = checkpointStore.load(job.getJobInstance().getInstanceId(), p);
                for (ReadPosition.FileEnd end : checkpoint.map(c -> c.read().finished()).orElse(List.of())) {
                    // A file read in ranges ends where its last range ends.
                    if (read.get(end.fileIndex()).readsToEnd()) {
                        ledger.record(read.get(end.fileIndex()), end.offset(), end.lines(), job.getId());
                    }
                }
            }
            for (SourceFile skipped : Manifest.read(job.getExecutionContext().getString(UNCHANGED))) {
                ledger.record(skipped, skipped.startOffset(), skipped.startLine(), job.getId());
            }
            return RepeatStatus.FINISHED;
        }, chunkTransactionManager).build();
    }

    private static RejectsTable rejectsTable(JobExecution job, ObjectProvider<DataSource> dataSource) {
        DataSource ds = dataSource.getIfAvailable();
        return ds == null ? null
                : new RejectsTable(new JdbcTemplate(ds), job.getJobInstance().getInstanceId(), job.getId());
    }

    private static FileLedger ledger(JobParameters parameters, ObjectProvider<DataSource> dataSource) {
        DataSource ds = dataSource.getIfAvailable();
        if (ds == null || !Boolean.parseBoolean(parameters.getString(INCREMENTAL))) {
            return null;
        }
        return new FileLedger(new JdbcTemplate(ds), parameters.getString(TABLE));
    }

    /**
     * The load, split into the partitions {@code discoverLogFiles} planned (one without {@code --threads}), each
     * run on a thread of its own by {@link PartitionWorkerStep}. Progress and the skip limit span them all.
     */
    @Bean
    @JobScope
    Step loadTokenUsage(JobRepository jobRepository, PlatformTransactionManager chunkTransactionManager,
            @Value("#{jobExecution}") JobExecution jobExecution, CheckpointStore checkpointStore,
            ObjectProvider<DataSource> dataSource) {
        JobParameters parameters = jobExecution.getJobParameters();
        long run = jobExecution.getJobInstance().getInstanceId();
        List<List<SourceFile>> parts = Manifest.readParts(jobExecution.getExecutionContext().getString(PARTITIONS));
        Map<Integer, Progress.Snapshot> latest = new ConcurrentHashMap<>();
        for (int p = 0; p < parts.size(); p++) {
            // A partition that completed before a restart does not run again; it shows as it ended.
            List<SourceFile> files = parts.get(p);
            latest.put(p, checkpointStore.load(run, p).map(saved -> snapshot(files, saved))
                    .orElse(new Progress.Snapshot(0, 0, 0, 0)));
        }
        Progress progress = new Progress(progressMode(parameters.getString(PROGRESS)),
                Duration.ofSeconds(parameters.getLong(PROGRESS_EVERY) == null ? 5 : parameters.getLong(PROGRESS_EVERY)),
                parts.stream().mapToLong(Progress::totalBytes).sum(), () -> sum(latest.values()), System.err);
        RunSkipLimit skipLimit = new RunSkipLimit(parameters.getLong(SKIP_LIMIT));
        Step worker = new PartitionWorkerStep("loadPartition", jobRepository, partition -> {
            int p = partition.getExecutionContext().getInt(PARTITION);
            return loadPartition(partition.getStepName(), p, parts, jobRepository, chunkTransactionManager,
                    jobExecution, checkpointStore, dataSource, skipLimit,
                    current -> {
                        latest.put(p, current);
                        progress.update();
                    });
        });
        SimpleAsyncTaskExecutor threads = new SimpleAsyncTaskExecutor("usage-backfill-");
        threads.setConcurrencyLimit(parts.size());
        return new StepBuilder("loadTokenUsage", jobRepository)
                .partitioner("loadPartition", gridSize -> partitionContexts(parts.size()))
                .step(worker)
                .gridSize(parts.size())
                .taskExecutor(parts.size() == 1 ? new SyncTaskExecutor() : threads)
                .listener((StepExecutionListener) progress)
                .build();
    }

    private static final String PARTITION = "partition";

    private static Map<String, ExecutionContext> partitionContexts(int partitions) {
        Map<String, ExecutionContext> contexts = new LinkedHashMap<>();
        for (int p = 0; p < partitions; p++) {
            ExecutionContext context = new ExecutionContext();
            context.putInt(PARTITION, p);
            contexts.put(PARTITION + p, context);
        }
        return contexts;
    }

    /** One partition's chunk step: reads, parses, normalises and loads its files, each chunk with its checkpoint. */
    private static Step loadPartition(String name, int partition, List<List<SourceFile>> parts,
            JobRepository jobRepository, PlatformTransactionManager chunkTransactionManager,
            JobExecution jobExecution, CheckpointStore checkpointStore, ObjectProvider<DataSource> dataSource,
            RunSkipLimit skipLimit, Consumer<Progress.Snapshot> progress) throws IOException, SQLException {
        JobParameters parameters = jobExecution.getJobParameters();
        List<SourceFile> files = parts.get(partition);
        int maxLineBytes = parameters.getLong(MAX_LINE_BYTES).intValue();
        LogLineReader reader = new LogLineReader(files, maxLineBytes,
                Boolean.parseBoolean(parameters.getString(STRICT)));
        TokenUsageProcessor processor = new TokenUsageProcessor(new EventRecognizer(),
                new EventNormalizer(providers(parameters.getString(PROVIDER_MAP))), maxLineBytes,
                TimeWindow.saved(parameters.getString(SINCE), parameters.getString(UNTIL)),
                prices(parameters.getString(PRICES)));
        RejectsFile rejects = new RejectsFile(
                RejectsParts.part(Path.of(parameters.getString(REJECTS)), partition, parts.size()));
        RowSink rowSink = rowSink(parameters, dataSource, jobExecution.getJobInstance().getInstanceId());
        CheckpointStream checkpoint = new CheckpointStream(jobExecution.getJobInstance().getInstanceId(), partition,
                checkpointStore, reader, processor, rejects, rowSink);
        Runnable publish = () -> progress.accept(new Progress.Snapshot(Progress.bytesDone(files, reader.position()),
                reader.position().linesRead(), rowSink.tally().inserted() + rowSink.tally().duplicates(),
                rejects.position().count()));
        return new StepBuilder(name, jobRepository)
                .<LogLine, TokenUsage>chunk(parameters.getLong(CHUNK_SIZE).intValue())
                .transactionManager(chunkTransactionManager)
                .reader(reader)
                .processor(processor)
                .writer(rowSink)
                .faultTolerant()
                .skipPolicy(skipLimit.forPartition(partition))
                .skipListener(new RejectedLineListener(rejects, rejectsTable(jobExecution, dataSource)))
                .stream(checkpoint)
                .listener(new ChunkListener<LogLine, TokenUsage>() {
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

    private static Progress.Snapshot snapshot(List<SourceFile> files, Checkpoint saved) {
        return new Progress.Snapshot(Progress.bytesDone(files, saved.read()), saved.read().linesRead(),
                saved.load().inserted() + saved.load().duplicates(), saved.rejects().count());
    }

    private static Progress.Snapshot sum(Collection<Progress.Snapshot> partitions) {
        long bytes = 0;
        long lines = 0;
        long rows = 0;
        long rejected = 0;
        for (Progress.Snapshot p : partitions) {
            bytes += p.bytesDone();
            lines += p.linesRead();
            rows += p.rows();
            rejected += p.rejected();
        }
        return new Progress.Snapshot(bytes, lines, rows, rejected);
    }

    /**
     * A partitioned run's rejects files become one: merged first (a merge cut short is done again), then, once
     * that is recorded, the parts deleted.
     */
    @Bean
    Step mergeRejects(JobRepository jobRepository, PlatformTransactionManager chunkTransactionManager) {
        return new StepBuilder("mergeRejects", jobRepository).tasklet((contribution, chunkContext) -> {
            StepExecution step = contribution.getStepExecution();
            int partitions = Manifest.readParts(step.getJobExecution().getExecutionContext().getString(PARTITIONS))
                    .size();
            Path rejects = Path.of(step.getJobParameters().getString(REJECTS));
            if (!step.getExecutionContext().containsKey(REJECTS_MERGED)) {
                RejectsParts.merge(rejects, partitions);
                step.getExecutionContext().putString(REJECTS_MERGED, "true");
                return RepeatStatus.CONTINUABLE;
            }
            RejectsParts.deleteParts(rejects, partitions);
            return RepeatStatus.FINISHED;
        }, chunkTransactionManager).build();
    }

    private static final String REJECTS_MERGED = "rejectsMerged";

    /** The DataSource's transaction manager; without it each COPY would commit on its own, apart from the checkpoint. */
    @Bean
    PlatformTransactionManager chunkTransactionManager(ObjectProvider<DataSource> dataSource) {
        DataSource ds = dataSource.getIfAvailable();
        return ds == null ? new ResourcelessTransactionManager()
                : new org.springframework.jdbc.support.JdbcTransactionManager(ds);
    }

    @Bean
    CheckpointStore checkpointStore(ObjectProvider<DataSource> dataSource) {
        DataSource ds = dataSource.getIfAvailable();
        return ds == null ? new InMemoryCheckpointStore() : new JdbcCheckpointStore(new JdbcTemplate(ds));
    }

    private static Progress.Mode progressMode(String mode) {
        return mode == null || mode.isEmpty() ? Progress.Mode.QUIET : Progress.Mode.valueOf(mode);
    }

    private static PriceList prices(String file) {
        return file == null || file.isEmpty() ? PriceList.NONE : PriceList.read(Path.of(file));
    }

    private static ProviderCatalog providers(String providerMap) throws IOException {
        return providerMap == null || providerMap.isEmpty() ? ProviderCatalog.builtIn()
                : ProviderCatalog.withFile(Path.of(providerMap));
    }

    private static RowSink rowSink(JobParameters parameters, ObjectProvider<DataSource> dataSource,
            long jobInstanceId) throws SQLException {
        String csvOut = parameters.getString(CSV_OUT);
        if (csvOut != null && !csvOut.isEmpty()) {
            return new CsvFileWriter(Path.of(csvOut));
        }
        DataSource ds = dataSource.getObject();
        TargetTable target = TargetTable.parse(parameters.getString(TABLE));
        try (Connection connection = ds.getConnection()) {
            TokenUsageLoader loader = new TokenUsageLoader(target, TableShape.inspect(connection, target));
            return new TokenUsageWriter(ds, Boolean.parseBoolean(parameters.getString(DRY_RUN))
                    ? new DryRunPlanner(loader, jobInstanceId) : loader);
        }
    }
}
