package io.usagebackfill.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Prints a {@link RunReport} for people (a short summary) and for machines (JSON). Thread-safe. */
public final class ReportPrinter {

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private static final JsonMapper COMPACT = JsonMapper.builder().build();

    private ReportPrinter() {
    }

    public static void printSummary(RunReport r, PrintStream out) {
        out.printf(Locale.ROOT, "usage-backfill: %s (run %d, execution %d) in %.1f s%n", r.status(), r.runId(),
                r.executionId(), r.durationMs() / 1000.0);
        out.printf(Locale.ROOT, "  %d files%s, %,d lines: %,d events, %,d ignored, %,d other lines%n", r.files(),
                r.unchangedFiles() > 0 ? " read (" + r.unchangedFiles() + " unchanged since the last run, skipped)" : "",
                r.linesRead(), r.events(), r.ignored(), r.noiseLines());
        if (r.dryRun()) {
            out.printf(Locale.ROOT, "  dry run, nothing written: %,d events would be inserted, %,d are already there,"
                    + " %,d rejected; %,d bytes in %d files%n", r.inserted(), r.duplicates(), r.rejected(),
                    r.fileBytes(), r.files());
        } else {
            out.printf(Locale.ROOT, "  events: %,d inserted, %,d duplicates skipped, %,d rejected%n", r.inserted(),
                    r.duplicates(), r.rejected());
        }
        if (r.firstCreatedAt() != null) {
            out.printf(Locale.ROOT, "  rows inserted span %s to %s, %d days with rows (per day in --report-json)%n",
                    r.firstCreatedAt(), r.lastCreatedAt(), r.perDay().size());
        }
        if (r.reconciliation().matches()) {
            out.printf(Locale.ROOT, "  reconciled: the %,d tokens and $%s read are in the table%n",
                    r.reconciliation().readTokens(), r.reconciliation().readCostUsd().toPlainString());
        } else {
            out.printf(Locale.ROOT, "  NOT reconciled: read %,d tokens and $%s, the table holds %,d tokens and $%s"
                    + " for them%n", r.reconciliation().readTokens(), r.reconciliation().readCostUsd().toPlainString(),
                    r.reconciliation().loadedTokens(), r.reconciliation().loadedCostUsd().toPlainString());
        }
        if (r.estimatedCosts() > 0) {
            out.printf(Locale.ROOT, "  costs estimated from --prices for %,d events that logged none%n",
                    r.estimatedCosts());
        }
        if (r.window() != null) {
            out.printf(Locale.ROOT, "  window: %s; %,d valid events outside it were left out%n", r.window(),
                    r.outsideWindow());
        }
        if (r.nulledUserIds() + r.nulledSessionIds() + r.inferredProviders() > 0) {
            out.printf(Locale.ROOT, "  unknown user ids nulled %,d, unknown session ids nulled %,d,"
                    + " providers inferred from the model %,d%n", r.nulledUserIds(), r.nulledSessionIds(),
                    r.inferredProviders());
        }
        if (!r.models().isEmpty()) {
            int shown = Math.min(r.models().size(), 5);
            String more = r.models().size() > shown
                    ? String.format(Locale.ROOT, "; %d more in --report-json", r.models().size() - shown) : "";
            out.printf(Locale.ROOT, "  inserted cost $%s; by model: %s%s%n", r.totalCostUsd().toPlainString(),
                    r.models().stream().limit(shown).map(m -> String.format(Locale.ROOT, "%s %,d calls %,d tokens",
                            m.model(), m.calls(), m.tokens())).collect(Collectors.joining("; ")), more);
        }
        if (r.rejectsFile() != null) {
            out.printf(Locale.ROOT, "  rejected lines are in %s, with reasons in %s.reasons.csv; top reasons: %s%n",
                    r.rejectsFile(), r.rejectsFile(), topReasons(r.rejectReasons()));
        }
        for (String notice : r.notices()) {
            out.println("  note: " + notice);
        }
        if (r.error() != null) {
            out.println("  error: " + r.error());
        }
    }

    public static void writeJson(RunReport report, Path file) throws IOException {
        Files.writeString(file, JSON.writeValueAsString(report) + "\n");
    }

    /** One line of JSON, for log lines a scheduler parses. */
    public static String compactJson(Object value) {
        return COMPACT.writeValueAsString(value);
    }

    public static String json(Object value) {
        return JSON.writeValueAsString(value);
    }

    private static String topReasons(Map<String, Long> reasons) {
        return reasons.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(3)
                .map(e -> e.getKey() + " (" + e.getValue() + ")")
                .collect(Collectors.joining("; "));
    }
}
