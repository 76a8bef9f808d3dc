package io.usagebackfill.run;

/** The run named by {@code --run-key} completed before: there is nothing to do, and that is not an error. */
public final class AlreadyCompletedException extends RuntimeException {

    private final long executionId;

    /** @param executionId the execution that completed the run */
    public AlreadyCompletedException(String message, long executionId) {
        super(message);
        this.executionId = executionId;
    }

    public long executionId() {
        return executionId;
    }
}
