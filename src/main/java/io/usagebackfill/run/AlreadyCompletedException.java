package io.usagebackfill.run;

/**
 * The run named by {@code --run-key} completed before: there is nothing to do, and that is not an error, unless it
 * completed without reconciling, which every later attempt says again.
 */
public final class AlreadyCompletedException extends RuntimeException {

    private final long executionId;
    private final boolean notReconciled;

    /** @param executionId the execution that completed the run */
    public AlreadyCompletedException(String message, long executionId) {
        this(message, executionId, false);
    }

    public AlreadyCompletedException(String message, long executionId, boolean notReconciled) {
        super(message);
        this.executionId = executionId;
        this.notReconciled = notReconciled;
    }

    public long executionId() {
        return executionId;
    }

    /** Whether the run completed without reconciling. */
    public boolean notReconciled() {
        return notReconciled;
    }
}
