package io.usagebackfill.parse;

import io.usagebackfill.catalog.RejectedLineException;

/**
 * One member of a pretty-printed JSON document on a line of its own ({@code     "message": "{\"msg\":…}",}), as the
 * AWS CLI and {@code gcloud} print log entries: the member is read as an object of one member, so an app's line in
 * it is found; the document's other lines (the entry's time among them) are not seen, so such an event needs a time
 * of its own.
 */
final class MemberLineShape implements LineShape {

    static final String SHAPE = "a member line of a pretty-printed JSON document";

    private final JsonPayloads json;

    MemberLineShape(JsonPayloads json) {
        this.json = json;
    }

    @Override
    public boolean accepts(String line) {
        if (!line.startsWith("\"")) {
            return false;
        }
        int close = line.indexOf('"', 1);
        while (close > 0 && line.charAt(close - 1) == '\\') {
            close = line.indexOf('"', close + 1);
        }
        int i = close + 1;
        while (close > 0 && i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return close > 0 && i < line.length() && line.charAt(i) == ':';
    }

    @Override
    public LineRecord read(String line) {
        String member = line.endsWith(",") ? line.substring(0, line.length() - 1) : line;
        try {
            var object = json.parseEvent("{" + member + "}");
            return object == null ? null
                    : new LineRecord(object, false, null, SHAPE);
        } catch (RejectedLineException notOneMember) {
            // an object or array opened on this line and closed on later ones: nothing to read on its own
            return null;
        }
    }
}
