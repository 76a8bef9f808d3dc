package io.usagebackfill.run;

import static io.usagebackfill.job.JobParameterNames.*;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import io.usagebackfill.checkpoint.Checkpoint;
import io.usagebackfill.checkpoint.CheckpointStore;
import io.usagebackfill.job.PartitionRunner;
import io.usagebackfill.report.Progress;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.stereotype.Component;

/**
 * Starts, restarts and lists backfill runs through Spring Batch. A "run" is a job instance; each start or restart
 * of it is an execution. Every {@code import} is a new run, so importing the same logs again is allowed (and loads
 * nothing twice). Thread-safe as far as Spring Batch's operator is.
 */
@Component
public class BackfillRuns {

    /** The exit status of a run that completed without reconciling, and its status in reports. */
    public static final String NOT_RECONCILED = "NOT_RECONCILED";

    private final JobOperator operator;
    private final JobRepository repository;
    private final Job job;
    private final CheckpointStore checkpoints;
    private final PartitionRunner partitionRunner;

    public BackfillRuns(JobOperator operator, JobRepository repository, Job job, CheckpointStore checkpoints,
            PartitionRunner partitionRunner) {
        this.operator = operator;
        this.repository = repository;
        this.job = job;
        this.checkpoints = checkpoints;
        this.partitionRunner = partitionRunner;
    }

    public JobExecution start(ImportRequest request) throws Exception {
        JobParametersBuilder builder = new JobParametersBuilder()
                .addString(PATHS, String.join("\n", request.paths()), true)
                .addString(REQUESTED_AT, Instant.now().toString(), request.runKey() == null);
        if (request.runKey() != null) {
            builder.addString(RUN_KEY, request.runKey(), true);
        }
        JobParameters parameters = builder
                .addString(REJECTS, request.rejects(), false)
                .addString(CSV_OUT, request.csvOut() == null ? "" : request.csvOut(), false)
                .addLong(CHUNK_SIZE, (long) request.chunkSize(), false)
                .addLong(SKIP_LIMIT, request.skipLimit(), false)
                .addLong(MAX_LINE_BYTES, (long) request.maxLineBytes(), false)
                .addString(STRICT, Boolean.toString(request.strict()), false)
                .addString(TABLE, request.table(), false)
                .addString(PROVIDER_MAP, request.providerMap() == null ? "" : request.providerMap(), false)
                .addString(SINCE, text(request.window().since()), false)
                .addString(UNTIL, text(request.window().until()), false)
                .addString(INCREMENTAL, Boolean.toString(request.incremental()), false)
                .addString(PRICES, request.prices() == null ? "" : request.prices(), false)
                .addString(DRY_RUN, Boolean.toString(request.dryRun()), false)
                .addString(PROGRESS, request.progress(), false)
                .addLong(PROGRESS_EVERY, (long) request.progressEverySeconds(), false)
                .addLong(THREADS, (long) request.threads(), false)
                .addString(SKIP_UNREADABLE, Boolean.toString(request.skipUnreadable()), false)
                .addString(BROKER_QUEUE, partitionRunner.queue(), false)
                .addString(FIELDS, request.fields() == null ? "" : request.fields(), false)
                .addString(LOG_TIMEZONE, request.logTimezone() == null ? "" : request.logTimezone(), false)
                .addString(FIXES, request.fixes() == null ? "" : request.fixes(), false)
                .addString(REPLACE_FIXED, Boolean.toString(request.replaceFixed()), false)
                .addString(METRICS_RUN, request.metricsRun(), false)
                .addString(CREATE_PARTITIONS, Boolean.toString(request.createPartitions()), false)
                .toJobParameters();
        if (request.runKey() != null) {
            settleEarlierRun(request.runKey(), parameters);
        }
        return operator.start(job, parameters);
    }

    /**
     * Restarts the given execution, or the latest run that did not complete. A run still marked as running was
     * left by a crashed process (the caller holds the run lock, so no live process owns it): it is marked failed
     * first, then restarted from its last checkpoint.
     *
     * <p>A new {@code skipLimit} replaces the failed run's: it is not an identifying parameter, so starting the same
     * identifying parameters again is still a restart of the same run from its checkpoint.
     *
     * <p>The progress is shown as the terminal the restart runs on calls for (a bar there, lines in a log), not as
     * the first execution's was; a run that asked for JSON lines or quiet keeps that.
     *
     * @param paths only the runs over these PATH arguments (a job file's), or null for any
     * @param progressMode how to show progress, as the restart's own options ask; null: as the terminal calls for
     * @param onTerminal whether stderr is a terminal now
     * @throws NothingToRestartException when there is no such execution, or it completed
     * @throws NoSuchExecutionException when {@code executionId} names no execution
     */
    public JobExecution restart(Long executionId, Long skipLimit, String paths, Progress.Mode progressMode,
            boolean onTerminal) throws Exception {
        JobExecution target = executionId != null ? execution(executionId) : latestUnfinished(paths).orElse(null);
        if (target == null && executionId != null) {
            throw new NoSuchExecutionException("there is no execution " + executionId
                    + "; `status` lists the runs and their executions");
        }
        if (target == null) {
            throw new NothingToRestartException("there is no failed or interrupted run to restart"
                    + (paths == null ? "" : " of this job") + "; `status` lists the runs");
        }
        BatchStatus status = target.getStatus();
        if (status == BatchStatus.COMPLETED || status == BatchStatus.ABANDONED) {
            throw new NothingToRestartException("execution " + target.getId() + " is " + status
                    + ", so there is nothing to restart; run `import` to load new logs");
        }
        checkSameRunner(target);
        settleCrashed(target);
        JobParametersBuilder parameters = new JobParametersBuilder(target.getJobParameters());
        if (skipLimit != null) {
            parameters.addLong(SKIP_LIMIT, skipLimit, false);
        }
        String progress = target.getJobParameters().getString(PROGRESS);
        if (progressMode == Progress.Mode.QUIET && ("JSON".equals(progress) || "QUIET_JSON".equals(progress))) {
            // A run that logged JSON keeps its summary JSON when restarted quietly.
            parameters.addString(PROGRESS, Progress.Mode.QUIET_JSON.name(), false);
        } else if (progressMode != null) {
            parameters.addString(PROGRESS, progressMode.name(), false);
        } else if ("BAR".equals(progress) || "TEXT".equals(progress)) {
            parameters.addString(PROGRESS, onTerminal ? "BAR" : "TEXT", false);
        }
        return operator.start(job, parameters.toJobParameters());
    }

    /**
     * Records that a run completed without reconciling, as its exit status (its batch status stays COMPLETED: there
     * is nothing to restart), so {@code status} and every later attempt of its run key say so.
     */
    public void recordNotReconciled(JobExecution execution, String why) {
        execution.setExitStatus(new ExitStatus(NOT_RECONCILED, why));
        repository.update(execution);
    }

    /** A run whose partitions went to workers is restarted through a broker, and one that ran here without. */
    private void checkSameRunner(JobExecution target) {
        String queue = target.getJobParameters().getString(BROKER_QUEUE);
        boolean sentToWorkers = queue != null && !queue.isEmpty();
        if (sentToWorkers && partitionRunner.queue().isEmpty()) {
            throw new IllegalArgumentException("execution " + target.getId() + " sent its partitions to workers"
                    + " through queue " + queue + "; restart it with --broker URL (or USAGE_BACKFILL_BROKER) and"
                    + " --broker-queue " + queue + ", with workers running");
        }
        if (!sentToWorkers && !partitionRunner.queue().isEmpty()) {
            throw new IllegalArgumentException("execution " + target.getId() + " ran its partitions on this"
                    + " machine's threads; restart it without --broker (and without USAGE_BACKFILL_BROKER)");
        }
    }

    /**
     * A run key names one run (the nightly of one day): starting it again reports it done when it completed, and
     * otherwise resumes it from its checkpoint, after marking a crashed execution failed (the caller holds the run
     * lock, so nobody is running it).
     *
     * @throws AlreadyCompletedException when the run completed before
     */
    private void settleEarlierRun(String runKey, JobParameters parameters) {
        JobExecution last = repository.getLastJobExecution(JOB_NAME, parameters);
        if (last == null) {
            return;
        }
        BatchStatus status = last.getStatus();
        if (status == BatchStatus.COMPLETED && NOT_RECONCILED.equals(last.getExitStatus().getExitCode())) {
            throw new AlreadyCompletedException("the run " + runKey + " completed, but did NOT reconcile (run "
                    + last.getJobInstance().getInstanceId() + ", execution " + last.getId() + "): "
                    + last.getExitStatus().getExitDescription() + ". A retry of the same run key cannot change"
                    + " that; once the table or the logs are set right, import under another run key",
                    last.getId(), true);
        }
        if (status == BatchStatus.COMPLETED) {
            throw new AlreadyCompletedException("the run " + runKey + " already completed (run "
                    + last.getJobInstance().getInstanceId() + ", execution " + last.getId() + ", ended "
                    + (last.getEndTime() == null ? "at an unknown time" : last.getEndTime().truncatedTo(
                            java.time.temporal.ChronoUnit.SECONDS).atZone(java.time.ZoneId.systemDefault())
                            .toOffsetDateTime().format(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME))
                    + "); nothing to do", last.getId());
        }
        settleCrashed(last);
    }

    /**
     * Records as FAILED what a crashed process left marked as running, the run or any of its steps, and what Spring
     * Batch marked UNKNOWN (the database went away before it could record the outcome); Spring Batch restarts
     * neither. Here it is safe to: the rows and the checkpoint committed together, so the checkpoint is exactly
     * what is in the table, and the caller's run lock means nobody else is running it.
     *
     * <p>The steps count on their own: a process ended by a second signal may have recorded the run's stop
     * (STOPPED) but not yet its steps', which are then left STARTED under a run that is not.
     */
    private void settleCrashed(JobExecution execution) {
        Predicate<BatchStatus> leftRunning = status -> status == BatchStatus.UNKNOWN || status.isRunning();
        if (leftRunning.test(execution.getStatus())) {
            mark(execution, leftRunning, BatchStatus.FAILED, ExitStatus.FAILED);
        } else {
            markSteps(execution, leftRunning, BatchStatus.FAILED, ExitStatus.FAILED);
        }
    }

    /** Records the run, and those of its steps whose status {@code which} picks, as ended with {@code status}. */
    private void mark(JobExecution execution, Predicate<BatchStatus> which, BatchStatus status, ExitStatus exit) {
        markSteps(execution, which, status, exit);
        execution.setStatus(status);
        execution.setExitStatus(exit);
        if (execution.getEndTime() == null) {
            execution.setEndTime(LocalDateTime.now());
        }
        repository.update(execution);
    }

    private void markSteps(JobExecution execution, Predicate<BatchStatus> which, BatchStatus status,
            ExitStatus exit) {
        for (StepExecution step : execution.getStepExecutions()) {
            if (which.test(step.getStatus())) {
                step.setStatus(status);
                step.setExitStatus(exit);
                if (step.getEndTime() == null) {
                    step.setEndTime(LocalDateTime.now());
                }
                repository.update(step);
            }
        }
    }

    /** The execution, or null; Spring Batch's lookup answers a missing one with "Incorrect result size". */
    private JobExecution execution(long id) {
        try {
            return repository.getJobExecution(id);
        } catch (org.springframework.dao.IncorrectResultSizeDataAccessException e) {
            return null;
        }
    }

    /**
     * A run asked to stop ends with the chunk in flight refused ({@link org.springframework.batch.core.job
     * .JobInterruptedException}), which a partitioned step reports as a failure: it is recorded as what it is,
     * STOPPED, as Spring Batch's own stop records it, and restartable like any stopped run.
     */
    public JobExecution settleStopped(JobExecution execution) {
        if (execution.getStatus() != BatchStatus.FAILED || !interrupted(execution.getAllFailureExceptions())) {
            return execution;
        }
        mark(execution, step -> step == BatchStatus.FAILED || step.isRunning(), BatchStatus.STOPPED,
                ExitStatus.STOPPED);
        return execution;
    }

    private static boolean interrupted(List<Throwable> failures) {
        for (Throwable failure : failures) {
            for (Throwable t = failure; t != null; t = t.getCause()) {
                if (t instanceof org.springframework.batch.core.job.JobInterruptedException) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String text(Instant instant) {
        return instant == null ? "" : instant.toString();
    }

    /** The most recent runs, newest first, each with its last execution. */
    public List<JobExecution> recent(int count) {
        List<JobExecution> executions = new ArrayList<>();
        for (JobInstance instance : repository.getJobInstances(JOB_NAME, 0, count)) {
            JobExecution last = repository.getLastJobExecution(instance);
            if (last != null) {
                executions.add(last);
            }
        }
        return executions;
    }

    /** The run's latest committed checkpoint, its partitions' added up. */
    public Checkpoint checkpoint(JobExecution execution) {
        List<Checkpoint> partitions = checkpoints.loadAll(execution.getJobInstance().getInstanceId());
        return partitions.isEmpty() ? Checkpoint.start() : Checkpoint.sum(partitions);
    }

    Optional<JobExecution> latestUnfinished(String paths) {
        return recent(100).stream()
                .filter(e -> e.getStatus() != BatchStatus.COMPLETED && e.getStatus() != BatchStatus.ABANDONED)
                .filter(e -> paths == null || paths.equals(e.getJobParameters().getString(PATHS)))
                .findFirst();
    }

    /** Every execution of the run, oldest first: its first start and each restart. */
    public List<JobExecution> history(JobInstance instance) {
        List<JobExecution> executions = new ArrayList<>(repository.getJobExecutions(instance));
        executions.sort(java.util.Comparator.comparing(JobExecution::getId));
        return executions;
    }
}
