package io.usagebackfill.remote;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

import io.usagebackfill.report.FailureMessages;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.batch.integration.partition.StepExecutionRequestHandler;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.integration.StaticMessageHeaderAccessor;
import org.springframework.integration.acks.AcknowledgmentCallback;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;

/**
 * A worker process's side of remote partitioning: takes one partition request at a time from the queue (polled
 * only when idle, so partitions go to whichever worker is free) and runs it with Spring Batch Integration's
 * {@link StepExecutionRequestHandler}, which looks the worker step up by name. A request is acknowledged when taken,
 * so a partition can run for longer than the broker lets a delivery stay unacknowledged; a worker that dies with it
 * leaves it to the manager's partition timeout. A request whose partition is no longer waiting (it ran, or its run
 * ended) is dropped. On stop, the partition in flight gets a bounded time to commit its chunk, then goes back to
 * the queue as STARTING, to resume from its checkpoint on another worker. Thread-safe.
 */
public final class PartitionWorker {

    private final JobRepository repository;
    private final StepExecutionRequestHandler handler;
    private final String database;
    private final BiConsumer<StepExecutionRequest, MessageHeaders> handBack;
    private final PrintStream err;
    private final LongSupplier clock;
    private volatile boolean stopping;
    /** Between taking a request and being done with it. */
    private volatile boolean busy;
    /** The request whose partition this worker runs, once it claimed it. */
    private volatile StepExecutionRequest inFlight;
    private volatile long idleSince;

    /**
     * @param database this worker's database ({@link DatabaseIdentity})
     * @param handBack puts a request, with the headers that say whose it is, back on the queue for another worker
     */
    PartitionWorker(JobRepository repository, StepExecutionRequestHandler handler, String database,
            BiConsumer<StepExecutionRequest, MessageHeaders> handBack, PrintStream err, LongSupplier clock) {
        this.repository = repository;
        this.handler = handler;
        this.database = database;
        this.handBack = handBack;
        this.err = err;
        this.clock = clock;
        this.idleSince = clock.getAsLong();
    }

    /** Takes one request from the queue and runs its partition on the calling (poller) thread. */
    public void take(Message<StepExecutionRequest> message) {
        AcknowledgmentCallback ack = StaticMessageHeaderAccessor.getAcknowledgmentCallback(message);
        synchronized (this) {
            if (stopping) {
                if (ack != null) {
                    ack.acknowledge(AcknowledgmentCallback.Status.REQUEUE);
                }
                return;
            }
            busy = true;
        }
        if (ack != null) {
            ack.acknowledge(AcknowledgmentCallback.Status.ACCEPT);
        }
        StepExecutionRequest request = message.getPayload();
        try {
            StepExecution partition = otherDatabase(message) ? null : stepExecution(request.getStepExecutionId());
            if (otherDatabase(message) || fromElsewhere(message, partition)) {
                handBack.accept(request, message.getHeaders());
                err.println("worker: a request on this queue is for job execution " + message.getHeaders()
                        .get(PartitionRequests.JOB_EXECUTION) + " of another database (" + message.getHeaders()
                        .getOrDefault(PartitionRequests.DATABASE, "not this one's step execution "
                        + request.getStepExecutionId()) + "); put it back. Give each database its own"
                        + " --broker-queue");
                // A while of its own, so that two workers of two databases, each handed the other's request,
                // do not take them back in the same order for ever.
                TimeUnit.MILLISECONDS.sleep(1_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(5_000));
                return;
            }
            String waiting = waiting(partition);
            if (waiting != null) {
                err.println("worker: dropped a request for step execution " + request.getStepExecutionId() + ": "
                        + waiting);
                return;
            }
            inFlight = request;
            err.println("worker: running " + describe(partition));
            StepExecution ended = handler.handle(request);
            if (ended.getStatus() == BatchStatus.FAILED) {
                recordWhy(ended);
            }
            err.println("worker: " + describe(partition) + " ended " + ended.getStatus() + " (" + ended.getReadCount()
                    + " read, " + ended.getWriteCount() + " written, " + ended.getSkipCount() + " rejected)");
        } catch (RuntimeException e) {
            err.println("worker: step execution " + request.getStepExecutionId() + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inFlight = null;
            idleSince = clock.getAsLong();
            busy = false;
        }
    }

    /**
     * Replaces the stack trace Spring Batch records for a failed partition (cut at the column's width, often before
     * its cause) with the sentence a local run would print, for the manager to report.
     */
    private void recordWhy(StepExecution failed) {
        if (failed.getFailureExceptions().isEmpty()) {
            return;
        }
        failed.setExitStatus(new ExitStatus(ExitStatus.FAILED.getExitCode(),
                FailureMessages.describe(failed.getFailureExceptions())));
        try {
            repository.update(failed);
        } catch (RuntimeException e) {
            // The trace stays; the manager names the partition either way.
        }
    }

    /** A request whose header names another database than this worker's (older managers name none). */
    private boolean otherDatabase(Message<StepExecutionRequest> message) {
        Object manager = message.getHeaders().get(PartitionRequests.DATABASE);
        return manager != null && !manager.toString().equals(database);
    }

    /** The step execution, or null when this database has none of that id. */
    private StepExecution stepExecution(long id) {
        try {
            return repository.getStepExecution(id);
        } catch (org.springframework.dao.IncorrectResultSizeDataAccessException e) {
            return null;
        }
    }

    /** A request whose header names another job execution than the step execution's here is another database's. */
    private static boolean fromElsewhere(Message<StepExecutionRequest> message, StepExecution partition) {
        Object jobExecution = message.getHeaders().get(PartitionRequests.JOB_EXECUTION);
        return jobExecution != null && (partition == null
                || !jobExecution.toString().equals(String.valueOf(partition.getJobExecutionId())));
    }

    /** Null when the partition waits for a worker; else why it does not. */
    private static String waiting(StepExecution partition) {
        if (partition == null) {
            return "there is no such step execution in this database (is the worker on the manager's database?)";
        }
        BatchStatus run = partition.getJobExecution().getStatus();
        if (run != BatchStatus.STARTED) {
            return "its run is " + run;
        }
        return partition.getStatus() == BatchStatus.STARTING ? null : "it is " + partition.getStatus()
                + ", not waiting for a worker";
    }

    private static String describe(StepExecution partition) {
        return partition.getStepName().substring(partition.getStepName().lastIndexOf(':') + 1)
                .replace("partition", "partition ") + " of run " + partition.getJobExecution().getJobInstance()
                .getInstanceId() + " (execution " + partition.getJobExecutionId() + ")";
    }

    /** Blocks until no partition has run or arrived for {@code idle}; for ever when it is null. */
    public void awaitIdle(Duration idle) throws InterruptedException {
        while (idle == null || busy || clock.getAsLong() - idleSince < idle.toNanos()) {
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    /**
     * Stops taking partitions; the one in flight gets up to {@code grace} to commit the chunk it is on, then is
     * handed back to the queue (a chunk begun since rolls back when the process ends).
     *
     * @return whether a partition was handed back
     */
    public boolean stop(Duration grace) throws InterruptedException {
        synchronized (this) {
            stopping = true;
        }
        long checking = clock.getAsLong() + Duration.ofSeconds(5).toNanos();
        while (busy && inFlight == null && clock.getAsLong() < checking) {
            // A request just taken is being checked: it is either dropped or claimed in a moment.
            TimeUnit.MILLISECONDS.sleep(10);
        }
        StepExecutionRequest request = inFlight;
        if (request == null) {
            return false;
        }
        Integer version = repository.getStepExecution(request.getStepExecutionId()).getVersion();
        long deadline = clock.getAsLong() + grace.toNanos();
        while (inFlight != null && clock.getAsLong() < deadline) {
            StepExecution now = repository.getStepExecution(request.getStepExecutionId());
            if (!now.getVersion().equals(version) || !now.getStatus().isRunning()) {
                break;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        return inFlight != null && handBack(request);
    }

    /** Back to STARTING, which also fences this process's own step (its next commit fails), then to the queue. */
    private boolean handBack(StepExecutionRequest request) {
        while (true) {
            StepExecution partition = repository.getStepExecution(request.getStepExecutionId());
            if (!partition.getStatus().isRunning()) {
                return false;
            }
            partition.setStatus(BatchStatus.STARTING);
            try {
                repository.update(partition);
                handBack.accept(request, new MessageHeaders(java.util.Map.of(PartitionRequests.JOB_EXECUTION,
                        partition.getJobExecutionId(), PartitionRequests.DATABASE, database)));
                err.println("worker: stopped; " + describe(partition) + " went back to the queue, to resume from"
                        + " its last committed chunk");
                return true;
            } catch (OptimisticLockingFailureException e) {
                // A chunk committed meanwhile: take the new version, so that chunk stays and nothing after it does.
            }
        }
    }
}
