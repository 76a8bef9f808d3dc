package io.usagebackfill.read;

import java.io.ByteArrayOutputStream;

/**
 * Joins Docker json-file partial entries: the daemon splits an application line longer than 16 KiB into several
 * entries {@code {"log":"<part>","stream":…,"time":…}}, and only the last one's {@code log} ends in {@code \n}.
 * The parts' escaped text is concatenated inside the first entry, which keeps its stream and time, so the joined
 * line reads as one ordinary entry. Not thread-safe.
 */
final class DockerPartials {

    private static final byte[] HEAD = "{\"log\":\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final ByteArrayOutputStream joined = new ByteArrayOutputStream();
    private byte[] tail;
    private long firstLineNumber;
    private boolean open;

    /**
     * Where the {@code log} string's closing quote is, if the line is a Docker json-file entry written as the
     * daemon writes it ({@code log} first, a {@code stream} after it); else -1.
     */
    static int logEnd(byte[] b, int from, int end) {
        if (end - from < HEAD.length) {
            return -1;
        }
        for (int i = 0; i < HEAD.length; i++) {
            if (b[from + i] != HEAD[i]) {
                return -1;
            }
        }
        for (int i = from + HEAD.length; i < end; i++) {
            if (b[i] == '\\') {
                i++;
            } else if (b[i] == '"') {
                // A shipper's own {"log": …} without a stream (Fluent Bit's plain output) is no Docker entry, and
                // its log, which has no newline, no partial one.
                return contains(b, i, end, STREAM_NAME) ? i : -1;
            }
        }
        return -1;
    }

    /** Where the {@code log} string's text starts in an entry written as the daemon writes it. */
    static int logStart(int from) {
        return from + HEAD.length;
    }

    private static final byte[] LOG_KEY = "\"log\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** An entry has a stream as well as a log: an application's own JSON with a "log" member is not one. */
    private static final byte[] STREAM_NAME = "\"stream\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static boolean contains(byte[] b, int from, int end, byte[] ascii) {
        return ByteScan.indexOf(b, from, end, ascii) >= 0;
    }

    /**
     * Where the {@code log} string's text starts and ends ({@code [start, end)}) in a Docker entry in any key order
     * and spacing, as a shipper may rewrite it; null when the line has no such member. The key is found as
     * {@code "log"} unescaped: inside a string every quote is escaped, so it cannot be taken for the key.
     */
    static int[] logValue(byte[] b, int from, int end) {
        if (end - from < 2 || b[from] != '{') {
            return null;
        }
        // Every candidate JSON line passes here: the key searched for eight bytes at a time, the stream on a find.
        // The key must have a byte after it (end excluded), as a value has to follow.
        for (int at = ByteScan.indexOf(b, from + 1, end - 1, LOG_KEY); at >= 0;
                at = ByteScan.indexOf(b, at + 1, end - 1, LOG_KEY)) {
            if (b[at - 1] == '\\') {
                continue;
            }
            int i = at + LOG_KEY.length;
            while (i < end && b[i] == ' ') {
                i++;
            }
            if (i >= end || b[i] != ':') {
                continue;
            }
            i++;
            while (i < end && b[i] == ' ') {
                i++;
            }
            if (i >= end || b[i] != '"') {
                continue;
            }
            int start = i + 1;
            for (int j = start; j < end; j++) {
                if (b[j] == '\\') {
                    j++;
                } else if (b[j] == '"') {
                    return contains(b, from, end, STREAM_NAME) ? new int[] {start, j} : null;
                }
            }
            return null;
        }
        return null;
    }

    /** Whether the entry's text ends with an escaped new line: the last (or only) part of an application line. */
    static boolean complete(byte[] b, int from, int logEnd) {
        int backslashes = 0;
        for (int i = logEnd - 2; i >= from + HEAD.length && b[i] == '\\'; i--) {
            backslashes++;
        }
        return logEnd - 2 >= from + HEAD.length && b[logEnd - 1] == 'n' && backslashes % 2 == 1;
    }

    private static final byte[] STREAM_KEY = "\",\"stream\":\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /**
     * Whether the line ending at {@code end} is a partial entry, judged from its end (where the entry's short tail,
     * {@code ","stream":…,"time":…}}, is): for cutting a file into ranges, which reads blocks, not whole lines.
     */
    static boolean endsPartial(byte[] b, int from, int end) {
        for (int at = end - STREAM_KEY.length; at >= Math.max(from + HEAD.length, end - 256); at--) {
            if (regionIs(b, at, STREAM_KEY)) {
                if (countBackslashes(b, from, at - 1) % 2 == 1) {
                    return false;
                }
                boolean complete = b[at - 1] == 'n' && countBackslashes(b, from, at - 2) % 2 == 1;
                return !complete;
            }
        }
        return false;
    }

    private static int countBackslashes(byte[] b, int from, int last) {
        int count = 0;
        for (int i = last; i >= from && b[i] == '\\'; i--) {
            count++;
        }
        return count;
    }

    private static boolean regionIs(byte[] b, int at, byte[] ascii) {
        return ByteScan.regionIs(b, at, ascii);
    }

    boolean isOpen() {
        return open;
    }

    long firstLineNumber() {
        return firstLineNumber;
    }

    /** Starts a joined line with a partial entry. */
    void begin(byte[] b, int from, int end, int logEnd, long lineNumber) {
        joined.reset();
        joined.write(b, from, logEnd - from);
        tail = java.util.Arrays.copyOfRange(b, logEnd, end);
        firstLineNumber = lineNumber;
        open = true;
    }

    /** Adds the next entry's text; a line that is no entry (a damaged file) is added as it is. */
    void append(byte[] b, int from, int end, int logEnd) {
        if (logEnd >= 0) {
            joined.write(b, from + HEAD.length, logEnd - from - HEAD.length);
        } else {
            joined.write(b, from, end - from);
        }
    }

    int size() {
        return joined.size();
    }

    byte[] finish() {
        joined.write(tail, 0, tail.length);
        open = false;
        return joined.toByteArray();
    }
}
