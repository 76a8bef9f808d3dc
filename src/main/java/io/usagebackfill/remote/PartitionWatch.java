package io.usagebackfill.remote;

import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.usagebackfill.job.JobParameterNames;
import io.usagebackfill.run.JobSchema;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The manager's watch over partitions that workers elsewhere run. A partition a worker took (STARTED) whose step
 * execution and checkpoint have not moved for the partition timeout has lost its worker: it is put back to
 * STARTING (which also fences the old worker: its next commit fails on the step execution's version) and sent
 * again, to resume from its checkpoint; if it stalls again, it is marked FAILED, naming it, and the run fails.
 * Partitions nobody took fail the same way once no worker has taken or moved any for the timeout, saying whether the
 * broker could be reached then (workers cannot take what a broker that is down holds). Once the run is
 * being stopped, partitions still queued are marked STOPPED, since no worker takes a stopped run's partitions.
 * Time is this process's own monotonic clock, so clocks elsewhere do not matter. Not thread-safe: one tick at a
 * time.
 */
final class PartitionWatch {

    private static final String PREFIX = JobParameterNames.PARTITION_STEP + ":partition";

    private final JobRepository repository;
    private final JdbcTemplate jdbc;
    private final Consumer<Long> resend;
    private final long timeoutNanos;
    private final String queue;
    private final PrintStream err;
    private final LongSupplier clock;
    private final Supplier<String> brokerTrouble;
    private final Map<Long, String> seen = new HashMap<>();
    private final Map<Long, Long> movedAt = new HashMap<>();
    private final Map<Long, Integer> resent = new HashMap<>();
    private long anyMovedAt;

    /**
     * @param resend sends the request for a partition's step execution id again
     * @param brokerTrouble why the broker cannot be reached now, or null when it can
     */
    PartitionWatch(JobRepository repository, JdbcTemplate jdbc, Consumer<Long> resend, Duration timeout,
            String queue, PrintStream err, LongSupplier clock, Supplier<String> brokerTrouble) {
        this.repository = repository;
        this.jdbc = jdbc;
        this.resend = resend;
        this.timeoutNanos = timeout.toNanos();
        this.queue = queue;
        this.err = err;
        this.clock = clock;
        this.brokerTrouble = brokerTrouble;
        this.anyMovedAt = clock.getAsLong();
    }

    private record Partition(long id, int number, BatchStatus status, String signature) {
    }

    /** Looks at the execution's partitions once, and acts on those that stalled. */
    void tick(long jobExecutionId, long jobInstanceId) {
        List<Partition> partitions = partitions(jobExecutionId, jobInstanceId);
        long now = clock.getAsLong();
        if (!running(jobExecutionId)) {
            partitions.stream().filter(p -> p.status() == BatchStatus.STARTING).forEach(p -> mark(p.id(),
                    BatchStatus.STOPPED, "the run was stopped before a worker took partition " + p.number()));
            return;
        }
        boolean anyTaken = false;
        boolean anyQueued = false;
        for (Partition p : partitions) {
            if (!p.signature().equals(seen.put(p.id(), p.signature()))) {
                movedAt.put(p.id(), now);
                anyMovedAt = now;
            }
            anyTaken |= p.status() == BatchStatus.STARTED;
            anyQueued |= p.status() == BatchStatus.STARTING;
            if (p.status() == BatchStatus.STARTED && now - movedAt.get(p.id()) > timeoutNanos) {
                stalled(p, now);
            }
        }
        if (!anyTaken && anyQueued && now - anyMovedAt > timeoutNanos) {
            String trouble = brokerTrouble.get();
            String advice = trouble == null ? "start workers (usage-backfill worker --broker URL --db URL)"
                    : trouble + ", so no worker can take it; start RabbitMQ (or fix --broker), then `restart`";
            for (Partition p : partitions) {
                String notTaken = "no worker took partition " + p.number() + " from queue " + queue + " for "
                        + seconds() + " s";
                if (p.status() == BatchStatus.STARTING && mark(p.id(), BatchStatus.FAILED, notTaken + "; "
                        + advice)) {
                    err.println("usage-backfill: " + notTaken + (trouble == null ? "" : " (" + trouble + ")")
                            + "; marked it failed");
                }
            }
        }
    }

    private void stalled(Partition p, long now) {
        String stalled = "partition " + p.number() + " made no progress for " + seconds() + " s";
        if (resent.getOrDefault(p.id(), 0) == 0) {
            if (mark(p.id(), BatchStatus.STARTING, null)) {
                resent.put(p.id(), 1);
                movedAt.put(p.id(), now);
                resend.accept(p.id());
                err.println("usage-backfill: " + stalled + " (its worker stopped or died); sent it again, to resume"
                        + " from its checkpoint");
            }
        } else if (mark(p.id(), BatchStatus.FAILED, stalled + ", also after it was sent again (its workers"
                + " stopped or died)")) {
            err.println("usage-backfill: " + stalled + " again; marked it failed");
        }
    }

    /** Sets a running partition's status; false when it had ended, or moved meanwhile (a worker committed). */
    private boolean mark(long stepExecutionId, BatchStatus status, String why) {
        StepExecution partition = repository.getStepExecution(stepExecutionId);
        if (partition == null || !partition.getStatus().isRunning()) {
            return false;
        }
        partition.setStatus(status);
        if (why != null) {
            partition.setExitStatus(new ExitStatus(status.name(), why));
            partition.setEndTime(LocalDateTime.now());
        }
        try {
            repository.update(partition);
            return true;
        } catch (OptimisticLockingFailureException e) {
            return false;
        }
    }

    /** Whether the run goes on; not while it is being stopped (STOPPING, or STOPPED by Spring Batch's stop). */
    private boolean running(long jobExecutionId) {
        return "STARTED".equals(jdbc.queryForObject("SELECT status FROM " + JobSchema.TABLE_PREFIX
                + "JOB_EXECUTION WHERE job_execution_id = ?", String.class, jobExecutionId));
    }

    /** Each partition with what moves while it runs: its status, its version (one a chunk), its checkpoint. */
    private List<Partition> partitions(long jobExecutionId, long jobInstanceId) {
        return jdbc.query("SELECT s.step_execution_id, s.step_name, s.status, s.version, c.updated_at FROM "
                + JobSchema.TABLE_PREFIX + "STEP_EXECUTION s LEFT JOIN " + JobSchema.SCHEMA + ".partition_checkpoint c"
                + " ON c.job_instance_id = ? AND s.step_name = ? || c.partition_no"
                + " WHERE s.job_execution_id = ? AND s.step_name LIKE ?", (row, n) -> new Partition(row.getLong(1),
                        Integer.parseInt(row.getString(2).substring(PREFIX.length())),
                        BatchStatus.valueOf(row.getString(3)), row.getString(3) + "/" + row.getLong(4) + "/"
                                + row.getString(5)),
                jobInstanceId, PREFIX, jobExecutionId, PREFIX + "%");
    }

    private long seconds() {
        return Duration.ofNanos(timeoutNanos).toSeconds();
    }
}
