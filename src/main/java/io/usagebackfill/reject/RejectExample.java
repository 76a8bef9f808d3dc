package io.usagebackfill.reject;

import io.usagebackfill.read.LogLine;

/**
 * The first rejected line of a kind of reason, for the report to show beside the count: where it was, its whole
 * reason, and how the line starts (as read, invalid UTF-8 replaced). Immutable.
 *
 * @param text the line's first {@value #MAX_TEXT} characters, with {@code …} when it goes on
 */
public record RejectExample(String file, long line, String reason, String text) {

    /** Enough to recognise the line; the rejects file holds it whole. */
    static final int MAX_TEXT = 200;

    static RejectExample of(LogLine line, String reason) {
        String text = line.text();
        if (text.length() > MAX_TEXT) {
            text = text.substring(0, Character.isHighSurrogate(text.charAt(MAX_TEXT - 1)) ? MAX_TEXT - 1 : MAX_TEXT)
                    + "…";
        }
        return new RejectExample(line.file(), line.lineNumber(), reason, text);
    }
}
