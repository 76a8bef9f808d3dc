package io.usagebackfill.reject;

import java.util.Map;
import java.util.TreeMap;

/**
 * How far the rejects files are written, and what they hold, as saved with each checkpoint.
 *
 * @param byReason reject counts by kind of reason ("user_id is not a UUID"), for the report
 * @param examples the first reject of each kind in {@code byReason}; none in a checkpoint saved before they were kept
 */
public record RejectsPosition(long linesBytes, long reasonsBytes, long count, Map<String, Long> byReason,
        Map<String, RejectExample> examples) {

    public RejectsPosition {
        examples = examples == null ? Map.of() : examples;
    }

    public static RejectsPosition empty() {
        return new RejectsPosition(0, 0, 0, Map.of(), Map.of());
    }

    /**
     * Another partition's rejects added to these (the lengths are then only a sum, not a place in one file); of two
     * examples of a kind, this one's stays.
     */
    public RejectsPosition plus(RejectsPosition other) {
        Map<String, Long> reasons = new TreeMap<>(byReason);
        other.byReason.forEach((kind, n) -> reasons.merge(kind, n, Long::sum));
        Map<String, RejectExample> both = new TreeMap<>(examples);
        other.examples.forEach(both::putIfAbsent);
        return new RejectsPosition(linesBytes + other.linesBytes, reasonsBytes + other.reasonsBytes,
                count + other.count, reasons, both);
    }
}
