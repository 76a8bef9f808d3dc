package io.usagebackfill.parse;

import io.usagebackfill.catalog.EventTime;
import tools.jackson.databind.JsonNode;

/**
 * What a line holds once its shape is read: a tree in normal form (an object, or an array), whether the line names the
 * event outside the tree ({@code INFO token_usage {…}}), and the time of its text prefix.
 *
 * @param tree the object or array the line carries
 * @param named whether the line's text names {@code token_usage} before the tree, which is then the event
 * @param prefixTime the time the line's text starts with, or null
 * @param shape how the line was read, as {@code explain} names it
 */
record LineRecord(JsonNode tree, boolean named, EventTime.Stamp prefixTime, String shape) {

    /** The line is of the shape, and carries nothing an event could be. */
    static final LineRecord NOTHING = new LineRecord(null, false, null, "nothing");
}
