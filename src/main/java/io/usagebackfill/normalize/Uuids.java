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
        if (text.length() != 36) {
            return null;
        }
        long most = 0;
        long least = 0;
        for (int i = 0; i < 36; i++) {
            char c = text.charAt(i);
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (c != '-') {
                    return null;
                }
                continue;
            }
            int digit = asciiHex(c);
            if (digit < 0) {
                return null;
            }
            if (i < 18) {
                most = most << 4 | digit;
            } else {
                least = least << 4 | digit;
            }
        }
        return new UUID(most, least);
    }

    private static int asciiHex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }
}
