package io.usagebackfill.run;

/** {@code restart --execution-id N} names no execution: a configuration error (exit 2), not "nothing to do". */
public final class NoSuchExecutionException extends NothingToRestartException {

    public NoSuchExecutionException(String message) {
        super(message);
    }
}
