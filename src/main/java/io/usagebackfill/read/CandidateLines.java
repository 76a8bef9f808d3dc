package io.usagebackfill.read;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * One file's lines from a given content offset on: physical lines split without decoding, Kubernetes partial lines
 * and Docker json-file partial entries joined, candidate lines (those containing {@code token_usage}) handed out
 * with their occurrence in the file, every other line counted as noise. The reader and the scan that counts the occurrences before a range or a resumed
 * position both read through this class, so they count the same lines the same way. Not thread-safe.
 */
final class CandidateLines implements Closeable {

    /** Why the lines stopped, which decides what the next read of the file may take. */
    enum End {
        /** The content ended after a complete line. */
        CONTENT,
        /** The range ended (its end is always a complete line). */
        RANGE,
        /** A plain file's last line has no line ending yet: it may still be being written, so it was left. */
        UNTERMINATED_LINE,
        /** A plain file ends inside a partial line whose final part may still come: the whole of it was left. */
        UNFINISHED_PARTIAL
    }

    private final LineSplitter splitter;
    private final String path;
    private final Long endOffset;
    private final int maxLineBytes;
    private final boolean compressed;
    private final LineOccurrences occurrences;
    private final CriPartials cri = new CriPartials();
    private final DockerPartials docker = new DockerPartials();
    private final byte[] tag = new byte[1];
    /** Only counting the occurrences of the lines before a read's start: no line is handed out, nor copied. */
    private boolean counting;

    private long offset;
    private long lineNumber;
    private long linesRead;
    private long noiseLines;
    private long partialOffset;
    private long partialLinesBefore;
    private End end;

    /**
     * @param content the file's content, positioned at {@code offset}
     * @param endOffset where to stop (a line end), or null for the end of the content
     * @param compressed whether the content is decompressed from an archive, which nobody writes to any more
     */
    CandidateLines(InputStream content, String path, long offset, long lineNumber, Long endOffset, int maxLineBytes,
            boolean compressed, LineOccurrences occurrences) {
        this.splitter = new LineSplitter(content, offset, maxLineBytes);
        this.path = path;
        this.offset = offset;
        this.lineNumber = lineNumber;
        this.endOffset = endOffset;
        this.maxLineBytes = maxLineBytes;
        this.compressed = compressed;
        this.occurrences = occurrences;
    }

    /** The next candidate line, or null when the lines stopped ({@link #end()} says why). */
    LogLine next() throws IOException {
        while (true) {
            if (endOffset != null && offset >= endOffset) {
                return stop(End.RANGE);
            }
            if (!splitter.next()) {
                return stop(End.CONTENT);
            }
            if (!splitter.terminated() && !compressed) {
                return stop(End.UNTERMINATED_LINE);
            }
            long lineStart = offset;
            lineNumber++;
            offset = splitter.lineEndOffset();
            if (splitter.tooLong()) {
                linesRead++;
                return new LogLine(path, lineNumber, Arrays.copyOf(splitter.buffer(), splitter.lineLength()), true,
                        splitter.lineFullLength(), lineStart, 0, false);
            }
            LogLine line = take(lineStart);
            if (line != null) {
                return line;
            }
        }
    }

    /** Takes the physical line just split: a whole line, or a part of a partial line. */
    private LogLine take(long lineStart) {
        byte[] b = splitter.buffer();
        int from = splitter.lineStart();
        int length = splitter.lineLength();
        int payload = CriPartials.payloadStart(b, from, length, tag);
        if (cri.isOpen()) {
            cri.append(b, payload >= 0 ? payload : from, from + length);
            if (payload >= 0 && tag[0] == 'F') {
                return evaluate(partialOffset, cri.firstLineNumber(), cri.finish(), false);
            }
            if (cri.size() > maxLineBytes) {
                long size = cri.size();
                byte[] joined = cri.finish();
                linesRead++;
                return new LogLine(path, cri.firstLineNumber(), Arrays.copyOf(joined, LineSplitter.PREVIEW_BYTES),
                        true, size, partialOffset, 0, false);
            }
            return null;
        }
        if (docker.isOpen()) {
            int logEnd = DockerPartials.logEnd(b, from, from + length);
            docker.append(b, from, from + length, logEnd);
            if (logEnd >= 0 && DockerPartials.complete(b, from, logEnd)) {
                return evaluate(partialOffset, docker.firstLineNumber(), docker.finish(), false);
            }
            if (docker.size() > maxLineBytes) {
                long size = docker.size();
                byte[] joined = docker.finish();
                linesRead++;
                return new LogLine(path, docker.firstLineNumber(), Arrays.copyOf(joined, LineSplitter.PREVIEW_BYTES),
                        true, size, partialOffset, 0, false);
            }
            return null;
        }
        if (payload >= 0 && tag[0] == 'P') {
            partialOffset = lineStart;
            partialLinesBefore = lineNumber - 1;
            cri.begin(b, from, length, payload, lineNumber);
            return null;
        }
        int logEnd = payload >= 0 ? -1 : DockerPartials.logEnd(b, from, from + length);
        if (logEnd >= 0 && !DockerPartials.complete(b, from, logEnd)) {
            partialOffset = lineStart;
            partialLinesBefore = lineNumber - 1;
            docker.begin(b, from, from + length, logEnd, lineNumber);
            return null;
        }
        linesRead++;
        // Most lines are told apart by the splitter's own pass: without a mark, no test of their bytes at all.
        if (splitter.marked() && CandidateMatcher.contains(b, from, from + length)) {
            if (counting) {
                occurrenceOf(b, from, from + length);
                return null;
            }
            return candidate(lineNumber, Arrays.copyOfRange(b, from, from + length), lineStart);
        }
        noiseLines++;
        return null;
    }

    /**
     * The lines stopped. A partial line still open is left whole for the next read of a plain file (its final part
     * may be on its way); in an archive it never comes, so it is handed out as unfinished, to be rejected.
     */
    private LogLine stop(End why) {
        end = why;
        if (!cri.isOpen() && !docker.isOpen()) {
            return null;
        }
        long first = cri.isOpen() ? cri.firstLineNumber() : docker.firstLineNumber();
        byte[] joined = cri.isOpen() ? cri.finish() : docker.finish();
        if (compressed) {
            return evaluate(partialOffset, first, joined, true);
        }
        offset = partialOffset;
        lineNumber = partialLinesBefore;
        end = End.UNFINISHED_PARTIAL;
        return null;
    }

    private LogLine evaluate(long at, long number, byte[] bytes, boolean unfinished) {
        linesRead++;
        if (!CandidateMatcher.contains(bytes, 0, bytes.length)) {
            noiseLines++;
            return null;
        }
        if (unfinished) {
            return new LogLine(path, number, bytes, false, bytes.length, at, 0, true);
        }
        return candidate(number, bytes, at);
    }

    private LogLine candidate(long number, byte[] bytes, long at) {
        return new LogLine(path, number, bytes, false, bytes.length, at, occurrenceOf(bytes, 0, bytes.length),
                false);
    }

    /**
     * The line's occurrence, counted over the application's own line: a container wrapper's time and stream are
     * left out, so two identical application lines logged at other times (two calls in one millisecond, caught
     * by the daemon a few nanoseconds apart) are the first and second occurrence of one text, as in a plain file,
     * also in an entry a shipper rewrote with spaces or its keys in another order.
     */
    private int occurrenceOf(byte[] b, int from, int to) {
        int payload = CriPartials.payloadStart(b, from, to - from, tag);
        if (payload >= 0) {
            return occurrences.next(b, payload, to);
        }
        int logEnd = DockerPartials.logEnd(b, from, to);
        if (logEnd >= 0) {
            return occurrences.next(b, DockerPartials.logStart(from), logEnd);
        }
        int[] log = b[from] == '{' ? DockerPartials.logValue(b, from, to) : null;
        return log != null ? occurrences.next(b, log[0], log[1]) : occurrences.next(b, from, to);
    }

    /** Counts the occurrences of every candidate line to the end (of the range), handing none out. */
    void countAll() throws IOException {
        counting = true;
        while (next() != null) {
            // A joined partial line is still handed out; it was counted as it was taken.
        }
    }

    /** Content offset just after the last line taken. */
    long offset() {
        return offset;
    }

    /** Number of the last line taken. */
    long lineNumber() {
        return lineNumber;
    }

    long linesRead() {
        return linesRead;
    }

    long noiseLines() {
        return noiseLines;
    }

    /** Why the lines stopped; null while they go on. */
    End end() {
        return end;
    }

    @Override
    public void close() throws IOException {
        splitter.close();
    }
}
