package io.usagebackfill.remote;

import static io.usagebackfill.job.JobParameterNames.PARTITION_STEP;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.usagebackfill.job.PartitionRunner;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.partition.PartitionHandler;
import org.springframework.batch.core.partition.StepExecutionSplitter;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.integration.partition.MessageChannelPartitionHandler;
import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.integration.core.MessagingTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.messaging.MessageChannel;

/**
 * Partitions run by workers elsewhere: Spring Batch Integration's {@link MessageChannelPartitionHandler} sends one
 * {@link StepExecutionRequest} per partition to the broker queue and polls the shared job repository until every
 * partition has ended, while a {@link PartitionWatch} re-sends or fails partitions whose workers went away and the
 * progress display follows the partitions' checkpoints. A partition that did not complete fails the load step
 * with a sentence naming it. Thread-safe.
 */
final class RemotePartitions implements PartitionRunner {

    /** How often the manager reads the job repository and the checkpoints while the partitions run. */
    private static final Duration POLL = Duration.ofSeconds(1);
    /** A line of a recorded stack trace naming an exception: its simple name, then its message. */
    private static final Pattern CAUSE = Pattern.compile("^(?:Caused by: )?(?:[a-z_$][\\w$]*\\.)+"
            + "([A-Z][\\w$]*(?:Exception|Error))(?:: (.*))?$");

    private final JobRepository repository;
    private final JdbcTemplate jdbc;
    private final MessageChannel requests;
    private final String queue;
    private final Duration partitionTimeout;
    private final PrintStream err;
    private final Supplier<String> brokerTrouble;

    /** @param brokerTrouble why the broker cannot be reached now, or null when it can */
    RemotePartitions(JobRepository repository, JdbcTemplate jdbc, MessageChannel requests, String queue,
            Duration partitionTimeout, PrintStream err, Supplier<String> brokerTrouble) {
        this.repository = repository;
        this.jdbc = jdbc;
        this.requests = requests;
        this.queue = queue;
        this.partitionTimeout = partitionTimeout;
        this.err = err;
        this.brokerTrouble = brokerTrouble;
    }

    @Override
    public String queue() {
        return queue;
    }

    @Override
    public PartitionHandler handler(Step worker, int partitions, Runnable showCheckpoints) throws Exception {
        MessagingTemplate messaging = new MessagingTemplate(requests);
        MessageChannelPartitionHandler sender = new MessageChannelPartitionHandler();
        sender.setStepName(PARTITION_STEP);
        sender.setGridSize(partitions);
        sender.setMessagingOperations(messaging);
        sender.setJobRepository(repository);
        sender.setPollInterval(POLL.toMillis());
        sender.afterPropertiesSet();
        return (StepExecutionSplitter splitter, StepExecution manager) -> {
            PartitionWatch watch = new PartitionWatch(repository, jdbc,
                    id -> messaging.send(org.springframework.integration.support.MessageBuilder
                            .withPayload(new StepExecutionRequest(PARTITION_STEP, id))
                            .setCorrelationId(manager.getJobExecutionId() + ":" + PARTITION_STEP).build()),
                    partitionTimeout, queue, err, System::nanoTime, brokerTrouble);
            ScheduledExecutorService watching = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "usage-backfill-watch");
                thread.setDaemon(true);
                return thread;
            });
            long jobExecution = manager.getJobExecutionId();
            long jobInstance = manager.getJobExecution().getJobInstance().getInstanceId();
            watching.scheduleWithFixedDelay(() -> {
                try {
                    watch.tick(jobExecution, jobInstance);
                    showCheckpoints.run();
                } catch (RuntimeException e) {
                    // A missed look (the database busy for a moment) is made up by the next one.
                    err.println("usage-backfill: could not look at the partitions (" + e.getMessage()
                            + "); trying again");
                }
            }, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
            Collection<StepExecution> ended;
            try {
                ended = sender.handle(splitter, manager);
            } finally {
                watching.shutdownNow();
                watching.awaitTermination(10, TimeUnit.SECONDS);
                showCheckpoints.run();
            }
            failIfAnyFailed(ended.stream().map(this::settled).toList());
            return ended;
        };
    }

    /**
     * A failed partition as its worker left it: right after failing, a worker replaces the stack trace it recorded
     * with the reason in a sentence; the poll may have seen the partition between the two.
     */
    private StepExecution settled(StepExecution partition) {
        if (partition.getStatus() != BatchStatus.FAILED || !looksLikeTrace(partition)) {
            return partition;
        }
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        StepExecution now = repository.getStepExecution(partition.getId());
        return now == null ? partition : now;
    }

    private static boolean looksLikeTrace(StepExecution partition) {
        String description = partition.getExitStatus().getExitDescription();
        return description != null && CAUSE.matcher(description.lines().findFirst().orElse("").strip()).matches();
    }

    /**
     * A partition that failed on its worker (or that the watch failed) fails the step, named, with its reason.
     * Partitions that were only stopped (the run was asked to stop) leave the step STOPPED, as Spring Batch makes it.
     */
    private static void failIfAnyFailed(Collection<StepExecution> ended) {
        if (ended.stream().noneMatch(p -> p.getStatus().isUnsuccessful())) {
            return;
        }
        List<String> failed = new ArrayList<>();
        ended.stream().filter(p -> p.getStatus() != BatchStatus.COMPLETED)
                .sorted(Comparator.comparing(StepExecution::getStepName))
                .forEach(p -> failed.add(p.getStepName().substring(p.getStepName().lastIndexOf(':') + 1)
                        .replace("partition", "partition ") + " " + p.getStatus() + " (" + reason(p) + ")"));
        if (!failed.isEmpty()) {
            throw new RemotePartitionsFailedException(String.join("; ", failed));
        }
    }

    /**
     * Why a partition ended as it did: the manager's own reason for a partition it failed, else the deepest cause
     * in the stack trace the worker recorded (the first lines name only the wrappers around it).
     */
    static String reason(StepExecution partition) {
        String description = partition.getExitStatus().getExitDescription();
        if (description == null || description.isBlank()) {
            return "no reason recorded";
        }
        String reason = description.lines().findFirst().orElse("").strip();
        for (String line : description.lines().toList()) {
            Matcher cause = CAUSE.matcher(line.strip());
            if (cause.matches()) {
                reason = cause.group(1) + (cause.group(2) == null ? "" : ": " + cause.group(2));
            }
        }
        return description.contains("SkipLimitExceededException") ? "more lines were rejected than --skip-limit allows,"
                + " all partitions together; the rejects files say why, so fix the logs or raise the limit with"
                + " `restart --skip-limit N`" : reason;
    }

    /** Names the partitions that did not complete and why; `restart` sends only those again. */
    static final class RemotePartitionsFailedException extends RuntimeException {
        RemotePartitionsFailedException(String partitions) {
            super("on the workers: " + partitions);
        }
    }
}
