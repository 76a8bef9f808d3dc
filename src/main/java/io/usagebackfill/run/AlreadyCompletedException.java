package io.usagebackfill.run;

/** The run named by {@code --run-key} completed before: there is nothing to do, and that is not an error. */
public final class AlreadyCompletedException extends RuntimeException {

    public AlreadyCompletedException(String message) {
        super(message);
    }
}
