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
 * dry run, whose figures are a plan). Each may be null. Immutable; used by the command's thread.
 */
record RunOutputs(Path reportJson, Path reportHtml, RunMetrics metrics) {

    static final RunOutputs NONE = new RunOutputs(null, null, null);

    /**
     * A run with nothing to do still writes its reports, saying so, so that tonight's figures are tonight's; but never
     * over the report of the execution it names (the day's real run, whose figures and differences it holds). Its
     * push says so too: a night with nothing new is a success with nothing loaded; a run key done before keeps the
     * figures that run pushed, and pushes only its outcome.
     */
    void nothingToDo(RunReport report, String group, int exit, PrintStream out) throws IOException {
        long named = report.executionId();
        if (reportJson != null && named > 0 && ReportPrinter.executionOf(reportJson) == named) {
            out.println("import: " + reportJson + " is that run's own report; it is left as it is");
        } else if (reportJson != null) {
            ReportPrinter.writeJson(report, reportJson);
        }
        if (reportHtml != null && named > 0 && HtmlReport.executionOf(reportHtml) == named) {
            out.println("import: " + reportHtml + " is that run's own report; it is left as it is");
        } else if (reportHtml != null) {
            HtmlReport.write(report, reportHtml, Instant.now());
        }
        if (metrics != null && named > 0) {
            metrics.endedWithOutcomeOnly(group, exit, exit == ExitCodes.OK, Instant.now());
        } else if (metrics != null) {
            metrics.ended(group, report, exit, exit == ExitCodes.OK, Instant.now());
        }
    }

    /**
     * A command that ends on an error before its run could report (the database down or refusing, the lock taken, a
     * table that cannot be loaded) still pushes its exit code, under {@code group} when it is known; the figures and
     * the last success already in the gateway stay.
     */
    void failedBeforeReport(String group, Exception e) {
        if (metrics != null && group != null && !metrics.endedAlready()) {
            metrics.endedWithOutcomeOnly(group, ErrorHandler.exitCode(e), false, Instant.now());
        }
    }

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
