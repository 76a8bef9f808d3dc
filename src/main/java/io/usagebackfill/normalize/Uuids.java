package io.usagebackfill.normalize;

import io.usagebackfill.catalog.RejectedLineException;
import io.usagebackfill.catalog.Numbers;
import io.usagebackfill.catalog.Fields;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

/**
 * Strict UUID reading: exactly 8-4-4-4-12 ASCII hex digits. {@link UUID#fromString} also accepts forms such as
 * {@code 1-2-3-4-5}, and {@link Character#digit} full-width and other non-ASCII digits, so neither can be the check.
 * Public so that field catalogs can reuse it. Stateless and thread-safe.
 */
public final class Uuids {

    private Uuids() {
    }

    /** The UUID, null for null/absent/empty, or a rejection naming the field. */
    static UUID read(Fields.Found found) {
        return found == null ? null : read(found.name(), found.value());
    }

    /**
     * The UUID a field holds, or null when it is null or empty.
     *
     * @param name the field's name as logged, for the rejection
     * @throws RejectedLineException when it holds anything but a canonical UUID
     */
    public static UUID read(String name, JsonNode value) {
        if (value == null || value.isNull() || value.isString() && value.stringValue().isEmpty()) {
            return null;
        }
        UUID uuid = value.isString() ? parseCanonical(value.stringValue()) : null;
        if (uuid != null) {
            return uuid;
        }
        throw new RejectedLineException(name + " is " + Numbers.describe(value) + ", not a UUID");
    }

    /** Whether {@code text} is 8-4-4-4-12 ASCII hex digits, in either letter case. */
    public static boolean isCanonical(String text) {
        return parseCanonical(text) != null;
    }

    /** The UUID of 8-4-4-4-12 ASCII hex digits, read in one pass, or null when {@code text} is anything else. */
    static UUID parseCanonical(String text) {
        if (text.length() != 36 || text.charAt(8) != '-' || text.charAt(13) != '-' || text.charAt(18) != '-'
                || text.charAt(23) != '-') {
            return null;
        }
        long first = hex(text, 0, 8);
        long second = hex(text, 9, 13);
        long third = hex(text, 14, 18);
        long fourth = hex(text, 19, 23);
        long last = hex(text, 24, 36);
        if ((first | second | third | fourth | last) < 0) {
            return null;
        }
        return new UUID(first << 32 | second << 16 | third, fourth << 48 | last);
    }

    /** Each ASCII character's value as a hex digit, -1 for the others. */
    private static final byte[] HEX_DIGITS = new byte[128];

    static {
        java.util.Arrays.fill(HEX_DIGITS, (byte) -1);
        for (int i = 0; i < 16; i++) {
            HEX_DIGITS["0123456789abcdef".charAt(i)] = (byte) i;
            HEX_DIGITS["0123456789ABCDEF".charAt(i)] = (byte) i;
        }
    }

    /** The hex digits of {@code text[from, to)} (at most 15) as a number, or -1 when one is not an ASCII hex digit. */
    private static long hex(String text, int from, int to) {
        long value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            int digit = c < 128 ? HEX_DIGITS[c] : -1;
            if (digit < 0) {
                return -1;
            }
            value = value << 4 | digit;
        }
        return value;
    }
}
