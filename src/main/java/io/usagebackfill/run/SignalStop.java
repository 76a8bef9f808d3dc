package io.usagebackfill.run;

import java.util.concurrent.atomic.AtomicBoolean;

import java.util.ArrayList;
import java.util.List;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT) and SIGTERM, what systemd and Kubernetes send, during a run: the first asks the run to stop (the
 * chunk in flight rolls back, see {@link StopRequest}, and Spring Batch's stop marks the run STOPPED), so the
 * process ends on its own with every committed chunk kept; a second one ends the process at once. Installed for the
 * run only; closing puts the JVM's own handlers back. Not thread-safe; one per run.
 */
public final class SignalStop implements AutoCloseable {

    private static final List<String> SIGNALS = List.of("INT", "TERM");

    private static final long STOP_FIRST_MILLIS = 2_000;

    private final StopRequest request;
    private final AtomicBoolean received = new AtomicBoolean();
    private final JobOperator operator;
    private final JobRepository repository;
    private final long executionsBefore;
    private final List<Signal> installed = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();

    /** @param executionsBefore the highest execution id before the run started; the run's is above it */
    private SignalStop(StopRequest request, JobOperator operator, JobRepository repository, long executionsBefore) {
        this.request = request;
        this.operator = operator;
        this.repository = repository;
        this.executionsBefore = executionsBefore;
    }

    public static SignalStop install(StopRequest request, JobOperator operator, JobRepository repository,
            long executionsBefore) {
        SignalStop stop = new SignalStop(request, operator, repository, executionsBefore);
        for (String name : SIGNALS) {
            try {
                Signal signal = new Signal(name);
                stop.previous.add(Signal.handle(signal, stop::handle));
                stop.installed.add(signal);
            } catch (IllegalArgumentException e) {
                // A platform without this signal: nothing to stop on.
            }
        }
        return stop;
    }

    private void handle(Signal signal) {
        if (received.getAndSet(true)) {
            Runtime.getRuntime().halt(128 + signal.getNumber());
        }
        System.err.println("usage-backfill: SIG" + signal.getName() + " received; stopping after rolling back the"
                + " chunk in flight (send it again to end at once, keeping only what is committed)");
        Thread stopper = new Thread(this::stopRunningExecution, "usage-backfill-stop");
        stopper.setDaemon(true);
        stopper.start();
        // Spring Batch's stop first, then the writers': a run the writers end at once would record its end while
        // the stop records STOPPING, and one of the two updates would fail on the execution's version. A stop that
        // takes longer (a stalled database) does not hold the writers' back for more than two seconds.
        try {
            stopper.join(STOP_FIRST_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        request.request(signal.getName());
    }

    /** Spring Batch's stop, so the run is recorded as STOPPED, and restartable, whatever step it is in. */
    private void stopRunningExecution() {
        try {
            for (JobExecution execution : repository.findRunningJobExecutions(
                    io.usagebackfill.job.JobParameterNames.JOB_NAME)) {
                if (execution.getId() > executionsBefore) {
                    operator.stop(execution);
                }
            }
        } catch (Exception e) {
            // The writers stop the run by themselves; marking it here only makes the stop show sooner.
        }
    }

    /** 130 for SIGINT, 143 for SIGTERM: what a shell and a scheduler expect of a process ended by them. */
    public static int exitCode(String signal) {
        return switch (signal) {
            case "TERM" -> 143;
            case "INT" -> 130;
            default -> 1; // the run lock lost: a restart can help
        };
    }

    @Override
    public void close() {
        for (int i = 0; i < installed.size(); i++) {
            Signal.handle(installed.get(i), previous.get(i));
        }
    }
}
