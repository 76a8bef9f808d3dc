package io.usagebackfill.cli;

import static io.usagebackfill.job.JobParameterNames.PROGRESS;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;

import io.usagebackfill.job.LiveMetrics;
import io.usagebackfill.metrics.RunMetrics;
import io.usagebackfill.report.HtmlReport;
import io.usagebackfill.report.Progress;
import io.usagebackfill.report.ReportPrinter;
import io.usagebackfill.report.RunReport;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * Where the report of a run that has ended goes: the summary on stdout (a JSON line when the run logs JSON), the
 * {@code --report-json} and {@code --report-html} files, and the Pushgateway of {@code --metrics-push} (never for a
 * dry run, whose figures are a plan). Each may be null.
 */
record RunOutputs(Path reportJson, Path reportHtml, RunMetrics metrics) {

    static final RunOutputs NONE = new RunOutputs(null, null, null);

    void write(RunReport report, JobParameters parameters, int exit, PrintStream out) throws IOException {
        String shown = parameters.getString(PROGRESS);
        if (shown != null && !shown.isEmpty() && Progress.Mode.valueOf(shown).json()) {
            out.println(ReportPrinter.compactJson(report));
        } else {
            ReportPrinter.printSummary(report, out);
        }
        if (reportJson != null) {
            ReportPrinter.writeJson(report, reportJson);
        }
        if (reportHtml != null) {
            HtmlReport.write(report, reportHtml, Instant.now());
        }
        if (metrics != null && !report.dryRun()) {
            metrics.ended(LiveMetrics.group(parameters), report, exit, exit == ExitCodes.OK, Instant.now());
        }
    }
}
