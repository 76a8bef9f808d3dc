package io.usagebackfill.cli;

/** A usage or configuration problem the user can fix; its message says how. Exit code 2. */
public class UsageException extends RuntimeException {

    public UsageException(String message) {
        super(message);
    }
}
