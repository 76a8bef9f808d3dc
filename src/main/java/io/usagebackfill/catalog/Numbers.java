package io.usagebackfill.catalog;

import java.math.BigDecimal;

import tools.jackson.databind.JsonNode;

/**
 * Reads numbers out of event fields, as JSON numbers or numeric text, and bounds them before any arithmetic:
 * {@code 1e2147483647} is one short token, but comparing, rounding or printing it as a {@link BigDecimal} takes
 * minutes and gigabytes, or overflows the scale. Every count, cost and time the table holds has at most 64
 * significant digits and a decimal exponent within ±{@value #MAX_EXPONENT}, so anything outside that is rejected
 * on its digit count and exponent alone, in constant time. Public so that field catalogs can reuse the checks.
 * Stateless and thread-safe.
 */
public final class Numbers {

    /** The table's INT limit. */
    public static final BigDecimal INT_MAX = BigDecimal.valueOf(Integer.MAX_VALUE);

    /** At most this many significant digits: far more than any double, epoch time or micro-dollar cost has. */
    static final int MAX_DIGITS = 64;
    /** Decimal exponents beyond this are neither counts, costs nor times of any column. */
    static final int MAX_EXPONENT = 64;

    private Numbers() {
    }

    /**
     * The number a field holds, as a JSON number or numeric text, or null when it holds neither.
     *
     * @param name the field's name as logged, for the rejection
     * @throws RejectedLineException when it is a number too large, too small or too long for any column
     */
    public static BigDecimal decimal(String name, JsonNode value) {
        BigDecimal number = value.isNumber() ? value.decimalValue()
                : value.isString() ? parseText(value.stringValue()) : null;
        if (number != null && !isBounded(number)) {
            throw new RejectedLineException(name + " is " + describe(value) + ", a number with more than "
                    + MAX_DIGITS + " digits or an exponent beyond ±" + MAX_EXPONENT + ", which no column can hold");
        }
        return number == null || number.signum() != 0 ? number : BigDecimal.ZERO;
    }

    /**
     * The decimal a numeric text holds, or null when it is not a plain decimal number or is out of bounds (see the
     * class comment).
     */
    public static BigDecimal parseDecimal(String text) {
        BigDecimal number = parseText(text);
        if (number == null || !isBounded(number)) {
            return null;
        }
        return number.signum() != 0 ? number : BigDecimal.ZERO;
    }

    /**
     * Whether a decimal is small enough in digits and exponent to compare, round and print in microseconds. Zero
     * always is ({@code 0e-999999999} is zero).
     */
    public static boolean isBounded(BigDecimal number) {
        if (number.signum() == 0) {
            return true;
        }
        int digits = number.precision();
        long exponent = (long) digits - number.scale() - 1;
        return digits <= MAX_DIGITS && Math.abs(exponent) <= MAX_EXPONENT;
    }

    private static BigDecimal parseText(String text) {
        String trimmed = text.strip();
        if (trimmed.isEmpty() || trimmed.length() > MAX_DIGITS + 8) {
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

    /**
     * How a value reads in an error message: short, quoted when it is text, numbers in scientific notation (a plain
     * {@code 1e999999999} would be a billion characters).
     */
    public static String describe(JsonNode value) {
        String text = value.isString() ? "\"" + value.stringValue() + "\""
                : value.isNumber() ? value.numberValue().toString() : value.toString();
        return RejectedLineException.shorten(text, 60);
    }
}
