package io.usagebackfill.read;

import java.nio.charset.StandardCharsets;

/**
 * A line that may hold a {@code token_usage} event, as read from a file.
 *
 * @param file path of the file it came from
 * @param lineNumber 1-based line number in that file (the first physical line of a joined CRI partial line)
 * @param bytes the line's bytes without its line ending; for an over-long line only its first bytes
 * @param tooLong whether the line exceeded {@code --max-line-bytes} and was not read whole
 * @param lengthBytes the line's full length in bytes
 * @param offset content byte where the line starts, so a run that leaves it out can say where to read on
 * @param occurrence how many byte-identical candidate lines came before it in the same file (0: none)
 * @param unfinished whether the line is a Kubernetes partial line whose final part the file does not hold
 */
public record LogLine(String file, long lineNumber, byte[] bytes, boolean tooLong, long lengthBytes, long offset,
        int occurrence, boolean unfinished) {

    public LogLine(String file, long lineNumber, byte[] bytes, boolean tooLong, long lengthBytes) {
        this(file, lineNumber, bytes, tooLong, lengthBytes, 0, 0, false);
    }

    /** The text, with invalid UTF-8 replaced by U+FFFD. */
    public String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Where the line is, as error messages write it. */
    public String where() {
        return file + ":" + lineNumber;
    }
}
