package io.usagebackfill.metrics;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.usagebackfill.report.RunReport;

/**
 * One run's metrics, the Prometheus way for batch jobs: gauges of what the run read and what became of its events
 * ({@code usage_backfill_*}), and Spring Batch's own observations of its job, steps and chunks
 * ({@code spring_batch_*}, recorded through {@link #observations()}), in one Prometheus registry that
 * {@link MetricsPush} sends to a Pushgateway while the run goes and when it ends. Thread-safe.
 */
public final class RunMetrics implements AutoCloseable {

    /** A user or session id: a UUID, or an e-mail address. */
    private static final Pattern ID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|\\S+@\\S+");
    /** What is left of an offending value after the {@code …} that stands for it, up to the next comma. */
    private static final Pattern LEFT_OF_A_VALUE = Pattern.compile("…[^,;]*");
    private static final String EXIT_CODE = "usage.backfill.exit.code";
    /** The batch-job convention's gauge, which a Pushgateway keeps across failed runs. */
    private static final String LAST_SUCCESS = "usage.backfill.last.success.timestamp.seconds";
    /** Spring Batch's observations of each item read and processed. */
    private static final String PER_ITEM = "spring.batch.item.";
    /** A reason's kind is short; a longer one is cut, so no label grows with what a log line holds. */
    private static final int MAX_REASON_LABEL = 120;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ObservationRegistry observations = ObservationRegistry.create();
    private final MetricsPush push;
    private final PrintStream err;

    private final AtomicLong files = new AtomicLong();
    private final AtomicLong readBytes = new AtomicLong();
    private final AtomicLong readLines = new AtomicLong();
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong inserted = new AtomicLong();
    private final AtomicLong alreadyInTable = new AtomicLong();
    private final AtomicLong repeated = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong outsideWindow = new AtomicLong();
    private final AtomicLong ignored = new AtomicLong();
    private final AtomicLong durationMillis = new AtomicLong();
    private final AtomicLong running = new AtomicLong();
    private final AtomicLong exitCode = new AtomicLong();
    private final AtomicLong lastSuccessMillis = new AtomicLong();
    private final MultiGauge rejectedByReason;
    private final AtomicBoolean ended = new AtomicBoolean();

    /** @param err where a failed push's one warning goes */
    public RunMetrics(PushTarget target, PrintStream err) {
        this.err = err;
        this.push = new MetricsPush(target, registry.getPrometheusRegistry(), err);
        // Timers of what ended, not gauges of what is under way: usage_backfill_running says that, in one series.
        observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(registry,
                DefaultMeterObservationHandler.IgnoredMeters.LONG_TASK_TIMER));
        // Job, step and chunk timers; not one per line read and processed, which cost a fifth more CPU on an import
        // of 400,000 events (docs/metrics.md), where the lines and events counted here say as much.
        observations.observationConfig().observationPredicate((name, context) -> !name.startsWith(PER_ITEM));
        gauge("usage.backfill.files", files, "Log files the run read");
        gauge("usage.backfill.read.bytes", readBytes, "Size on disk of the files read (while running: how much of"
                + " them the committed chunks have read)");
        gauge("usage.backfill.read.lines", readLines, "Lines read");
        gauge("usage.backfill.events", events, "token_usage events among the lines: inserted + already in the table"
                + " + repeated within the logs + rejected + outside the window");
        gauge("usage.backfill.inserted.events", inserted, "Events inserted as rows (a dry run pushes nothing)");
        gauge("usage.backfill.already.in.table.events", alreadyInTable, "Events whose row was in the table before the"
                + " run");
        gauge("usage.backfill.repeated.events", repeated, "Events met earlier in the same run (a rotated copy, a line"
                + " logged twice)");
        gauge("usage.backfill.rejected.events", rejected, "Rejected lines, kept in the rejects file with their reasons");
        gauge("usage.backfill.outside.window.events", outsideWindow, "Valid events left out by --since/--until");
        gauge("usage.backfill.ignored.lines", ignored, "Lines that mention token_usage without being an event");
        Gauge.builder("usage.backfill.duration.seconds", durationMillis, d -> d.get() / 1000.0)
                .description("How long the run (this execution of it) took, or has taken so far").register(registry);
        gauge("usage.backfill.running", running, "1 while the run goes (the pushes every --progress-every seconds),"
                + " 0 once it has ended");
        rejectedByReason = MultiGauge.builder("usage.backfill.rejected.events.by.reason")
                .description("Rejected lines by kind of reason (the report's rejectReasons)").register(registry);
    }

    /** Whether {@link #ended} has pushed the run's end. */
    public boolean endedAlready() {
        return ended.get();
    }

    /** Where Spring Batch records its job, step and chunk observations, as timers in this run's registry. */
    public ObservationRegistry observations() {
        return observations;
    }

    public MeterRegistry registry() {
        return registry;
    }

    public PushTarget target() {
        return push.target();
    }

    /**
     * Pushes the run's committed counts every {@code every} (a second at least) until {@link #ended}, keeping what
     * the group holds from earlier runs (their last success) until then.
     */
    public void whileRunning(String group, Duration every, Supplier<RunFigures> committed) {
        push.every(every, group, () -> {
            show(committed.get());
            running.set(1);
        });
    }

    /** Stops the pushes {@link #whileRunning} started. */
    public void stopRunning() {
        push.stop();
    }

    /**
     * The run ended: pushes its report's figures and exit code, waiting at most a few seconds. A success (exit 0)
     * replaces all the group held with this run's metrics and its time as the last success; any other end leaves the
     * group's last success as it was.
     *
     * @param success whether the run succeeded, as a scheduler reads its exit code
     */
    public void ended(String group, RunReport report, int exit, boolean success, Instant now) {
        ended.set(true);
        show(RunFigures.of(report));
        running.set(0);
        exitCode.set(exit);
        // Only now: the pushes while the run goes leave the exit code of the run before it in the gateway.
        if (registry.find(EXIT_CODE).gauge() == null) {
            exitCodeGauge(registry, exitCode);
        }
        if (success) {
            lastSuccessMillis.set(now.toEpochMilli());
            if (registry.find(LAST_SUCCESS).gauge() == null) {
                lastSuccessGauge(registry, lastSuccessMillis);
            }
        }
        push.push(group, success ? MetricsPush.Method.REPLACE : MetricsPush.Method.UPDATE);
    }

    /**
     * A run that found its work done before (the run key completed earlier), or a command that failed before its run
     * could report: pushes only its exit code (and, on a success, the time), leaving the figures already pushed.
     */
    public void endedWithOutcomeOnly(String group, int exit, boolean success, Instant now) {
        PrometheusMeterRegistry outcome = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        exitCodeGauge(outcome, new AtomicLong(exit));
        if (success) {
            lastSuccessGauge(outcome, new AtomicLong(now.toEpochMilli()));
        }
        try (MetricsPush once = new MetricsPush(push.target(), outcome.getPrometheusRegistry(), err)) {
            once.push(group, MetricsPush.Method.UPDATE);
        }
    }

    private static void exitCodeGauge(MeterRegistry registry, AtomicLong code) {
        Gauge.builder(EXIT_CODE, code, AtomicLong::get).description("The run's exit code: 0 done, 1 failed (restart"
                + " resumes it), 2 configuration, 3 busy, 4 not reconciled, 130/143 stopped by a signal")
                .register(registry);
    }

    private static void lastSuccessGauge(MeterRegistry registry, AtomicLong millis) {
        Gauge.builder(LAST_SUCCESS, millis, t -> t.get() / 1000.0)
                .description("When the run last succeeded (exit code 0), in seconds since the epoch").register(registry);
    }

    private void show(RunFigures figures) {
        files.set(figures.files());
        readBytes.set(figures.readBytes());
        readLines.set(figures.readLines());
        events.set(figures.events());
        inserted.set(figures.inserted());
        alreadyInTable.set(figures.alreadyInTable());
        repeated.set(figures.repeated());
        rejected.set(figures.rejected());
        outsideWindow.set(figures.outsideWindow());
        ignored.set(figures.ignored());
        durationMillis.set(figures.duration().toMillis());
        Map<String, Long> byLabel = new TreeMap<>();
        figures.rejectedByReason().forEach((kind, count) -> byLabel.merge(reasonLabel(kind), count, Long::sum));
        rejectedByReason.register(byLabel.entrySet().stream()
                .map(e -> MultiGauge.Row.of(Tags.of("reason", e.getKey()), e.getValue()))
                .toList(), true);
    }

    /**
     * A reason's kind as a label: up to its first explanation ({@code "model is missing"} of {@code "model is missing
     * (looked for model, …); keys seen: …"}), whose details the report and the rejects file keep. Its offending
     * value is already taken out ({@code ReasonKinds}) where the reason quotes it well; what a value with quotes of
     * its own left after the {@code …}, up to the next comma, and anything from a quote on go too, with any UUID or
     * e-mail address, so no id a log line holds becomes a label; a long one is cut.
     */
    static String reasonLabel(String kind) {
        int end = kind.length();
        for (String mark : new String[] {" (", "; "}) {
            int at = kind.indexOf(mark);
            end = at > 0 ? Math.min(end, at) : end;
        }
        String label = LEFT_OF_A_VALUE.matcher(kind.substring(0, end)).replaceAll("…");
        int quote = label.indexOf('"');
        label = ID.matcher(quote >= 0 ? label.substring(0, quote) : label).replaceAll("…").strip();
        return label.length() > MAX_REASON_LABEL ? label.substring(0, MAX_REASON_LABEL) + "…" : label;
    }

    private void gauge(String name, AtomicLong value, String description) {
        Gauge.builder(name, value, AtomicLong::get).description(description).register(registry);
    }

    @Override
    public void close() {
        push.close();
        registry.close();
    }
}
