package io.usagebackfill.normalize;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoUnit;
import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * Reads an event's time: epoch milliseconds ({@code Date.now()}), epoch seconds with a fraction
 * ({@code time.time()}), or ISO-8601 with {@code Z}, an offset, or no zone (taken as UTC). Results are truncated to
 * microseconds, PostgreSQL's precision, so the same event always loads the same value. Dates and times are read
 * strictly: {@code 2025-02-30}, {@code 2025-04-31} and {@code 24:00} are not times. Stateless and thread-safe.
 */
public final class EventTime {

    static final List<String> FIELDS = List.of("time", "timestamp", "ts", "@timestamp");

    /** Numbers below this are seconds, above it milliseconds: 1e11 s is the year 5138, 1e11 ms is 1973. */
    private static final BigDecimal SECONDS_LIMIT = BigDecimal.valueOf(100_000_000_000L);
    private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("2100-01-01T00:00:00Z");

    private static final DateTimeFormatter ISO_OPTIONAL_OFFSET = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .appendLiteral('T')
            .append(DateTimeFormatter.ISO_LOCAL_TIME)
            .optionalStart().appendOffset("+HH:MM:ss", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHmm", "Z").optionalEnd()
            .toFormatter()
            // SMART would move 2025-02-30 to 2025-02-28 and 24:00 to the next day: a guessed time, not the logged one.
            .withResolverStyle(ResolverStyle.STRICT);

    private EventTime() {
    }

    /** The event's own time, or {@code fallback} when it has none; rejects a time that cannot be read. */
    static Instant read(JsonNode event, Instant fallback) {
        Fields.Found found = Fields.first(event, FIELDS);
        if (found == null) {
            if (fallback == null) {
                throw new RejectedLineException("the event has no timestamp (time, timestamp, ts or @timestamp),"
                        + " and stamping it with the import time would misplace it in every date query");
            }
            return withinRange("the line's time", fallback);
        }
        JsonNode value = found.value();
        Instant instant = value.isNumber() ? fromEpoch(Numbers.decimal(found.name(), value))
                : value.isString() ? parseText(value.stringValue()) : null;
        if (instant == null) {
            throw new RejectedLineException(found.name() + " is " + Numbers.describe(value)
                    + ", not a timestamp (expected ISO-8601 or epoch milliseconds)");
        }
        return withinRange(found.name(), instant);
    }

    /** The prefix's or wrapper's time is checked like the payload's: year 225 is a typo, not a time to store. */
    private static Instant withinRange(String name, Instant instant) {
        if (instant.isBefore(EARLIEST) || !instant.isBefore(LATEST)) {
            throw new RejectedLineException(name + " is " + instant + ", outside 2000-2099");
        }
        return instant;
    }

    /** An ISO-8601 or numeric epoch text as an instant, or null when it is neither. */
    public static Instant parseText(String text) {
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            return null;
        }
        BigDecimal epoch = Numbers.parseDecimal(trimmed);
        if (epoch != null) {
            return fromEpoch(epoch);
        }
        String iso = trimmed.length() > 10 && trimmed.charAt(10) == ' '
                ? trimmed.substring(0, 10) + 'T' + trimmed.substring(11) : trimmed;
        try {
            var parsed = ISO_OPTIONAL_OFFSET.parseBest(iso, OffsetDateTime::from, LocalDateTime::from);
            Instant instant = parsed instanceof OffsetDateTime offset ? offset.toInstant()
                    : ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
            return instant.truncatedTo(ChronoUnit.MICROS);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static Instant fromEpoch(BigDecimal epoch) {
        try {
            BigDecimal micros = epoch.abs().compareTo(SECONDS_LIMIT) < 0 ? epoch.movePointRight(6)
                    : epoch.movePointRight(3);
            long value = micros.setScale(0, java.math.RoundingMode.DOWN).longValueExact();
            return Instant.EPOCH.plus(value, ChronoUnit.MICROS);
        } catch (ArithmeticException | DateTimeException e) {
            return null;
        }
    }
}
