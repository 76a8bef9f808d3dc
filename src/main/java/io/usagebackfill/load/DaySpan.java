package io.usagebackfill.load;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.usagebackfill.normalize.TokenUsage;

/**
 * Rows per UTC day of {@code created_at} and the earliest and latest of them, so that a gap in the logs shows.
 * Immutable.
 */
public record DaySpan(Map<String, Long> perDay, Instant first, Instant last) {

    public static final DaySpan NONE = new DaySpan(Map.of(), null, null);

    public static DaySpan of(List<? extends TokenUsage> rows) {
        if (rows.isEmpty()) {
            return NONE;
        }
        Map<String, Long> perDay = new TreeMap<>();
        Instant first = null;
        Instant last = null;
        // A chunk's rows are mostly of one day: its name is made once per run of rows of the same day, not per row.
        long day = Long.MIN_VALUE;
        String dayName = null;
        for (TokenUsage row : rows) {
            long rowDay = Math.floorDiv(row.createdAt().getEpochSecond(), 86_400);
            if (rowDay != day) {
                day = rowDay;
                dayName = LocalDate.ofEpochDay(rowDay).toString();
            }
            perDay.merge(dayName, 1L, Long::sum);
            first = first == null || row.createdAt().isBefore(first) ? row.createdAt() : first;
            last = last == null || row.createdAt().isAfter(last) ? row.createdAt() : last;
        }
        return new DaySpan(perDay, first, last);
    }

    public DaySpan plus(DaySpan other) {
        if (other == null || other.perDay == null || other.perDay.isEmpty()) {
            return this;
        }
        Map<String, Long> days = new TreeMap<>(perDay == null ? Map.of() : perDay);
        other.perDay.forEach((name, count) -> days.merge(name, count, Long::sum));
        return new DaySpan(days, first == null || other.first != null && other.first.isBefore(first) ? other.first
                : first, last == null || other.last != null && other.last.isAfter(last) ? other.last : last);
    }
}
