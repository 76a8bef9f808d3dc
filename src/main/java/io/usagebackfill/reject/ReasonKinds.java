package io.usagebackfill.reject;

/**
 * Groups reasons into kinds for counting: a reason's kind is its text with the offending value taken out
 * ("user_id is \"abc\", not a UUID" becomes "user_id is …, not a UUID"). Stateless.
 */
public final class ReasonKinds {

    private ReasonKinds() {
    }

    public static String kindOf(String reason) {
        String kind = reason.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "…")
                .replaceAll("-?\\b\\d[\\d.eE+-]*\\b", "N");
        int colon = kind.indexOf(": ");
        return colon > 0 && kind.startsWith("the JSON payload") ? kind.substring(0, colon) : kind;
    }
}
