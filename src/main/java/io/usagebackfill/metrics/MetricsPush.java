package io.usagebackfill.metrics;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.prometheus.metrics.exporter.pushgateway.Format;
import io.prometheus.metrics.exporter.pushgateway.PushGateway;
import io.prometheus.metrics.exporter.pushgateway.Scheme;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Sends a registry's metrics to a Pushgateway under the grouping key {@code job="usage-backfill", run=NAME}, through
 * the Prometheus client's {@link PushGateway}, on a thread of its own: a gateway that is down or slow costs the run at
 * most {@link #DEADLINE} at its end and one warning line on stderr in all, never its result. Thread-safe.
 */
public final class MetricsPush implements AutoCloseable {

    /** The grouping key's {@code job}: every run's metrics are this job's, told apart by {@link #GROUP_LABEL}. */
    public static final String JOB = "usage-backfill";
    /** The grouping key's second label: the job file's name, the run key, or {@code import}. */
    public static final String GROUP_LABEL = "run";

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration READ_TIMEOUT = Duration.ofSeconds(3);
    /** How long the end of a run waits for its push, whatever the gateway does. */
    static final Duration DEADLINE = Duration.ofSeconds(5);

    /**
     * How a push treats what the group holds: {@code REPLACE} (HTTP PUT) leaves only what is pushed, {@code UPDATE}
     * (POST) replaces the metrics pushed and keeps the others, such as an earlier run's last success.
     */
    public enum Method {
        REPLACE, UPDATE
    }

    private final PushTarget target;
    private final PrometheusRegistry registry;
    private final PrintStream err;
    private final AtomicBoolean warned = new AtomicBoolean();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread pusher = new Thread(task, "usage-backfill-metrics-push");
        // A push still waiting on a gateway when the run has ended must not keep the process alive.
        pusher.setDaemon(true);
        return pusher;
    });
    private ScheduledFuture<?> repeating;

    /** @param err where the one warning goes */
    public MetricsPush(PushTarget target, PrometheusRegistry registry, PrintStream err) {
        this.target = target;
        this.registry = registry;
        this.err = err;
    }

    public PushTarget target() {
        return target;
    }

    /**
     * Pushes every {@code every} from now on, after {@code update} has set what to push, until {@link #stop()}; a push
     * still waiting on the gateway delays the next rather than piling up behind it.
     */
    public synchronized void every(Duration every, String group, Runnable update) {
        stop();
        long millis = Math.max(every.toMillis(), 1_000);
        repeating = thread.scheduleWithFixedDelay(() -> {
            update.run();
            send(group, Method.UPDATE);
        }, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Stops the pushes {@link #every} started; one under way finishes. */
    public synchronized void stop() {
        if (repeating != null) {
            repeating.cancel(false);
            repeating = null;
        }
    }

    /**
     * Pushes now, after any push under way, and waits for it at most {@link #DEADLINE}.
     *
     * @return whether the gateway took it
     */
    public boolean push(String group, Method method) {
        stop();
        Future<Boolean> sent = thread.submit(() -> send(group, method));
        try {
            return sent.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            sent.cancel(true);
            warn("no answer within " + DEADLINE.toSeconds() + " s");
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            warn(String.valueOf(e.getCause()));
            return false;
        }
    }

    private boolean send(String group, Method method) {
        PushGateway gateway = gateway(group);
        try {
            if (method == Method.REPLACE) {
                gateway.push();
            } else {
                gateway.pushAdd();
            }
            return true;
        } catch (IOException | RuntimeException e) {
            warn(reason(e));
            return false;
        }
    }

    private PushGateway gateway(String group) {
        PushGateway.Builder builder = PushGateway.builder().address(target.address())
                .scheme(target.https() ? Scheme.HTTPS : Scheme.HTTP).job(JOB).groupingKey(GROUP_LABEL, group)
                .registry(registry).format(Format.PROMETHEUS_TEXT).connectionTimeout(CONNECT_TIMEOUT)
                .readTimeout(READ_TIMEOUT);
        if (target.user() != null) {
            builder.basicAuth(target.user(), target.password());
        }
        return builder.build();
    }

    /** The cause in its own words ("Connection refused", the gateway's answer), on one line. */
    private static String reason(Exception e) {
        Throwable cause = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause() : e;
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        String line = message.lines().findFirst().orElse("").strip();
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }

    private void warn(String why) {
        if (warned.compareAndSet(false, true)) {
            err.println("usage-backfill: warning: cannot push metrics to the Pushgateway " + target.display() + " ("
                    + why + "); the run itself is not affected, and its report has the same figures");
        }
    }

    @Override
    public void close() {
        stop();
        thread.shutdownNow();
    }
}
