package io.usagebackfill.read;

import java.io.IOException;

/** A compressed file is truncated or corrupt and {@code --strict} asked for that to stop the run. */
public class DamagedFileException extends IOException {

    public DamagedFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
