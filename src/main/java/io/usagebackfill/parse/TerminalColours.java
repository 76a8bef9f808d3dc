package io.usagebackfill.parse;

/**
 * A terminal's colour and style codes ({@code ESC [ 32 m} … {@code ESC [ 0 m}, ECMA-48 control sequences) in a line
 * written for a terminal and kept in a file: Go's apex/log and log15 colour each key, Python's colorlog the whole
 * record. They are not part of what was logged, so a line is read without them; the row's id still derives from the
 * line as written. Stateless.
 */
final class TerminalColours {

    private static final char ESC = '\u001B';

    private TerminalColours() {
    }

    /** The text without its control sequences; the same instance when it has none. */
    static String strip(String text) {
        int esc = text.indexOf(ESC);
        if (esc < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int from = 0;
        while (esc >= 0) {
            int end = sequenceEnd(text, esc);
            if (end < 0) {
                // An escape that starts no control sequence is kept: it is the line's, and a reject will name it.
                out.append(text, from, esc + 1);
                from = esc + 1;
            } else {
                out.append(text, from, esc);
                from = end;
            }
            esc = text.indexOf(ESC, from);
        }
        return out.append(text, from, text.length()).toString();
    }

    /**
     * Where the control sequence at {@code esc} ends (ECMA-48: {@code ESC [}, parameter bytes 0x30–0x3F,
     * intermediate bytes 0x20–0x2F, one final byte 0x40–0x7E), or -1 when none starts there.
     */
    private static int sequenceEnd(String text, int esc) {
        int i = esc + 1;
        if (i >= text.length() || text.charAt(i) != '[') {
            return -1;
        }
        i++;
        while (i < text.length() && text.charAt(i) >= 0x30 && text.charAt(i) <= 0x3F) {
            i++;
        }
        while (i < text.length() && text.charAt(i) >= 0x20 && text.charAt(i) <= 0x2F) {
            i++;
        }
        return i < text.length() && text.charAt(i) >= 0x40 && text.charAt(i) <= 0x7E ? i + 1 : -1;
    }
}
