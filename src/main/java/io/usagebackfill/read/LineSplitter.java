package io.usagebackfill.read;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into lines without decoding it, tracking byte offsets. Memory is bounded: a line longer than
 * {@code maxLineBytes} is skipped to its end while only its first bytes are kept. CR before LF is dropped. Not
 * thread-safe.
 */
final class LineSplitter implements Closeable {

    static final int PREVIEW_BYTES = 1024;

    private final InputStream in;
    private final int maxLineBytes;
    private byte[] buf = new byte[64 * 1024];
    private int start;
    private int limit;
    private long startOffset;
    private boolean eof;

    /** The current line: {@code buffer()[lineStart, lineStart + lineLength)}. */
    private int lineStart;
    private int lineLength;
    private long lineFullLength;
    private boolean tooLong;
    private boolean terminated;
    private boolean marked;
    private long lineEndOffset;
    private byte[] preview;

    LineSplitter(InputStream in, long startOffset, int maxLineBytes) {
        this.in = in;
        this.startOffset = startOffset;
        this.maxLineBytes = maxLineBytes;
    }

    /** Advances to the next line; false at the end of the stream. */
    boolean next() throws IOException {
        int scan = start;
        boolean marks = false;
        while (true) {
            // The line's end and whether it holds a byte the event's name needs, in one pass over its bytes.
            long found = ByteScan.indexOfMarked(buf, scan, limit, (byte) '\n', (byte) '_', (byte) '\\');
            marks |= (found & ByteScan.MARKED) != 0;
            int newline = (int) found;
            if (newline >= 0) {
                setLine(start, newline - start, true, newline + 1);
                marked = marks;
                return true;
            }
            if (eof) {
                if (limit > start) {
                    setLine(start, limit - start, false, limit);
                    marked = marks;
                    return true;
                }
                return false;
            }
            if (limit - start > maxLineBytes) {
                skipOverlongLine();
                marked = true;
                return true;
            }
            scan = fill();
        }
    }

    /**
     * Whether the current line holds a {@code _} or a {@code \}: the event's name has its underscore, or a backslash
     * when a letter of it is escaped, so a line with neither is no candidate ({@link CandidateMatcher}).
     */
    boolean marked() {
        return marked;
    }

    byte[] buffer() {
        return tooLong ? preview : buf;
    }

    int lineStart() {
        return tooLong ? 0 : lineStart;
    }

    int lineLength() {
        return lineLength;
    }

    long lineFullLength() {
        return lineFullLength;
    }

    boolean tooLong() {
        return tooLong;
    }

    /** False for a last line with no line ending: it may still be being written. */
    boolean terminated() {
        return terminated;
    }

    /** Offset just after the current line and its line ending. */
    long lineEndOffset() {
        return lineEndOffset;
    }

    private void setLine(int from, int length, boolean withNewline, int next) {
        int len = length;
        if (withNewline && len > 0 && buf[from + len - 1] == '\r') {
            len--;
        }
        lineStart = from;
        lineLength = len;
        lineFullLength = len;
        tooLong = false;
        terminated = withNewline;
        startOffset += next - start;
        start = next;
        lineEndOffset = startOffset;
    }

    /** Reads more bytes; returns where the newline search should resume. */
    private int fill() throws IOException {
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, limit - start);
            limit -= start;
            start = 0;
        }
        if (limit == buf.length) {
            buf = Arrays.copyOf(buf, Math.min(buf.length * 2, maxLineBytes + 2));
        }
        int scanFrom = limit;
        int n = in.read(buf, limit, buf.length - limit);
        if (n < 0) {
            eof = true;
        } else {
            limit += n;
        }
        return scanFrom;
    }

    private void skipOverlongLine() throws IOException {
        preview = Arrays.copyOfRange(buf, start, start + PREVIEW_BYTES);
        long length = limit - start;
        startOffset += length;
        start = limit;
        while (true) {
            int newline = indexOfNewline(start);
            if (newline >= 0) {
                length += newline - start;
                startOffset += newline + 1 - start;
                start = newline + 1;
                terminated = true;
                break;
            }
            startOffset += limit - start;
            length += limit - start;
            start = 0;
            limit = 0;
            int n = in.read(buf, 0, buf.length);
            if (n < 0) {
                eof = true;
                terminated = false;
                break;
            }
            limit = n;
        }
        tooLong = true;
        lineLength = preview.length;
        lineFullLength = length;
        lineEndOffset = startOffset;
    }

    private int indexOfNewline(int from) {
        return ByteScan.indexOf(buf, from, limit, (byte) '\n');
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
