package io.usagebackfill.cli;

/** The exit codes schedulers see; documented in docs/operations.md. */
public final class ExitCodes {

    /** The run completed; rejected lines within the skip limit included. */
    public static final int OK = 0;
    /** The run failed; `restart` resumes it from the last committed chunk. */
    public static final int FAILED = 1;
    /** A usage or configuration error: wrong option, missing file, missing table. Nothing was loaded. */
    public static final int USAGE = 2;
    /** Another run holds this database's lock, or another export writes the same file; nothing was done. */
    public static final int BUSY = 3;
    /**
     * The run completed, but the table does not hold what its logs say (a trigger, rows loaded before under other
     * rules): a person must look, and no retry can help; every later attempt of the same run key says so again.
     */
    public static final int NOT_RECONCILED = 4;

    private ExitCodes() {
    }
}
