package io.usagebackfill.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The transactions a run's own rows were inserted by, to tell a row the run inserted (its repeat is a repeat
 * within the logs) from one that was there before it or that another run inserted while it was stopped (already in
 * the table): a row's {@code xmin} younger than the current execution's start, or within an earlier execution's
 * span, from its start to its last committed chunk. One run holds the database's lock at a time, so nobody else's
 * name-based rows are inserted inside those spans. Immutable and thread-safe.
 *
 * @param earlier the spans of the run's earlier executions, each {@code [start, last chunk]} as 32-bit xids
 * @param start {@code txid_current()} when the current execution started
 */
public record RunXids(List<long[]> earlier, long start) {

    private static final long XID_SPACE = 1L << 32;

    public static RunXids startingAt(long txid) {
        return new RunXids(List.of(), txid);
    }

    /**
     * A restart: the span that ended at {@code lastChunkXid} (a 32-bit xid, or null when no chunk committed) is
     * kept, and the new execution starts at {@code txid}.
     */
    public RunXids restartedAt(long txid, Long lastChunkXid) {
        List<long[]> spans = new ArrayList<>(earlier);
        if (lastChunkXid != null) {
            spans.add(new long[] {start % XID_SPACE, lastChunkXid});
        }
        return new RunXids(List.copyOf(spans), txid);
    }

    /**
     * A SQL condition, true when the transaction {@code xmin} (an {@code xid} expression, such as {@code t.xmin})
     * is one of the run's: younger than a span's start and not younger than its end. {@code age()} counts from now,
     * so a younger transaction has the smaller age, and a frozen row's is the largest there is. The numbers are
     * the run's own state, never input.
     */
    public String owns(String xmin) {
        StringBuilder sql = new StringBuilder("(age(").append(xmin).append(") < age('")
                .append(start % XID_SPACE).append("'::xid)");
        for (long[] span : earlier) {
            sql.append(String.format(Locale.ROOT, " OR (age(%s) < age('%d'::xid) AND age(%s) >= age('%d'::xid))",
                    xmin, span[0], xmin, span[1]));
        }
        return sql.append(')').toString();
    }

    /** As the job's context keeps it: {@code start} then each span as {@code from-to}, comma-separated. */
    public String write() {
        StringBuilder text = new StringBuilder(Long.toString(start));
        for (long[] span : earlier) {
            text.append(',').append(span[0]).append('-').append(span[1]);
        }
        return text.toString();
    }

    public static RunXids read(String text) {
        String[] parts = text.split(",");
        List<long[]> spans = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            String[] span = parts[i].split("-");
            spans.add(new long[] {Long.parseLong(span[0]), Long.parseLong(span[1])});
        }
        return new RunXids(List.copyOf(spans), Long.parseLong(parts[0]));
    }
}
