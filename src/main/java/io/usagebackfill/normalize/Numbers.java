package io.usagebackfill.normalize;

import java.math.BigDecimal;

import tools.jackson.databind.JsonNode;

/** Number parsing shared by counts and costs. Stateless and thread-safe. */
final class Numbers {

    static final BigDecimal INT_MAX = BigDecimal.valueOf(Integer.MAX_VALUE);

    private Numbers() {
    }

    /** The decimal a numeric string holds, or null when it is not a plain decimal number. */
    static BigDecimal parseDecimal(String text) {
        String trimmed = text.strip();
        if (trimmed.isEmpty() || trimmed.length() > 64) {
            return null;
        }
        for (int i = 0; i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            boolean allowed = (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E';
            if (!allowed) {
                return null;
            }
        }
        try {
            return new BigDecimal(trimmed);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** How a value reads in an error message: short, quoted when it is text. */
    static String describe(JsonNode value) {
        String text = value.isString() ? "\"" + value.stringValue() + "\"" : value.toString();
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }
}
