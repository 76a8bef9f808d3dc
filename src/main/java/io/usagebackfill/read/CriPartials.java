package io.usagebackfill.read;

import java.io.ByteArrayOutputStream;

/**
 * Joins Kubernetes CRI partial lines: {@code <time> <stream> P <part>} lines are continued by the next lines of the
 * same shape until one tagged {@code F}. The joined line keeps the first line's time and reads as one {@code F} line.
 * Not thread-safe.
 */
final class CriPartials {

    private final ByteArrayOutputStream joined = new ByteArrayOutputStream();
    private long firstLineNumber;
    private boolean open;

    /** Where the payload starts if the line is a CRI line, else -1; {@code tag} gets its P/F byte. */
    static int payloadStart(byte[] b, int from, int length, byte[] tag) {
        int end = from + length;
        if (length < 25 || b[from] < '0' || b[from] > '9') {
            return -1;
        }
        int space = indexOf(b, from, end, (byte) ' ');
        if (space < 0 || space + 9 > end) {
            return -1;
        }
        boolean stream = regionIs(b, space + 1, "stdout ") || regionIs(b, space + 1, "stderr ");
        int tagAt = space + 8;
        if (!stream || tagAt >= end || (b[tagAt] != 'P' && b[tagAt] != 'F')
                || (tagAt + 1 < end && b[tagAt + 1] != ' ')) {
            return -1;
        }
        tag[0] = b[tagAt];
        return Math.min(tagAt + 2, end);
    }

    boolean isOpen() {
        return open;
    }

    long firstLineNumber() {
        return firstLineNumber;
    }

    /** Starts a joined line with the first partial line (its prefix rewritten to F). */
    void begin(byte[] b, int from, int length, int payloadStart, long lineNumber) {
        joined.reset();
        joined.write(b, from, payloadStart - from);
        byte[] bytes = joined.toByteArray();
        bytes[payloadStart - from - 2] = 'F';
        joined.reset();
        joined.write(bytes, 0, bytes.length);
        joined.write(b, payloadStart, from + length - payloadStart);
        firstLineNumber = lineNumber;
        open = true;
    }

    void append(byte[] b, int payloadStart, int end) {
        joined.write(b, payloadStart, end - payloadStart);
    }

    int size() {
        return joined.size();
    }

    byte[] finish() {
        open = false;
        return joined.toByteArray();
    }

    private static int indexOf(byte[] b, int from, int to, byte value) {
        for (int i = from; i < to; i++) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
    }

    private static boolean regionIs(byte[] b, int at, String ascii) {
        if (at + ascii.length() > b.length) {
            return false;
        }
        for (int i = 0; i < ascii.length(); i++) {
            if (b[at + i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
