package io.usagebackfill.report;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.usagebackfill.config.OutputFile;
import io.usagebackfill.reject.RejectExample;

/**
 * A {@link RunReport} as one self-contained HTML page ({@code --report-html}): inline CSS and SVG, nothing fetched,
 * readable printed. It shows what became of the lines, rows per day as a chart with the gaps marked, tokens and spend
 * by model, rejects by reason with an example of each, the window and the reconciliation; every figure is the
 * JSON report's own, in an element whose {@code data-field} names the JSON field. Every value from the logs is
 * escaped. Stateless.
 */
public final class HtmlReport {

    private static final Pattern EXECUTION = Pattern.compile(
            "<meta name=\"usage-backfill-execution\" content=\"(\\d+)\">");
    private static final int MAX_GAPS_LISTED = 20;

    private HtmlReport() {
    }

    /** Writes the page to {@code file} from its start, owner-only, never through a symbolic link. */
    public static void write(RunReport report, Path file, Instant made) throws IOException {
        try (OutputStream out = OutputFile.create(file)) {
            out.write(render(report, made).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The execution a page already at {@code file} reports, or 0 when there is none (or it is no such page). */
    public static long executionOf(Path file) {
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                return 0;
            }
            Matcher m = EXECUTION.matcher(Files.readString(file, StandardCharsets.UTF_8));
            return m.find() ? Long.parseLong(m.group(1)) : 0;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    public static String render(RunReport r, Instant made) {
        String title = "usage-backfill " + (r.runId() > 0 ? "run " + r.runId() : "") + ": " + r.status()
                + (r.dryRun() ? " (dry run)" : "");
        StringBuilder page = new StringBuilder(16_384);
        page.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta name=\"usage-backfill-execution\" content=\"").append(r.executionId()).append("\">\n")
                .append("<title>").append(Html.text(title)).append("</title>\n<style>\n").append(HtmlStyle.CSS)
                .append("</style>\n</head>\n<body>\n");
        header(page, r, title, made);
        outcome(page, r);
        perDay(page, r);
        models(page, r);
        rejects(page, r);
        window(page, r);
        reconciliation(page, r);
        notes(page, r);
        page.append("<footer>Made by usage-backfill from the same figures as its JSON report (--report-json);"
                + " counts of a run that did not complete are those of its committed chunks.</footer>\n")
                .append("</body>\n</html>\n");
        return page.toString();
    }

    private static void header(StringBuilder page, RunReport r, String title, Instant made) {
        page.append("<header>\n<h1>").append(Html.text(title.replace(": " + r.status(), ""))).append(" <span class=\"")
                .append(statusClass(r.status())).append("\" data-field=\"status\">").append(Html.text(r.status()))
                .append("</span></h1>\n<p class=\"meta\">Execution <span data-field=\"executionId\">")
                .append(r.executionId()).append("</span> · took <span data-field=\"durationMs\" data-ms=\"")
                .append(r.durationMs()).append("\">").append(String.format(Locale.ROOT, "%.1f s", r.durationMs() / 1000.0))
                .append("</span> · page made ").append(made.truncatedTo(ChronoUnit.SECONDS)).append("</p>\n")
                .append("<p class=\"meta\">Database: <span data-field=\"database\">")
                .append(Html.text(r.database() == null ? "none (--csv-out)" : r.database()))
                .append("</span><br>Logs: ").append(Html.text(r.paths() == null ? "" : String.join(", ", r.paths())))
                .append("</p>\n");
        if (r.dryRun()) {
            page.append("<p class=\"banner\">Dry run: nothing was written. \"Inserted\" is what a real run would"
                    + " insert.</p>\n");
        }
        page.append("</header>\n");
    }

    private static void outcome(StringBuilder page, RunReport r) {
        page.append("<section id=\"outcome\">\n<h2>What became of the lines</h2>\n");
        page.append("<div class=\"split\" aria-hidden=\"true\">");
        split(page, "inserted", r.inserted(), r.events());
        split(page, "there", r.alreadyInTable(), r.events());
        split(page, "repeated", r.duplicatesInInput(), r.events());
        split(page, "rejected", r.rejected(), r.events());
        split(page, "outside", r.outsideWindow(), r.events());
        page.append("</div>\n<table class=\"figures\">\n");
        figure(page, "files", "Files read", r.files(), null);
        figure(page, "fileBytes", "Bytes in them", r.fileBytes(), null);
        figure(page, "linesRead", "Lines read", r.linesRead(), null);
        figure(page, "noiseLines", "Lines not about token_usage", r.noiseLines(), null);
        figure(page, "ignored", "Lines that mention token_usage but are no event", r.ignored(), null);
        figure(page, "events", "token_usage events", r.events(), null);
        figure(page, "inserted", r.dryRun() ? "would be inserted" : r.database() == null ? "written to the CSV"
                : "inserted", r.inserted(), "inserted");
        figure(page, "alreadyInTable", "already in the table", r.alreadyInTable(), "there");
        figure(page, "duplicatesInInput", "repeated within these logs", r.duplicatesInInput(), "repeated");
        figure(page, "rejected", "rejected", r.rejected(), "rejected");
        figure(page, "outsideWindow", "outside the window", r.outsideWindow(), "outside");
        page.append("</table>\n</section>\n");
    }

    private static void split(StringBuilder page, String kind, long n, long events) {
        if (n > 0 && events > 0) {
            page.append("<span class=\"").append(kind).append("\" style=\"width:")
                    .append(Html.px(100.0 * n / events)).append("%\"></span>");
        }
    }

    private static void figure(StringBuilder page, String field, String label, long n, String swatch) {
        page.append("<tr").append(swatch == null ? "" : " class=\"part\"").append("><th>")
                .append(swatch == null ? "" : "<i class=\"swatch " + swatch + "\"></i>").append(Html.text(label))
                .append("</th><td data-field=\"").append(field).append("\">").append(Html.count(n))
                .append("</td></tr>\n");
    }

    private static void perDay(StringBuilder page, RunReport r) {
        page.append("<section id=\"per-day\">\n<h2>Rows per day (UTC)</h2>\n");
        DayChart chart = new DayChart(r.perDay() == null ? Map.of() : r.perDay(),
                r.perDayInserted() == null ? Map.of() : r.perDayInserted());
        if (chart.perDay().isEmpty()) {
            page.append("<p>No row of these logs is in the table.</p>\n</section>\n");
            return;
        }
        page.append("<p>The rows of these logs' events the table holds, from <span data-field=\"firstCreatedAt\">")
                .append(r.firstCreatedAt()).append("</span> to <span data-field=\"lastCreatedAt\">")
                .append(r.lastCreatedAt()).append("</span>: those this run inserted, and those already there.</p>\n")
                .append(chart.svg()).append('\n')
                .append("<p class=\"legend\"><i class=\"swatch inserted\"></i>inserted by this run"
                        + " <i class=\"swatch there\"></i>already in the table <i class=\"swatch gap\"></i>a day"
                        + " without rows</p>\n");
        gaps(page, chart.gaps());
        page.append("<details><summary>Rows per day as a table</summary>\n<table class=\"days\">\n")
                .append("<tr><th>Day</th><th>Rows</th><th>Inserted</th><th>Already there</th></tr>\n");
        for (var day : chart.days()) {
            long rows = chart.rows(day);
            long inserted = chart.insertedOn(day);
            page.append("<tr").append(rows == 0 ? " class=\"empty\"" : "").append(" data-day=\"").append(day)
                    .append("\"><td>").append(day).append("</td><td>").append(Html.count(rows)).append("</td><td>")
                    .append(Html.count(inserted)).append("</td><td>").append(Html.count(rows - inserted))
                    .append("</td></tr>\n");
        }
        page.append("</table>\n</details>\n</section>\n");
    }

    private static void gaps(StringBuilder page, List<DayChart.Gap> gaps) {
        if (gaps.isEmpty()) {
            page.append("<p class=\"gaps\">Every day from the first to the last has rows.</p>\n");
            return;
        }
        long days = gaps.stream().mapToLong(DayChart.Gap::days).sum();
        page.append("<p class=\"gaps warn\">").append(days == 1 ? "1 day has" : Html.count(days) + " days have")
                .append(" no rows: ");
        page.append(String.join("; ", gaps.stream().limit(MAX_GAPS_LISTED).map(DayChart.Gap::describe).toList()));
        if (gaps.size() > MAX_GAPS_LISTED) {
            page.append("; and ").append(gaps.size() - MAX_GAPS_LISTED).append(" more gaps");
        }
        page.append(". A gap is a day the logs hold no event of: a lost or unread log, or a quiet day.</p>\n");
    }

    private static void models(StringBuilder page, RunReport r) {
        page.append("<section id=\"models\">\n<h2>Tokens and spend by model</h2>\n");
        if (r.models().isEmpty()) {
            page.append("<p>This run ").append(r.dryRun() ? "would insert" : "inserted")
                    .append(" no rows, so there is nothing to show by model")
                    .append(r.alreadyInTable() > 0 ? "; its events' rows were already in the table" : "")
                    .append(".</p>\n</section>\n");
            return;
        }
        long most = r.models().stream().mapToLong(RunReport.ModelRow::tokens).max().orElse(1);
        page.append("<p>Of the rows this run ").append(r.dryRun() ? "would insert" : "inserted")
                .append(": <span data-field=\"totalCostUsd\">").append(Html.usd(r.totalCostUsd()))
                .append("</span> in all.</p>\n<table class=\"models\">\n<tr><th>Model</th><th>Calls</th>"
                        + "<th>Tokens</th><th></th><th>Cost (USD)</th></tr>\n");
        for (RunReport.ModelRow m : r.models()) {
            page.append("<tr data-model=\"").append(Html.text(m.model())).append("\"><td>").append(Html.text(m.model()))
                    .append("</td><td>").append(Html.count(m.calls())).append("</td><td>")
                    .append(Html.count(m.tokens())).append("</td><td class=\"barcell\"><span class=\"bar\" style=\"width:")
                    .append(Html.px(most == 0 ? 0 : 100.0 * m.tokens() / most)).append("%\"></span></td><td>")
                    .append(Html.usd(m.costUsd())).append("</td></tr>\n");
        }
        page.append("</table>\n</section>\n");
    }

    private static void rejects(StringBuilder page, RunReport r) {
        page.append("<section id=\"rejects\">\n<h2>Rejected lines by reason</h2>\n");
        if (r.rejectReasons() == null || r.rejectReasons().isEmpty()) {
            page.append("<p>No line was rejected.</p>\n</section>\n");
            return;
        }
        page.append("<p>All ").append(Html.count(r.rejected())).append(" are kept as read in <code>")
                .append(Html.text(r.rejectsFile())).append("</code>, with their reasons beside it; fixed, that file"
                        + " can be imported again.</p>\n<table class=\"rejects\">\n<tr><th>Reason</th><th>Lines</th>"
                        + "<th>First of them</th></tr>\n");
        r.rejectReasons().entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(reason -> {
                    RejectExample example = r.rejectExamples() == null ? null : r.rejectExamples().get(reason.getKey());
                    page.append("<tr><td class=\"reason\">").append(Html.text(reason.getKey())).append("</td><td>")
                            .append(Html.count(reason.getValue())).append("</td><td>");
                    if (example != null) {
                        page.append("<span class=\"where\">").append(Html.text(example.file())).append(':')
                                .append(example.line()).append("</span><br>").append(Html.text(example.reason()))
                                .append("<pre>").append(Html.text(example.text())).append("</pre>");
                    }
                    page.append("</td></tr>\n");
                });
        page.append("</table>\n</section>\n");
    }

    private static void window(StringBuilder page, RunReport r) {
        page.append("<section id=\"window\">\n<h2>Window</h2>\n<p>");
        if (r.window() == null) {
            page.append("None: every valid event was loaded, whatever its time (no --since or --until).");
        } else {
            page.append("Loaded: <span data-field=\"window\">").append(Html.text(r.window())).append("</span>; ")
                    .append(Html.count(r.outsideWindow())).append(" valid events outside it were left out.");
        }
        page.append("</p>\n");
        if (r.zonelessTimes() > 0) {
            page.append("<p>").append(Html.count(r.zonelessTimes())).append(" events logged their time without a"
                    + " zone; read as ").append(Html.text(r.logTimezone() == null ? "UTC" : r.logTimezone()))
                    .append(".</p>\n");
        }
        page.append("</section>\n");
    }

    private static void reconciliation(StringBuilder page, RunReport r) {
        RunReport.Reconciliation c = r.reconciliation();
        page.append("<section id=\"reconciliation\">\n<h2>Reconciliation</h2>\n<p class=\"")
                .append(c.matches() ? "ok" : "bad").append("\">")
                .append(c.matches() ? "Reconciled: what the logs say is what the " + (r.database() == null ? "CSV"
                        : "table") + " holds for these events (an event repeated within the logs counted each time)."
                        : "NOT reconciled: the table holds other tokens or costs for these events than the logs say.")
                .append("</p>\n<table class=\"reconciliation\">\n<tr><th></th><th>Read from the logs</th>"
                        + "<th>Held by the " + (r.database() == null ? "CSV" : "table") + "</th></tr>\n");
        tokens(page, "Prompt tokens", "PromptTokens", c.readPromptTokens(), c.loadedPromptTokens());
        tokens(page, "Completion tokens", "CompletionTokens", c.readCompletionTokens(), c.loadedCompletionTokens());
        tokens(page, "Total tokens", "Tokens", c.readTokens(), c.loadedTokens());
        page.append("<tr><th>Cost (USD)</th><td data-field=\"reconciliation.readCostUsd\">").append(Html.usd(c.readCostUsd()))
                .append("</td><td data-field=\"reconciliation.loadedCostUsd\">").append(Html.usd(c.loadedCostUsd()))
                .append("</td></tr>\n</table>\n");
        if (c.missingRows() > 0 || c.changedRows() > 0) {
            page.append("<p>").append(Html.count(c.missingRows())).append(" events have no row, ")
                    .append(Html.count(c.changedRows())).append(" rows hold other values; for example:</p>\n<ul>\n");
            c.differences().forEach(d -> page.append("<li><code>").append(Html.text(d)).append("</code></li>\n"));
            page.append("</ul>\n");
        }
        page.append("</section>\n");
    }

    private static void tokens(StringBuilder page, String label, String field, long read, long loaded) {
        page.append("<tr").append(read == loaded ? "" : " class=\"bad\"").append("><th>").append(label)
                .append("</th><td data-field=\"reconciliation.read").append(field).append("\">")
                .append(Html.count(read)).append("</td><td data-field=\"reconciliation.loaded").append(field)
                .append("\">").append(Html.count(loaded)).append("</td></tr>\n");
    }

    private static void notes(StringBuilder page, RunReport r) {
        if ((r.notices() == null || r.notices().isEmpty()) && r.error() == null) {
            return;
        }
        page.append("<section id=\"notes\">\n<h2>Notes</h2>\n<ul>\n");
        if (r.error() != null) {
            page.append("<li class=\"bad\">").append(Html.text(r.error())).append("</li>\n");
        }
        for (String notice : r.notices() == null ? List.<String>of() : r.notices()) {
            page.append("<li>").append(Html.text(notice)).append("</li>\n");
        }
        page.append("</ul>\n</section>\n");
    }

    private static String statusClass(String status) {
        return switch (status) {
            case "COMPLETED" -> "status status-ok";
            case "NOTHING_NEW", "ALREADY_COMPLETED" -> "status status-quiet";
            case "STOPPED" -> "status status-warn";
            default -> "status status-bad";
        };
    }
}
