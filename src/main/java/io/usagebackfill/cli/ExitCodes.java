package io.usagebackfill.cli;

/** The exit codes schedulers see; documented in the README. */
public final class ExitCodes {

    /** The run completed; rejected lines within the skip limit included. */
    public static final int OK = 0;
    /** The run failed; `restart` resumes it from the last committed chunk. */
    public static final int FAILED = 1;
    /** A usage or configuration error: wrong option, missing file, missing table. Nothing was loaded. */
    public static final int USAGE = 2;
    /** Another run holds this database's lock, or another export writes the same file; nothing was done. */
    public static final int BUSY = 3;

    private ExitCodes() {
    }
}
