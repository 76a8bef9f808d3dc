package io.usagebackfill.job;

import java.time.LocalDateTime;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;

/**
 * The worker of the partitioned load: builds the chunk step for the partition it is handed (its reader over the
 * partition's files, its own writer, rejects file and checkpoint) and runs it. Building per partition is what lets
 * the same worker run on this machine's threads or, with a remote partition handler, in another process.
 */
final class PartitionWorkerStep implements Step {

    /** Builds the chunk step of one partition from its step execution (whose context names the partition). */
    interface Factory {
        Step build(StepExecution partition) throws Exception;
    }

    private final String name;
    private final JobRepository repository;
    private final Factory factory;

    PartitionWorkerStep(String name, JobRepository repository, Factory factory) {
        this.name = name;
        this.repository = repository;
        this.factory = factory;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public void execute(StepExecution partition) throws JobInterruptedException {
        Step step;
        try {
            step = factory.build(partition);
        } catch (Exception e) {
            // Fails the partition, hence the run, with the reason, as a failure inside the chunk step would.
            partition.addFailureException(e);
            partition.setStatus(BatchStatus.FAILED);
            partition.setExitStatus(ExitStatus.FAILED.addExitDescription(e));
            partition.setEndTime(LocalDateTime.now());
            repository.update(partition);
            return;
        }
        step.execute(partition);
    }
}
