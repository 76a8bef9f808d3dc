package io.usagebackfill.catalog;

/**
 * Thrown when a line is a {@code token_usage} event that cannot become a row: the input's fault, never the
 * database's. It is the only exception the step skips; the reason ends up in the rejects file next to the line.
 * Reasons are capped at {@value #MAX_REASON_LENGTH} characters, whatever value they quote.
 */
public class RejectedLineException extends RuntimeException {

    /** A reason is one sentence to read in a CSV cell or a summary, not a copy of the line. */
    public static final int MAX_REASON_LENGTH = 500;

    private final transient java.util.UUID lineId;

    public RejectedLineException(String reason) {
        this(reason, null);
    }

    private RejectedLineException(String reason, java.util.UUID lineId) {
        super(shorten(reason, MAX_REASON_LENGTH), null, false, false);
        this.lineId = lineId;
    }

    /**
     * The same reject, knowing the id the line's row would have had: what a corrected copy of the line is loaded
     * under, so that correcting it twice never makes two rows.
     */
    public RejectedLineException withLineId(java.util.UUID id) {
        return new RejectedLineException(getMessage(), id);
    }

    /** The id the line's row would have had, or null where it is not known yet. */
    public java.util.UUID lineId() {
        return lineId;
    }

    /** The one-sentence reason, without file or line (those are added where the line is known). */
    public String reason() {
        return getMessage();
    }

    /**
     * {@code text} if it has at most {@code max} characters, else its start and "...", {@code max} characters in
     * all, never cutting a surrogate pair in two.
     */
    public static String shorten(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int end = max - 3;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "...";
    }
}
