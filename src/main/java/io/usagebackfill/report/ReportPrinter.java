package io.usagebackfill.report;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import io.usagebackfill.config.OutputFile;
import io.usagebackfill.load.TargetNotes;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Prints a {@link RunReport} for people (a short summary) and for machines (JSON). Thread-safe. */
public final class ReportPrinter {

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private static final JsonMapper COMPACT = JsonMapper.builder().build();

    private ReportPrinter() {
    }

    public static void printSummary(RunReport r, PrintStream out) {
        out.printf(Locale.ROOT, "usage-backfill: %s%s (run %d, execution %d) in %.1f s%n", r.status(),
                r.dryRun() ? ", dry run" : "", r.runId(), r.executionId(), r.durationMs() / 1000.0);
        out.println("  database: " + (r.database() == null ? "none (--csv-out)" : r.database()));
        if (r.paths() != null && !r.paths().isEmpty()) {
            out.println("  paths: " + String.join(", ", r.paths()));
        }
        // A run that did not complete counts what its committed chunks hold, which can be less than the progress
        // showed read: the chunk in flight was rolled back and is read again by `restart`.
        out.printf(Locale.ROOT, "  %s%s, %s: %s, %,d ignored, %s%s%n", count(r.files(), "file"),
                r.unchangedFiles() > 0 ? " read (" + r.unchangedFiles() + " unchanged since the last run, skipped)"
                        : "",
                count(r.linesRead(), "line"), count(r.events(), "event"), r.ignored(),
                count(r.noiseLines(), "other line"),
                List.of("COMPLETED", "NOT_RECONCILED").contains(r.status()) ? ""
                        : " in the chunks committed before it ended");
        long beyondLines = r.events() + r.ignored() + r.noiseLines() - r.linesRead();
        if (beyondLines > 0) {
            out.printf(Locale.ROOT, "  (these add up to %,d more than the lines: a line holding several records (an"
                    + " OpenTelemetry export request, a CloudWatch subscription's logEvents) counts each that names"
                    + " token_usage as an event or as ignored)%n",
                    beyondLines);
        }
        if (r.reached() != null && r.reached().linesRead() > r.linesRead()) {
            out.printf(Locale.ROOT, "  it had read %s (%,d of %,d bytes) when it ended; the chunk in flight was"
                    + " rolled back, and `restart` reads it again%n", count(r.reached().linesRead(), "line"),
                    r.reached().bytesRead(), r.reached().bytesInAll());
        }
        if (r.ignored() > 0 && r.ignoredExample() != null) {
            out.printf(Locale.ROOT, "  %s ignored: %s token_usage but no field names it as the event (not"
                    + " rejected), e.g. %s%n", count(r.ignored(), "line"),
                    r.ignored() == 1 ? "it mentions" : "they mention", r.ignoredExample());
        }
        if (r.zonelessTimes() > 0) {
            out.printf(Locale.ROOT, "  %s logged %s time without a zone; read as %s%n",
                    count(r.zonelessTimes(), "event"), r.zonelessTimes() == 1 ? "its" : "their",
                    r.logTimezone() == null ? "UTC" : r.logTimezone());
        }
        if (r.dryRun()) {
            out.printf(Locale.ROOT, "  dry run, nothing written: would insert %,d, %,d already in the table,"
                    + " %,d repeated within these logs, %,d rejected; %,d bytes in %s%n", r.inserted(),
                    r.alreadyInTable(), r.duplicatesInInput(), r.rejected(), r.fileBytes(), count(r.files(), "file"));
        } else if (r.database() == null) {
            // An export (--csv-out): no table, so nothing is "already in" one.
            out.printf(Locale.ROOT, "  events: %,d written, %,d repeated within these logs, %,d rejected%n",
                    r.inserted(), r.duplicatesInInput(), r.rejected());
        } else {
            out.printf(Locale.ROOT, "  events: %,d inserted, %,d already in the table, %,d repeated within these logs,"
                    + " %,d rejected%n", r.inserted(), r.alreadyInTable(), r.duplicatesInInput(), r.rejected());
        }
        if (r.firstCreatedAt() != null) {
            out.printf(Locale.ROOT, "  %s span %s to %s, %s with rows (per day in --report-json)%n",
                    r.dryRun() ? "the rows of these logs, planned or already there"
                            : r.database() == null ? "rows written" : "the rows of these logs in the table",
                    r.firstCreatedAt(), r.lastCreatedAt(),
                    count(r.perDay().size(), "day"));
        }
        printTable(r, out);
        printReconciliation(r, out);
        if (r.estimatedCosts() > 0) {
            out.printf(Locale.ROOT, "  costs estimated from --prices for %s that logged none%n",
                    count(r.estimatedCosts(), "event"));
        }
        if (r.window() != null) {
            out.printf(Locale.ROOT, "  window: %s; %s outside it left out%n", r.window(),
                    count(r.outsideWindow(), "valid event"));
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
            String models = r.models().stream().limit(shown)
                    .map(m -> m.model() + " " + count(m.calls(), "call") + " " + count(m.tokens(), "token"))
                    .collect(Collectors.joining("; "));
            out.printf(Locale.ROOT, "  %s $%s; by model: %s%s%n", r.dryRun() ? "cost it would insert"
                    : r.database() == null ? "written cost" : "inserted cost",
                    r.totalCostUsd().toPlainString(), models, more);
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

    /** How the rows went into the table where that is not a plain COPY, and what its partitions took. */
    private static void printTable(RunReport r, PrintStream out) {
        RunReport.Table table = r.table();
        if (table == null) {
            return;
        }
        if (table.rowLevelSecurity()) {
            out.println("  loaded through a staging table: " + table.loadPath());
        }
        if (!table.missingPartitions().isEmpty()) {
            long events = table.missingPartitions().stream().mapToLong(TargetNotes.Partition::events).sum();
            String them = table.missingPartitions().size() == 1 ? "it" : "them";
            out.printf(Locale.ROOT, "  no partition takes %s of these logs (%s); a real run with --create-partitions"
                    + " makes %s before loading, and without it stops before writing:%n", count(events, "event"),
                    count(table.missingPartitions().size(), "range"), them);
            for (TargetNotes.Partition p : table.missingPartitions()) {
                out.printf(Locale.ROOT, "    [%s, %s) %s: %s%n", p.from(), p.to(), count(p.events(), "event"),
                        p.ddl());
            }
        }
        if (!table.createdPartitions().isEmpty()) {
            out.println("  partitions made before loading (--create-partitions): " + table.createdPartitions()
                    .stream().map(p -> p.name() + " [" + p.from() + ", " + p.to() + ")")
                    .collect(Collectors.joining(", ")));
        }
        if (table.rowsInDefaultPartition() > 0) {
            out.printf(Locale.ROOT, "  %s %s in the DEFAULT partition %s, which no other partition fits; by"
                    + " month: %s%n", count(table.rowsInDefaultPartition(), "row"), r.dryRun() ? "would land"
                    : "landed", table.defaultPartition(),
                    table.inDefaultPartitionByMonth().entrySet().stream()
                            .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
        }
    }

    private static void printReconciliation(RunReport r, PrintStream out) {
        RunReport.Reconciliation c = r.reconciliation();
        String read = String.format(Locale.ROOT, "%,d prompt, %,d completion and %,d total tokens and $%s",
                c.readPromptTokens(), c.readCompletionTokens(), c.readTokens(), c.readCostUsd().toPlainString());
        if (!c.matches()) {
            out.printf(Locale.ROOT, "  NOT reconciled: read %s; the table holds %,d prompt, %,d completion and"
                    + " %,d total tokens and $%s for them%n", read, c.loadedPromptTokens(), c.loadedCompletionTokens(),
                    c.loadedTokens(), c.loadedCostUsd().toPlainString());
            if (c.missingRows() > 0 || c.changedRows() > 0) {
                out.printf(Locale.ROOT, "  %s no row after the insert, %s other values than were read; for"
                        + " example:%n", count(c.missingRows(), "event has", "events have"),
                        count(c.changedRows(), "row holds", "rows hold"));
                for (String difference : c.differences()) {
                    out.println("    " + difference);
                }
            }
        } else if (r.dryRun()) {
            out.printf(Locale.ROOT, "  read %s (the rows already in the table hold the same)%n", read);
        } else {
            out.printf(Locale.ROOT, "  reconciled: the %s read (an event repeated within the logs counted each"
                    + " time) are in the %s%n", read, r.database() == null ? "CSV" : "table");
        }
    }

    /** {@code 1 call}, {@code 2 calls}, {@code 1,024 calls}. */
    static String count(long n, String noun) {
        return String.format(Locale.ROOT, "%,d %s%s", n, noun, n == 1 ? "" : "s");
    }

    /** {@code 1 row holds}, {@code 2 rows hold}. */
    static String count(long n, String one, String many) {
        return String.format(Locale.ROOT, "%,d %s", n, n == 1 ? one : many);
    }

    /** Writes the report to {@code file} from its start, never through a symbolic link. */
    public static void writeJson(RunReport report, Path file) throws IOException {
        try (OutputStream out = OutputFile.create(file)) {
            out.write((JSON.writeValueAsString(report) + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The execution a report file already there reports, or 0 when there is none (or it is no report). */
    public static long executionOf(Path file) {
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                return 0;
            }
            return COMPACT.readTree(Files.readString(file)).path("executionId").asLong(0);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
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
                // Ties by name: partitions merge their reasons in the order they finish, which differs by run.
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(3)
                .map(e -> e.getKey() + " (" + e.getValue() + ")")
                .collect(Collectors.joining("; "));
    }
}
