package io.usagebackfill.config;

/** The broker cannot be reached, or refused the credentials: a retry can help once it is up (exit code 1). */
public final class BrokerUnavailableException extends RuntimeException {

    public BrokerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
