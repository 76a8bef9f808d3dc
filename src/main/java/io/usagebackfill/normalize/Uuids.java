package io.usagebackfill.normalize;

import java.util.UUID;

import tools.jackson.databind.JsonNode;

/**
 * Strict UUID reading: exactly 8-4-4-4-12 hex digits. {@link UUID#fromString} also accepts forms such as
 * {@code 1-2-3-4-5}, which PostgreSQL would refuse, so it cannot be the check. Stateless and thread-safe.
 */
final class Uuids {

    private Uuids() {
    }

    /** The UUID, null for null/absent/empty, or a rejection naming the field. */
    static UUID read(Fields.Found found) {
        if (found == null) {
            return null;
        }
        JsonNode value = found.value();
        if (value.isString() && value.stringValue().isEmpty()) {
            return null;
        }
        if (value.isString() && isCanonical(value.stringValue())) {
            return UUID.fromString(value.stringValue());
        }
        throw new RejectedLineException(found.name() + " is " + Numbers.describe(value) + ", not a UUID");
    }

    static boolean isCanonical(String text) {
        if (text.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = text.charAt(i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? c != '-' : Character.digit(c, 16) < 0) {
                return false;
            }
        }
        return true;
    }
}
