package io.usagebackfill.normalize;

/**
 * Thrown when a line is a {@code token_usage} event that cannot become a row: the input's fault, never the
 * database's. It is the only exception the step skips; the reason ends up in the rejects file next to the line.
 */
public class RejectedLineException extends RuntimeException {

    public RejectedLineException(String reason) {
        super(reason, null, false, false);
    }

    /** The one-sentence reason, without file or line (those are added where the line is known). */
    public String reason() {
        return getMessage();
    }
}
