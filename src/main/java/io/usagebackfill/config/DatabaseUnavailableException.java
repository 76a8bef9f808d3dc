package io.usagebackfill.config;

/** The database could not be reached before anything started; the message is the sentence to print. */
public final class DatabaseUnavailableException extends RuntimeException {

    public DatabaseUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
