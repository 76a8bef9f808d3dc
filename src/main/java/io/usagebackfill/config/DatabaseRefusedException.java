package io.usagebackfill.config;

/**
 * The server answered and refused: wrong user or password, or no such database. Retrying cannot help, so this is a
 * configuration error (exit 2); the message is the sentence to print.
 */
public final class DatabaseRefusedException extends RuntimeException {

    public DatabaseRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
