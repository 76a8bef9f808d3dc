package io.usagebackfill.reject;

import java.util.Map;

/**
 * How far the rejects files are written, and what they hold, as saved with each checkpoint.
 *
 * @param byReason reject counts by kind of reason ("user_id is not a UUID"), for the report
 */
public record RejectsPosition(long linesBytes, long reasonsBytes, long count, Map<String, Long> byReason) {

    public static RejectsPosition empty() {
        return new RejectsPosition(0, 0, 0, Map.of());
    }

    /** Another partition's rejects added to these (the lengths are then only a sum, not a place in one file). */
    public RejectsPosition plus(RejectsPosition other) {
        Map<String, Long> reasons = new java.util.TreeMap<>(byReason);
        other.byReason.forEach((kind, n) -> reasons.merge(kind, n, Long::sum));
        return new RejectsPosition(linesBytes + other.linesBytes, reasonsBytes + other.reasonsBytes,
                count + other.count, reasons);
    }
}
