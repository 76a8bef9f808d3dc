package io.usagebackfill.read;

import java.util.List;

/**
 * Splits a line that holds several events (an OpenTelemetry export request) into one line a record. Implementations
 * are stateless and thread-safe.
 */
@FunctionalInterface
public interface LineRecords {

    /** Never splits. */
    LineRecords NONE = line -> null;

    /** The line's records, each as a line of its own; null when the line is one line as it is. */
    List<byte[]> split(byte[] line);
}
