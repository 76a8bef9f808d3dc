package io.usagebackfill.parse;

import java.time.Instant;

import tools.jackson.databind.node.ObjectNode;

/**
 * A line recognised as a {@code token_usage} event, in whatever shape it was logged, reduced to its payload.
 *
 * @param fields the event's fields (JSON as logged; logfmt values as strings)
 * @param lineTime the time from the line's text prefix or container wrapper, used when the payload has none; may be null
 * @param identityText the application's own line (container wrapper removed), from which the row id is derived
 * @param lineTimeZoneless whether {@code lineTime} was written without a zone (read in {@code --log-timezone})
 */
public record RecognizedEvent(ObjectNode fields, Instant lineTime, String identityText, boolean lineTimeZoneless) {

    public RecognizedEvent(ObjectNode fields, Instant lineTime, String identityText) {
        this(fields, lineTime, identityText, false);
    }
}
