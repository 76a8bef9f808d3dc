package io.usagebackfill.normalize;

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
        if (value.isString() && isCanonical(value.stringValue())) {
            return UUID.fromString(value.stringValue());
        }
        throw new RejectedLineException(name + " is " + Numbers.describe(value) + ", not a UUID");
    }

    /** Whether {@code text} is 8-4-4-4-12 ASCII hex digits, in either letter case. */
    public static boolean isCanonical(String text) {
        if (text.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = text.charAt(i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? c != '-' : !isAsciiHex(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
