package io.usagebackfill.read;

import java.io.IOException;

/**
 * A file the run planned to read is not there as planned: gone with no rotated copy beside it, or truncated while
 * it was read. The run fails (exit 1) rather than complete without those bytes; its message says what to do.
 */
public class FileChangedException extends IOException {

    public FileChangedException(String message) {
        super(message);
    }
}
