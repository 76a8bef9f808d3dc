package io.usagebackfill.job;

import static io.usagebackfill.job.JobParameterNames.*;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

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
import io.usagebackfill.normalize.RejectedLineException;
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
import org.springframework.batch.core.step.skip.LimitCheckingExceptionHierarchySkipPolicy;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.batch.infrastructure.support.transaction.ResourcelessTransactionManager;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The backfill job: {@code discoverLogFiles} fixes the run's file list, then {@code loadTokenUsage} reads, parses,
 * normalises and loads in chunks, each chunk's rows and checkpoint committing in one transaction. Wiring only.
 */
@Configuration(proxyBeanMethods = false)
public class BackfillJobConfiguration {

    @Bean
    Job tokenUsageBackfill(JobRepository jobRepository, Step discoverLogFiles, Step loadTokenUsage,
            Step recordFileLedger) {
        return new JobBuilder(JOB_NAME, jobRepository).start(discoverLogFiles).next(loadTokenUsage)
                .next(recordFileLedger).build();
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
            List<SourceFile> read = Manifest.read(job.getExecutionContext().getString(MANIFEST));
            var checkpoint = checkpointStore.load(job.getJobInstance().getInstanceId());
            for (ReadPosition.FileEnd end : checkpoint.map(c -> c.read().finished()).orElse(List.of())) {
                ledger.record(read.get(end.fileIndex()), end.offset(), end.lines(), job.getId());
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

    @Bean
    @JobScope
    Step loadTokenUsage(JobRepository jobRepository, PlatformTransactionManager chunkTransactionManager,
            @Value("#{jobExecution}") JobExecution jobExecution, CheckpointStore checkpointStore,
            ObjectProvider<DataSource> dataSource) throws IOException, SQLException {
        JobParameters parameters = jobExecution.getJobParameters();
        int maxLineBytes = parameters.getLong(MAX_LINE_BYTES).intValue();
        LogLineReader reader = new LogLineReader(
                Manifest.read(jobExecution.getExecutionContext().getString(MANIFEST)), maxLineBytes,
                Boolean.parseBoolean(parameters.getString(STRICT)));
        TokenUsageProcessor processor = new TokenUsageProcessor(new EventRecognizer(),
                new EventNormalizer(providers(parameters.getString(PROVIDER_MAP))), maxLineBytes,
                TimeWindow.saved(parameters.getString(SINCE), parameters.getString(UNTIL)),
                prices(parameters.getString(PRICES)));
        RejectsFile rejects = new RejectsFile(Path.of(parameters.getString(REJECTS)));
        RowSink rowSink = rowSink(parameters, dataSource, jobExecution.getJobInstance().getInstanceId());
        CheckpointStream checkpoint = new CheckpointStream(jobExecution.getJobInstance().getInstanceId(),
                checkpointStore, reader, processor, rejects, rowSink);
        Progress progress = new Progress(progressMode(parameters.getString(PROGRESS)),
                Duration.ofSeconds(parameters.getLong(PROGRESS_EVERY) == null ? 5 : parameters.getLong(PROGRESS_EVERY)),
                Manifest.read(jobExecution.getExecutionContext().getString(MANIFEST)),
                () -> new Progress.Snapshot(reader.position(), rowSink.tally().inserted() + rowSink.tally().duplicates(),
                        rejects.position().count()), System.err);
        return new StepBuilder("loadTokenUsage", jobRepository)
                .<LogLine, TokenUsage>chunk(parameters.getLong(CHUNK_SIZE).intValue())
                .transactionManager(chunkTransactionManager)
                .reader(reader)
                .processor(processor)
                .writer(rowSink)
                .faultTolerant()
                .skipPolicy(new LimitCheckingExceptionHierarchySkipPolicy(Set.of(RejectedLineException.class),
                        parameters.getLong(SKIP_LIMIT)))
                .skipListener(new RejectedLineListener(rejects, rejectsTable(jobExecution, dataSource)))
                .stream(checkpoint)
                .listener((ChunkListener<LogLine, TokenUsage>) progress)
                .listener((StepExecutionListener) progress)
                .build();
    }

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
