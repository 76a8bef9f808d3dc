package io.usagebackfill.catalog;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoUnit;

import tools.jackson.databind.JsonNode;

/**
 * Reads an event's time: epoch seconds with a fraction ({@code time.time()}, Python's {@code created}), milliseconds
 * ({@code Date.now()}), microseconds or nanoseconds (OpenTelemetry's {@code timeUnixNano}), or ISO-8601 with
 * {@code Z}, an offset, or no zone (read in the given zone, UTC unless {@code --log-timezone} says otherwise; a comma
 * before the fraction, as Python's {@code asctime} writes it, is read as the decimal point). An event's time is
 * rounded half up to the microsecond, PostgreSQL's precision ({@code .9999995} is the next second), as the row
 * holds it ({@link TokenUsage}); a text's finer digits are kept until then, since a container wrapper's time is
 * also part of the row id ({@link io.usagebackfill.parse.RecognizedEvent#identity}). Dates and times are read
 * strictly: {@code 2025-02-30}, {@code 2025-04-31} and {@code 24:00} are not times. Stateless and thread-safe.
 */
public final class EventTime {

    /** Numbers below this are seconds, then milliseconds, microseconds, nanoseconds: 1e11 s is the year 5138. */
    private static final BigDecimal SECONDS_LIMIT = BigDecimal.valueOf(100_000_000_000L);
    private static final BigDecimal MILLIS_LIMIT = SECONDS_LIMIT.movePointRight(3);
    private static final BigDecimal MICROS_LIMIT = SECONDS_LIMIT.movePointRight(6);
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

    private static final java.util.regex.Pattern COMMON_LOG = java.util.regex.Pattern.compile(
            "(\\d{2})/([A-Za-z]{3})/(\\d{4}):(\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?)(?:\\s*T?\\s*([+-]\\d{4}))?");
    private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

    private EventTime() {
    }

    /** A time read, and whether its text had no zone (so it was read in the configured one). */
    public record Stamp(Instant instant, boolean zoneless) {
    }

    /**
     * The event's own time ({@code found}), or {@code fallback} (the line's prefix or wrapper time) when it has
     * none; rejects a time that cannot be read, and an event with neither.
     */
    public static Stamp read(Fields.Found found, Stamp fallback, ZoneId zone, String lookedFor) {
        if (found == null) {
            if (fallback == null) {
                throw new RejectedLineException("the event has no timestamp (" + lookedFor + "),"
                        + " and stamping it with the import time would misplace it in every date query");
            }
            return withinRange("the line's time", fallback);
        }
        JsonNode value = found.value();
        Stamp stamp = value.isNumber() ? epochStamp(found.name(), value)
                : value.isString() ? parse(value.stringValue(), zone) : null;
        if (stamp == null) {
            throw new RejectedLineException(found.name() + " is " + Numbers.describe(value)
                    + ", not a timestamp (expected ISO-8601 or epoch seconds, milliseconds or nanoseconds)");
        }
        return withinRange(found.name(), stamp);
    }

    /**
     * {@code instant} rounded half up to the microsecond: {@code .1234565} is {@code .123457}, and
     * {@code 10:00:00.9999995} is {@code 10:00:01}, as the time was written nearer to it.
     */
    public static Instant toMicros(Instant instant) {
        int belowMicros = instant.getNano() % 1_000;
        return belowMicros == 0 ? instant : instant.plusNanos(belowMicros < 500 ? -belowMicros : 1_000 - belowMicros);
    }

    /**
     * The stamp to the microsecond, checked as stored (2099's last half microsecond is 2100): the prefix's or
     * wrapper's time like the payload's, since year 225 is a typo, not a time to store.
     */
    private static Stamp withinRange(String name, Stamp stamp) {
        Instant instant = toMicros(stamp.instant());
        if (instant.isBefore(EARLIEST) || !instant.isBefore(LATEST)) {
            throw new RejectedLineException(name + " is " + instant + ", outside 2000-2099");
        }
        return instant == stamp.instant() ? stamp : new Stamp(instant, stamp.zoneless());
    }

    /**
     * An ISO-8601 or numeric epoch text as an instant (a time without a zone as UTC), or null when it is neither;
     * ISO-8601's fraction is kept to the nanosecond, an epoch number's is rounded to the microsecond.
     */
    public static Instant parseText(String text) {
        Stamp stamp = parse(text, ZoneOffset.UTC);
        return stamp == null ? null : stamp.instant();
    }

    /** An ISO-8601 or numeric epoch text; a time without a zone is read in {@code zone}. Null when it is neither. */
    public static Stamp parse(String text, ZoneId zone) {
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            return null;
        }
        BigDecimal epoch = Numbers.parseDecimal(trimmed);
        if (epoch != null) {
            return epochStamp(epoch);
        }
        java.util.regex.Matcher common = COMMON_LOG.matcher(trimmed);
        if (common.matches()) {
            // Apache's and nginx's access logs: 07/Dec/2026:10:59:49 +0000.
            String month = common.group(2);
            int number = MONTHS.indexOf(month.substring(0, 1).toUpperCase(java.util.Locale.ROOT)
                    + month.substring(1).toLowerCase(java.util.Locale.ROOT));
            if (number < 0 || number % 3 != 0) {
                return null;
            }
            String rebuilt = common.group(3) + "-" + String.format("%02d", number / 3 + 1) + "-" + common.group(1)
                    + "T" + common.group(4) + (common.group(5) == null ? "" : common.group(5));
            return parse(rebuilt, zone);
        }
        StringBuilder iso = new StringBuilder(trimmed);
        if (iso.length() > 10 && iso.charAt(10) == ' ') {
            iso.setCharAt(10, 'T');
        }
        if (iso.length() > 19 && iso.charAt(19) == ',') {
            iso.setCharAt(19, '.');
        }
        try {
            var parsed = ISO_OPTIONAL_OFFSET.parseBest(iso, OffsetDateTime::from, LocalDateTime::from);
            if (parsed instanceof OffsetDateTime offset) {
                return new Stamp(offset.toInstant(), false);
            }
            LocalDateTime wall = (LocalDateTime) parsed;
            java.util.List<java.time.ZoneOffset> offsets = zone.getRules().getValidOffsets(wall);
            if (offsets.size() != 1) {
                // java.time would move a skipped time forward and take the earlier of a repeated one: a guess.
                throw new RejectedLineException("the time " + trimmed + " " + (offsets.isEmpty()
                        ? "does not exist in " + zone + " (the clocks skipped it that day)"
                        : "happened twice in " + zone + " (the clocks went back that day), so which is unknowable")
                        + "; log times with their offset, or check --log-timezone");
            }
            return new Stamp(wall.toInstant(offsets.get(0)), true);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** A JSON number as an epoch time; a whole one that is not negative without a decimal (most times). */
    private static Stamp epochStamp(String name, JsonNode value) {
        if (value.isIntegralNumber() && value.canConvertToLong() && value.longValue() >= 0) {
            return new Stamp(Instant.EPOCH.plus(epochMicros(value.longValue()), ChronoUnit.MICROS), false);
        }
        return epochStamp(Numbers.decimal(name, value));
    }

    /** {@link #fromEpoch}'s microseconds of a whole number that is not negative, as it computes them. */
    static long epochMicros(long epoch) {
        if (epoch < SECONDS_LIMIT_LONG) {
            return epoch * 1_000_000;
        }
        if (epoch < SECONDS_LIMIT_LONG * 1_000) {
            return epoch * 1_000;
        }
        if (epoch < SECONDS_LIMIT_LONG * 1_000_000) {
            return epoch;
        }
        // Nanoseconds, half up to the microsecond.
        return epoch / 1_000 + (epoch % 1_000 >= 500 ? 1 : 0);
    }

    private static final long SECONDS_LIMIT_LONG = 100_000_000_000L;

    private static Stamp epochStamp(BigDecimal epoch) {
        Instant instant = fromEpoch(epoch);
        return instant == null ? null : new Stamp(instant, false);
    }

    private static Instant fromEpoch(BigDecimal epoch) {
        try {
            BigDecimal size = epoch.abs();
            BigDecimal micros = size.compareTo(SECONDS_LIMIT) < 0 ? epoch.movePointRight(6)
                    : size.compareTo(MILLIS_LIMIT) < 0 ? epoch.movePointRight(3)
                    : size.compareTo(MICROS_LIMIT) < 0 ? epoch : epoch.movePointLeft(3);
            // Straight to microseconds: rounding to nanoseconds first would round .12345649999 twice, up.
            long value = micros.setScale(0, RoundingMode.HALF_UP).longValueExact();
            return Instant.EPOCH.plus(value, ChronoUnit.MICROS);
        } catch (ArithmeticException | DateTimeException e) {
            return null;
        }
    }
}
