package io.usagebackfill.normalize;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The zone in which times logged without one are read ({@code --log-timezone}): UTC unless set. Python's
 * {@code asctime}, log4js' basic layout and many custom formats write the machine's local time without saying which.
 * Stateless and thread-safe.
 */
public final class LogZone {

    private LogZone() {
    }

    /**
     * The zone named by {@code text} (a region such as {@code Europe/Berlin}, {@code UTC} or an offset such as
     * {@code +01:00}); UTC for null or empty.
     *
     * @throws IllegalArgumentException naming the value when it is no zone
     */
    public static ZoneId of(String text) {
        if (text == null || text.isBlank()) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(text.strip());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("--log-timezone " + text + " is not a time zone; give a region such"
                    + " as Europe/Berlin, UTC, or an offset such as +01:00");
        }
    }

    /** The zone as the report names it. */
    public static String describe(String text) {
        ZoneId zone = of(text);
        return zone.equals(ZoneOffset.UTC) ? "UTC" : zone.getId();
    }
}
