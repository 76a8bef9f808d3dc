package io.usagebackfill.load;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The {@code created_at} range one partition of a table partitioned by RANGE on it holds, {@code [from, to)}: a
 * partition that is there, or one the rows need that is not. Immutable.
 *
 * @param schema the partition's schema
 * @param name the partition's name (for a missing one, the name it would be made under)
 * @param from the lower bound, inclusive; null for MINVALUE
 * @param to the upper bound, exclusive; null for MAXVALUE
 */
public record PartitionRange(String schema, String name, Instant from, Instant to) {

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    /** Whether {@code time} falls in this range. */
    public boolean holds(Instant time) {
        return (from == null || !time.isBefore(from)) && (to == null || time.isBefore(to));
    }

    /** {@code [2025-10-01T00:00:00Z, 2025-11-01T00:00:00Z)}, as messages write it. */
    public String describe() {
        return "[" + (from == null ? "MINVALUE" : from.toString()) + ", " + (to == null ? "MAXVALUE" : to.toString())
                + ")";
    }

    /** The partition's name as SQL takes it, quoted. */
    public String sql() {
        return new TargetTable(schema, name).sql();
    }

    /** The partition's name as a person types it. */
    public String typed() {
        return new TargetTable(schema, name).typed();
    }

    /**
     * A bound as an SQL literal in UTC: {@code '2025-10-01 00:00:00+00'} for a {@code timestamptz} key,
     * {@code '2025-10-01 00:00:00'} for a {@code timestamp} one (which holds UTC times, as the tool writes them).
     */
    static String literal(Instant bound, boolean withZone) {
        String text = SECONDS.format(bound);
        int micros = bound.getNano() / 1_000;
        if (micros != 0) {
            text += String.format(java.util.Locale.ROOT, ".%06d", micros);
        }
        return "'" + text + (withZone ? "+00" : "") + "'";
    }
}
