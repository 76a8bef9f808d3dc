package io.usagebackfill.parse;

import java.time.Instant;

/**
 * One way applications write a log line (JSON, logfmt, text prefix + JSON). Implementations are stateless and
 * thread-safe.
 */
interface LineShape {

    /** Cheap check on the line's first characters: is this the shape to parse it with? */
    boolean accepts(String line);

    /**
     * @param outerTime the time of a container wrapper around the line, or null
     * @return the event, or null when the line is not a {@code token_usage} event (it only mentions the word)
     * @throws io.usagebackfill.catalog.RejectedLineException when the line is an event that cannot be read
     */
    RecognizedEvent recognize(String line, Instant outerTime);
}
