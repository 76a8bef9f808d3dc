package io.usagebackfill.parse;

/**
 * One way applications write a log line (JSON, logfmt, text prefix + JSON). Implementations are stateless and
 * thread-safe.
 */
interface LineShape {

    /** Cheap check on the line's first characters: is this the shape to parse it with? */
    boolean accepts(String line);

    /**
     * @return what the line carries; {@link LineRecord#NOTHING} when it carries nothing an event could be (it only
     *     mentions the word); null when the line turns out not to be of this shape after all
     * @throws io.usagebackfill.catalog.RejectedLineException when the line names the event and cannot be read
     */
    LineRecord read(String line);
}
