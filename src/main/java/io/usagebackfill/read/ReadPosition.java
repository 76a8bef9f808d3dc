package io.usagebackfill.read;

import java.util.List;

/**
 * Where the reader stands and what it has counted, as saved with every chunk's checkpoint.
 *
 * @param fileIndex index into the run's file list, which is fixed when the run starts
 * @param fingerprint the identity of the file at {@code fileIndex}, to notice a file replaced since
 * @param offset byte offset (in decompressed content) just after the last line consumed
 * @param lineNumber number of the last line consumed in that file
 * @param linesRead lines read in all files so far
 * @param noiseLines lines that do not mention {@code token_usage} at all
 * @param notices what the operator should know about files (damaged gzip, file changed or gone)
 * @param finished where the read of each finished file ended
 * @param recordsDone records of the line after {@code offset} already handed out: a line that holds several events
 *     (an OpenTelemetry export request) may end a chunk half-way
 */
public record ReadPosition(int fileIndex, String fingerprint, long offset, long lineNumber, long linesRead,
        long noiseLines, List<String> notices, List<FileEnd> finished, int recordsDone) {

    public ReadPosition(int fileIndex, String fingerprint, long offset, long lineNumber, long linesRead,
            long noiseLines, List<String> notices, List<FileEnd> finished) {
        this(fileIndex, fingerprint, offset, lineNumber, linesRead, noiseLines, notices, finished, 0);
    }

    /**
     * Where the read of a file ended: its last complete line, for the next incremental run to go on from.
     *
     * @param path where the content was read: the planned path, or the rotated copy that held it (null: planned)
     * @param atEnd whether the read reached the end of the content with nothing left for a later read
     * @param tail the hash of the bytes just before {@code offset}, by which the next run knows the file again; null
     *     for an archive or an empty read
     */
    public record FileEnd(int fileIndex, long offset, long lines, String path, boolean atEnd, String tail) {
    }

    /**
     * The first event of a file that the run's window left out: where it starts and the lines before it. A ledger
     * records the file as read only up to there, so a later run with another window still finds it.
     */
    public record LeftOut(String path, long offset, long linesBefore) {
    }

    public static ReadPosition start() {
        return new ReadPosition(0, null, 0, 0, 0, 0, List.of(), List.of());
    }
}
