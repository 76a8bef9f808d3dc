package io.usagebackfill.verify;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.usagebackfill.load.TableCheck;

/**
 * What {@code verify} found: the events read, and the rows that are not as the logs say, per kind and per UTC day,
 * with a few examples of each kind. Grows as the logs are read; its size is bounded by the days, not the rows. Not
 * thread-safe.
 */
public final class VerifyReport {

    static final List<String> KINDS = List.of("missing", "changed", "unexpected");
    private static final int EXAMPLES = 3;

    private long lines;
    private long events;
    private long compared;
    private long rejected;
    private Instant first;
    private Instant last;
    private final Map<String, Long> totals = new LinkedHashMap<>();
    private final Map<String, Map<String, Long>> perDay = new TreeMap<>();
    private final Map<String, List<String>> examples = new LinkedHashMap<>();
    private final List<String> rejectExamples = new ArrayList<>();
    private final List<String> unexpectedScope = new ArrayList<>();

    VerifyReport() {
        for (String kind : KINDS) {
            totals.put(kind, 0L);
            examples.put(kind, new ArrayList<>());
        }
    }

    void read(long linesRead, long eventsRead, long rowsCompared) {
        lines = linesRead;
        events = eventsRead;
        compared = rowsCompared;
    }

    void event(Instant at) {
        first = first == null || at.isBefore(first) ? at : first;
        last = last == null || at.isAfter(last) ? at : last;
    }

    void rejected(String where, String reason) {
        rejected++;
        if (rejectExamples.size() < EXAMPLES) {
            rejectExamples.add(where + ": " + reason);
        }
    }

    void scope(String run) {
        unexpectedScope.add(run);
    }

    void add(TableCheck.Mismatch mismatch) {
        totals.merge(mismatch.kind(), 1L, Long::sum);
        String day = mismatch.createdAt().atOffset(ZoneOffset.UTC).toLocalDate().toString();
        perDay.computeIfAbsent(day, d -> new LinkedHashMap<>()).merge(mismatch.kind(), 1L, Long::sum);
        List<String> some = examples.get(mismatch.kind());
        if (some.size() < EXAMPLES) {
            some.add("id " + mismatch.id() + " at " + mismatch.createdAt() + ": " + mismatch.detail());
        }
    }

    /** Whether the table holds exactly what the logs say, within what verify can know. */
    public boolean matches() {
        return totals.values().stream().allMatch(count -> count == 0);
    }

    public long count(String kind) {
        return totals.get(kind);
    }

    Instant first() {
        return first;
    }

    Instant last() {
        return last;
    }

    /** As {@code --report-json} writes it. */
    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("matches", matches());
        out.put("linesRead", lines);
        out.put("events", events);
        out.put("rowsCompared", compared);
        out.put("rejected", rejected);
        out.put("rejectExamples", rejectExamples);
        out.put("from", first == null ? null : first.toString());
        out.put("to", last == null ? null : last.toString());
        out.putAll(totals);
        out.put("unexpectedAmongRowsOf", unexpectedScope);
        out.put("perDay", perDay);
        out.put("examples", examples);
        return out;
    }

    /** The summary a person reads. */
    public List<String> summary() {
        List<String> text = new ArrayList<>();
        text.add(String.format("verify: %,d lines read, %,d events (%,d distinct) compared with the table%s",
                lines, events, compared, first == null ? "" : ", from " + first + " to " + last));
        text.add(compared == 0 ? "no event of these logs falls in the window given (or none was read), so there"
                + " was nothing to compare; check the paths and --since / --until"
                : matches() ? "the table holds every event of these logs as they say, and no row they do not give"
                : String.format("NOT matching: %,d missing, %,d changed, %,d unexpected", count("missing"),
                        count("changed"), count("unexpected")));
        if (rejected > 0) {
            text.add(String.format("%,d lines are events import would reject (not looked for in the table), e.g. %s",
                    rejected, rejectExamples.get(0)));
        }
        perDay.forEach((day, counts) -> text.add("  " + day + ": " + counts.entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey()).reduce((a, b) -> a + ", " + b).orElse("")));
        examples.forEach((kind, some) -> some.forEach(example -> text.add("  " + kind + ": " + example)));
        // Where unexpected rows were looked for, said as the scope it is, not as a finding.
        text.add(unexpectedScope.isEmpty() ? "(no run recorded inserting rows from these paths alone, so no row was"
                + " looked for as unexpected)"
                : "(unexpected rows were looked for among those that runs " + String.join(", ", unexpectedScope)
                        + ", which read only these paths, inserted in the logs' span)");
        return text;
    }
}
