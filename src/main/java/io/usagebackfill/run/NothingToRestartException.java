package io.usagebackfill.run;

/** {@code restart} found nothing it may restart; the message says why and what to run instead. */
public class NothingToRestartException extends RuntimeException {

    public NothingToRestartException(String message) {
        super(message);
    }
}
