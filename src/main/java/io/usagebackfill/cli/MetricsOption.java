package io.usagebackfill.cli;

import java.io.PrintStream;
import java.util.function.Function;

import io.usagebackfill.metrics.PushTarget;
import io.usagebackfill.metrics.RunMetrics;
import picocli.CommandLine.Option;

/** {@code --metrics-push}, shared by the commands that run the job. */
final class MetricsOption {

    static final String ENVIRONMENT = "USAGE_BACKFILL_METRICS_PUSH";

    @Option(names = "--metrics-push", paramLabel = "URL", description = "Push the run's metrics (and Spring Batch's"
            + " own) to this Prometheus Pushgateway, http://host:9091, when it ends and every --progress-every seconds"
            + " while it runs, grouped by job=\"usage-backfill\" and run=NAME; a gateway that is down or slow costs one"
            + " warning and a few seconds, never the run. Default: $" + ENVIRONMENT + "; an empty URL pushes"
            + " nothing.")
    String url;

    /**
     * The run's metrics, pushed where the option, else {@code fromJobFile} (a job file's {@code metrics-push}), else
     * the environment says; null when none does.
     *
     * @throws IllegalArgumentException naming where the URL came from when it is no Pushgateway URL
     */
    RunMetrics resolve(Function<String, String> env, String fromJobFile, PrintStream err) {
        String named = url;
        String source = "--metrics-push";
        if (named == null && fromJobFile != null) {
            named = fromJobFile;
            source = "the job file's metrics-push";
        }
        if (named == null) {
            named = env.apply(ENVIRONMENT);
            source = ENVIRONMENT;
        }
        // An empty --metrics-push= pushes nothing, whatever the environment names.
        return blank(named) ? null : new RunMetrics(PushTarget.parse(source, named), err);
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
