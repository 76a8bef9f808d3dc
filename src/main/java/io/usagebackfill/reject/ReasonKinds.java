package io.usagebackfill.reject;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Groups reasons into kinds for counting: a reason's kind is its text with the offending value taken out
 * ("user_id is \"abc\", not a UUID" becomes "user_id is …, not a UUID"), while the limits it states stay
 * ("whole numbers from 0 to 2147483647"). The offending value is the one a reason names after "is" or "adds up
 * to", and any quoted text. Stateless.
 */
public final class ReasonKinds {

    private static final Pattern QUOTED = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"(?:\\.\\.\\.)?");
    private static final Pattern VALUE = Pattern.compile("( is | adds up to )(\"(?:[^\"\\\\]|\\\\.)*\"(?:\\.\\.\\.)?"
            + "|[\\[{]\\S*?[\\]}](?=[,; ]|$)|-?\\d[\\w.:+-]*|true|false|null)");

    private ReasonKinds() {
    }

    public static String kindOf(String reason) {
        Matcher value = VALUE.matcher(reason);
        String kind = value.find() ? reason.substring(0, value.start(2)) + "…" + reason.substring(value.end(2))
                : reason;
        kind = QUOTED.matcher(kind).replaceAll("…");
        int colon = kind.indexOf(": ");
        return colon > 0 && kind.startsWith("the JSON payload") ? kind.substring(0, colon) : kind;
    }
}
