package io.usagebackfill.normalize;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The events an import keeps, by {@code created_at}: from {@code since} (inclusive) to {@code until} (exclusive),
 * either end open when null. Half-open, so consecutive windows ({@code --since D1 --until D2}, then
 * {@code --since D2 ...}) neither overlap nor leave a gap. Immutable.
 */
public record TimeWindow(Instant since, Instant until) {

    public static final TimeWindow ALL = new TimeWindow(null, null);

    public TimeWindow {
        if (since != null && until != null && !since.isBefore(until)) {
            throw new IllegalArgumentException("--since " + since + " is not before --until " + until
                    + "; the window would hold no event");
        }
    }

    /** The window a run saved in its job parameters: instants, an empty or missing one for an open end. */
    public static TimeWindow saved(String since, String until) {
        return new TimeWindow(parse("since", since), parse("until", until));
    }

    /** Whether an event at {@code time} is loaded. */
    public boolean contains(Instant time) {
        return (since == null || !time.isBefore(since)) && (until == null || time.isBefore(until));
    }

    public boolean isAll() {
        return since == null && until == null;
    }

    /**
     * Reads an option's value: a date ({@code 2025-11-01}, midnight UTC) or an instant with {@code Z} or an offset
     * ({@code 2025-11-01T12:00:00Z}).
     *
     * @throws IllegalArgumentException naming the option, for anything else
     */
    public static Instant parse(String option, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            if (value.length() == 10) {
                return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(option + " " + value + " is not a date or an instant; use 2025-11-01"
                    + " (midnight UTC) or 2025-11-01T12:00:00Z");
        }
    }

    /** How the report and the summary say it. */
    public String describe() {
        return (since == null ? "the beginning" : since.toString()) + " to "
                + (until == null ? "the end" : until.toString()) + " (end excluded)";
    }
}
