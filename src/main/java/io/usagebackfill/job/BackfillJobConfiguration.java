package io.usagebackfill.job;

import static io.usagebackfill.job.JobParameterNames.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import javax.sql.DataSource;

import io.micrometer.observation.ObservationRegistry;

import io.usagebackfill.checkpoint.Checkpoint;
import io.usagebackfill.checkpoint.CheckpointStore;
import io.usagebackfill.checkpoint.InMemoryCheckpointStore;
import io.usagebackfill.checkpoint.JdbcCheckpointStore;
import io.usagebackfill.config.SessionFreeTransactionManager;
import io.usagebackfill.load.DryRunPlanner;
import io.usagebackfill.load.RunXids;
import io.usagebackfill.load.TokenUsageLoader;
import io.usagebackfill.metrics.RunMetrics;
import io.usagebackfill.read.ReadPlan;
import io.usagebackfill.load.CsvParts;
import io.usagebackfill.reject.RejectsParts;
import io.usagebackfill.run.StopRequest;
import io.usagebackfill.source.FileLedger;
import io.usagebackfill.source.Manifest;
import io.usagebackfill.source.SourceDiscovery;
import io.usagebackfill.source.SourceFile;
import org.springframework.batch.core.configuration.annotation.JobScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParameters;
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
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The backfill job: {@code discoverLogFiles} fixes the run's file list and splits it into partitions,
 * {@code prepareTable} looks at the table (and, on one partitioned by time, at the times of the events, for the
 * partitions they need), then {@code loadTokenUsage} reads, parses, normalises and loads each partition in chunks,
 * each chunk's rows and checkpoint committing in one transaction; {@code mergeRejects} and {@code recordFileLedger}
 * finish. Wiring only.
 */
@Configuration(proxyBeanMethods = false)
public class BackfillJobConfiguration {

    @Bean
    Job tokenUsageBackfill(JobRepository jobRepository, Step discoverLogFiles, Step prepareTable,
            Step loadTokenUsage, Step mergeRejects, Step recordFileLedger, ObjectProvider<DataSource> dataSource,
            ObjectProvider<RunMetrics> metrics, CheckpointStore checkpointStore) {
        return new JobBuilder(JOB_NAME, jobRepository).listener(new RestartSpans(dataSource, jobRepository))
                .listener(new LiveMetrics(metrics, checkpointStore))
                .start(discoverLogFiles).next(prepareTable).next(loadTokenUsage).next(mergeRejects)
                .next(recordFileLedger).build();
    }

    /** See {@link TablePreparation}. */
    @Bean
    Step prepareTable(JobRepository jobRepository, PlatformTransactionManager chunkTransactionManager,
            ObjectProvider<DataSource> dataSource) {
        return new StepBuilder("prepareTable", jobRepository)
                .tasklet(new TablePreparation(dataSource.getIfAvailable()), chunkTransactionManager).build();
    }

    @Bean
    Step discoverLogFiles(JobRepository jobRepository, PlatformTransactionManager chunkTransactionManager,
            ObjectProvider<DataSource> dataSource) {
        return new StepBuilder("discoverLogFiles", jobRepository).tasklet((contribution, chunkContext) -> {
            StepExecution step = contribution.getStepExecution();
            String paths = step.getJobParameters().getString(PATHS);
            SourceDiscovery.Found found = new SourceDiscovery().discover(Arrays.asList(paths.split("\n")),
                    Boolean.parseBoolean(step.getJobParameters().getString(SKIP_UNREADABLE)));
            List<SourceFile> files = found.files();
            step.getJobExecution().getExecutionContext().putString(UNREADABLE, String.join("\n", found.unreadable()));
            step.getJobExecution().getExecutionContext().putString(LEFT_OUT,
                    String.join("\n", found.leftOut()));
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
            DataSource ds = dataSource.getIfAvailable();
            if (ds != null) {
                // On the step's own transaction: a second connection while it is open would need a second server
                // connection from a pooler that may have no more.
                long xid = new JdbcTemplate(ds).execute((ConnectionCallback<Long>) TokenUsageLoader::currentXid);
                step.getJobExecution().getExecutionContext().putString(RUN_XIDS, RunXids.startingAt(xid).write());
            }
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
            long run = job.getJobInstance().getInstanceId();
            if (Boolean.parseBoolean(step.getJobParameters().getString(DRY_RUN))) {
                new JdbcTemplate(dataSource.getObject()).execute((ConnectionCallback<Void>) connection -> {
                    DryRunPlanner.forget(connection, run);
                    return null;
                });
                return RepeatStatus.FINISHED;
            }
            DataSource ds = dataSource.getIfAvailable();
            if (ds != null) {
                new JdbcTemplate(ds).execute((ConnectionCallback<Void>) connection -> {
                    TokenUsageLoader.forget(connection, run);
                    return null;
                });
            }
            FileLedger ledger = ledger(step.getJobParameters(), dataSource);
            List<List<SourceFile>> parts = RunPartitions.of(job.getExecutionContext());
            if (ledger == null) {
                if (ds != null) {
                    FileLedger.recordRead(new JdbcTemplate(ds), step.getJobParameters().getString(TABLE),
                            parts.stream().flatMap(List::stream).toList(), job.getId());
                }
                return RepeatStatus.FINISHED;
            }
            List<Checkpoint> checkpoints = new ArrayList<>();
            boolean reconciles = true;
            for (int p = 0; p < parts.size(); p++) {
                checkpoints.add(checkpointStore.load(run, p).orElse(Checkpoint.start()));
                reconciles &= checkpoints.get(p).load().reconciles();
            }
            if (!reconciles) {
                // The files stay unread for the next incremental run: once the table is set right, it loads what
                // this run could not, where recording them would have left those events out for good.
                return RepeatStatus.FINISHED;
            }
            LedgerRecording.record(ledger, parts, checkpoints,
                    Manifest.read(job.getExecutionContext().getString(UNCHANGED)), job.getId());
            return RepeatStatus.FINISHED;
        }, chunkTransactionManager).build();
    }

    private static FileLedger ledger(JobParameters parameters, ObjectProvider<DataSource> dataSource) {
        DataSource ds = dataSource.getIfAvailable();
        if (ds == null || !Boolean.parseBoolean(parameters.getString(INCREMENTAL))) {
            return null;
        }
        return new FileLedger(new JdbcTemplate(ds), parameters.getString(TABLE));
    }

    /**
     * The load, split into the partitions {@code discoverLogFiles} planned (one without {@code --threads} or
     * {@code --partitions}), run where the {@link PartitionRunner} runs them; see {@link PartitionedLoad}.
     */
    @Bean
    @JobScope
    Step loadTokenUsage(JobRepository jobRepository, PlatformTransactionManager chunkTransactionManager,
            @Value("#{jobExecution}") JobExecution jobExecution, CheckpointStore checkpointStore,
            ObjectProvider<DataSource> dataSource, StopRequest stopRequest, PartitionRunner partitionRunner,
            ObjectProvider<RunMetrics> metrics) throws Exception {
        // The partitions' chunk steps are made per run, not as beans: they get the observations from here.
        ObservationRegistry observations = metrics.getIfAvailable() == null ? ObservationRegistry.NOOP
                : metrics.getIfAvailable().observations();
        return new PartitionedLoad(jobRepository, chunkTransactionManager, jobExecution, checkpointStore, dataSource,
                stopRequest::requested, true, observations).step(partitionRunner);
    }

    /** The partition worker step as a remote worker looks it up by name, for the partitions it is handed. */
    @Bean(PARTITION_STEP)
    Step loadPartition(JobRepository jobRepository, PlatformTransactionManager chunkTransactionManager,
            CheckpointStore checkpointStore, ObjectProvider<DataSource> dataSource, StopRequest stopRequest) {
        return PartitionedLoad.remoteWorker(jobRepository, chunkTransactionManager, checkpointStore, dataSource,
                stopRequest::requested);
    }

    /**
     * A partitioned run's rejects files become one: merged first (a merge cut short is done again), then, once
     * that is recorded, the parts deleted.
     */
    @Bean
    Step mergeRejects(JobRepository jobRepository, PlatformTransactionManager chunkTransactionManager) {
        return new StepBuilder("mergeRejects", jobRepository).tasklet((contribution, chunkContext) -> {
            StepExecution step = contribution.getStepExecution();
            int partitions = RunPartitions.of(step.getJobExecution().getExecutionContext()).size();
            Path rejects = Path.of(step.getJobParameters().getString(REJECTS));
            if (!step.getExecutionContext().containsKey(REJECTS_MERGED)) {
                String csvOut = step.getJobParameters().getString(CSV_OUT);
                if (csvOut != null && !csvOut.isEmpty()) {
                    // An export has no restart (no database keeps its run), so its parts become the file at once.
                    CsvParts.merge(Path.of(csvOut), partitions);
                }
                RejectsParts.merge(rejects, partitions);
                step.getExecutionContext().putString(REJECTS_MERGED, "true");
                return RepeatStatus.CONTINUABLE;
            }
            RejectsParts.deleteParts(rejects, partitions);
            return RepeatStatus.FINISHED;
        }, chunkTransactionManager).build();
    }

    private static final String REJECTS_MERGED = "rejectsMerged";

    /**
     * The DataSource's transaction manager, for the chunks and the job repository alike; without it each COPY would
     * commit on its own, apart from the checkpoint. Each transaction makes its settings itself (a pooler's next
     * transaction may run on another server session).
     */
    @Bean
    PlatformTransactionManager chunkTransactionManager(ObjectProvider<DataSource> dataSource,
            @Value("${" + SessionFreeTransactionManager.STATEMENT_TIMEOUT + ":0}") int statementTimeoutSeconds) {
        DataSource ds = dataSource.getIfAvailable();
        return ds == null ? new ResourcelessTransactionManager()
                : new SessionFreeTransactionManager(ds, statementTimeoutSeconds);
    }

    @Bean
    CheckpointStore checkpointStore(ObjectProvider<DataSource> dataSource) {
        DataSource ds = dataSource.getIfAvailable();
        return ds == null ? new InMemoryCheckpointStore() : new JdbcCheckpointStore(new JdbcTemplate(ds));
    }
}
