package io.usagebackfill.parse;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import io.usagebackfill.catalog.RejectedLineException;

import tools.jackson.databind.node.ObjectNode;

/**
 * A line recognised as a {@code token_usage} event, in whatever shape it was logged, reduced to its payload.
 *
 * @param fields the event's fields (JSON as logged; logfmt values as strings)
 * @param lineTime the time from the line's text prefix or container wrapper, used when the payload has none; may be null
 * @param identityText the application's own line (container wrapper removed), from which the row id is derived
 * @param lineTimeZoneless whether {@code lineTime} was written without a zone (read in {@code --log-timezone})
 * @param lineTimeInText whether {@code lineTime} is the text prefix's, and so part of {@code identityText}, rather
 *     than the container wrapper's
 * @param messageFields what the message that names the event carries after the name (a JSON logger given a
 *     formatted message), looked up after the line's own fields; null when it carries none
 * @param unreadMessage why the message's data could not be read, or null: the event is rejected for it when the
 *     line has no usage data of its own
 * @param path how the event was found: the wrappers taken off and the shapes read, outermost first ({@code explain})
 */
public record RecognizedEvent(ObjectNode fields, Instant lineTime, String identityText, boolean lineTimeZoneless,
        boolean lineTimeInText, ObjectNode messageFields, String unreadMessage, List<String> path) {

    /** An event whose line time, if any, is its container wrapper's. */
    public RecognizedEvent(ObjectNode fields, Instant lineTime, String identityText) {
        this(fields, lineTime, identityText, false, false, null, null, List.of());
    }

    /** Whether the event is its name alone: no field of data, nothing after the name. */
    /** Why an event whose line ends at the word, with nothing of it before, cannot be read. */
    static final String ENDS_AT_THE_WORD = "the line ends at token_usage" + TextPrefixShape.SPREAD_OVER_LINES;

    boolean bare() {
        return fields.isEmpty() && messageFields == null
                && (unreadMessage == null || ENDS_AT_THE_WORD.equals(unreadMessage));
    }

    /**
     * The reason an event is rejected for, with what its writer can do about the way it was logged: an event read from
     * one member line of a pretty-printed document cannot see the rest of its entry.
     */
    public RejectedLineException explained(RejectedLineException rejected) {
        if (!path.contains(MemberLineShape.SHAPE)) {
            return rejected;
        }
        return new RejectedLineException(rejected.getMessage() + "; the line is one member of a pretty-printed JSON"
                + " document (the AWS CLI's or gcloud's output), whose other lines hold the rest of the entry: write"
                + " one entry a line (jq -c '.events[]' or jq -c '.[]') and import that");
    }

    /**
     * The text the row id derives from: the application's own line, so that a rotated copy and a re-run give the
     * same id; and, when the event is timed by its container wrapper (its own line has no time), that time too:
     * the same text logged at two times is then two calls, in one container's log or in two pods' (without it
     * they would get one id, and all but one would be taken for copies and left out). That time is cut to the
     * microsecond, as it was read when ids were first made so, whereas {@code created_at} rounds it: rows loaded
     * then keep their ids.
     *
     * @param timedByLine whether the event's time is {@code lineTime}, the payload having none
     */
    public String identity(boolean timedByLine) {
        return timedByLine && lineTime != null && !lineTimeInText
                ? identityText + "\u0000logged at " + lineTime.truncatedTo(ChronoUnit.MICROS) : identityText;
    }
}
