package io.usagebackfill.parse;

import io.usagebackfill.catalog.CanonicalTree;
import io.usagebackfill.catalog.RejectedLineException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * logfmt: {@code key=value} pairs; values with spaces or quotes are double-quoted with backslash escapes. Values are
 * kept as text; the normaliser reads numbers out of text.
 */
final class LogfmtShape implements LineShape {

    private final EventName name;
    private final JsonPayloads json;

    LogfmtShape(EventName name, JsonPayloads json) {
        this.name = name;
        this.json = json;
    }

    @Override
    public boolean accepts(String line) {
        int i = 0;
        while (i < line.length() && isKeyChar(line.charAt(i))) {
            i++;
        }
        return i > 0 && i < line.length() && line.charAt(i) == '=';
    }

    @Override
    public LineRecord read(String line) {
        ObjectNode raw;
        try {
            raw = parse(line);
        } catch (UnreadableKeyException unreadable) {
            // Only an event is rejected for it: another line that mentions the word is no business of ours.
            ObjectNode readable = parse(line, false, true);
            if (!name.isTokenUsage(CanonicalTree.of(readable)) && !namedByBareWord(readable)) {
                return LineRecord.NOTHING;
            }
            throw unreadable;
        }
        return new LineRecord(json.withJsonValues(CanonicalTree.of(raw)), namedByBareWord(raw), null, "logfmt pairs");
    }

    /**
     * Whether the message is the bare word among the pairs ({@code model=… total_tokens=1020 token_usage}, as Elixir's
     * Logger prints metadata before the message).
     */
    private static boolean namedByBareWord(ObjectNode pairs) {
        for (String key : pairs.propertyNames()) {
            if (key.equalsIgnoreCase(EventName.TOKEN_USAGE) && pairs.get(key).stringValue().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The pairs as fields.
     *
     * @throws UnreadableKeyException when a key holds a control or invisible character: the value under it is
     *     no field the catalog can find, so a count logged there would load as 0
     * @throws RejectedLineException when a quoted value is not closed
     */
    static ObjectNode parse(String line) {
        return parse(line, true, true);
    }

    /** The {@code key=value} pairs alone, without the objects among them. */
    static ObjectNode pairsOnly(String line) {
        return parse(line, true, false);
    }

    /**
     * @param rejectUnreadableKeys whether a key that cannot be read rejects the line, or is left out
     * @param withObjects whether an object among the pairs adds its members
     */
    private static ObjectNode parse(String line, boolean rejectUnreadableKeys, boolean withObjects) {
        ObjectNode fields = JsonNodeFactory.instance.objectNode();
        int i = 0;
        int n = line.length();
        while (i < n) {
            while (i < n && line.charAt(i) == ' ') {
                i++;
            }
            int mapEnd = withObjects && i < n && line.charAt(i) == '{' ? MapLiteral.end(line, i) : -1;
            ObjectNode map = mapEnd > 0 ? MapLiteral.parse(line.substring(i, mapEnd)) : null;
            if (map != null) {
                // An object among the pairs (winston's metadata after its message, loguru's extra): its members are
                // the record's too, unless it names the event itself: then it is a record of its own, quoted.
                if (!namesTheEvent(map)) {
                    merge(fields, map);
                }
                i = mapEnd;
                continue;
            }
            int keyStart = i;
            int unreadable = -1;
            while (i < n && line.charAt(i) != '=' && line.charAt(i) != ' ') {
                if (unreadable < 0 && isUnreadable(line.charAt(i))) {
                    unreadable = i;
                }
                i++;
            }
            String key = line.substring(keyStart, i);
            if (i >= n || line.charAt(i) == ' ') {
                if (!key.isEmpty()) {
                    fields.put(key, "");
                }
                continue;
            }
            if (unreadable >= 0 && rejectUnreadableKeys) {
                throw new UnreadableKeyException(key, line.charAt(unreadable));
            }
            i++;
            StringBuilder value = new StringBuilder();
            if (i < n && line.charAt(i) == '"') {
                i = readQuoted(line, i + 1, value);
            } else {
                while (i < n && line.charAt(i) != ' ') {
                    value.append(line.charAt(i++));
                }
                int timeEnd = isDate(value) ? timeOfDayEnd(line, i) : -1;
                if (timeEnd > 0) {
                    // time=2026-12-07 22:46:37,125: Python's asctime unquoted, its time of day after a blank
                    value.append(line, i, timeEnd);
                    i = timeEnd;
                }
            }
            if (unreadable < 0) {
                fields.put(key, value.toString());
            }
        }
        return fields;
    }

    private static final java.util.regex.Pattern TIME_OF_DAY = java.util.regex.Pattern.compile(
            " \\d{2}:\\d{2}(:\\d{2}([.,]\\d+)?)?(Z|[+-]\\d{2}:?\\d{2})?(?= |$)");

    /** Whether the value is a date, {@code 2026-12-07}: tested by its characters, as every unquoted value is. */
    private static boolean isDate(CharSequence value) {
        if (value.length() != 10 || value.charAt(4) != '-' || value.charAt(7) != '-') {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (i != 4 && i != 7 && (value.charAt(i) < '0' || value.charAt(i) > '9')) {
                return false;
            }
        }
        return true;
    }

    /** Where a time of day that follows a date value after one blank ends, or -1 when none follows. */
    private static int timeOfDayEnd(String line, int from) {
        java.util.regex.Matcher time = TIME_OF_DAY.matcher(line).region(from, line.length());
        return time.lookingAt() ? time.end() : -1;
    }

    private static boolean namesTheEvent(ObjectNode map) {
        for (var member : map.properties()) {
            if (member.getValue().isString() && EventName.names(member.getValue().stringValue())) {
                return true;
            }
        }
        return false;
    }

    /** Adds the members of {@code map} to the pairs; one named twice with two values is a reject, as in JSON. */
    private static void merge(ObjectNode fields, ObjectNode map) {
        for (var member : map.properties()) {
            JsonNode there = fields.get(member.getKey());
            if (there == null) {
                fields.set(member.getKey(), member.getValue());
            } else if (!text(there).equals(text(member.getValue()))) {
                throw new RejectedLineException("the line names " + member.getKey() + " twice with two values ("
                        + text(there) + " among its pairs, " + text(member.getValue()) + " in the object after them)");
            }
        }
    }

    private static String text(JsonNode value) {
        return value.isString() ? value.stringValue() : value.toString();
    }

    /**
     * A control character (NUL, a tab, DEL, C1) or an invisible format character (a zero-width space, a byte-order
     * mark): no key the catalog names holds one, and a reader of the log would not see it.
     */
    private static boolean isUnreadable(char c) {
        return c < 0x20 || (c >= 0x7f && (c <= 0x9f || Character.getType(c) == Character.FORMAT));
    }

    /** A logfmt key that holds a character no key name has; the reason names the key with that character escaped. */
    static final class UnreadableKeyException extends RejectedLineException {

        UnreadableKeyException(String key, char unreadable) {
            super("the logfmt key \"" + escaped(key) + "\" holds " + (Character.isISOControl(unreadable)
                    ? "a control character" : "an invisible character") + ", so what is logged under it cannot be"
                    + " read as any field (a count there would load as 0); write the key without it");
        }

        /** The key with its unreadable characters as JSON's backslash-u escapes, at most 80 of its characters. */
        private static String escaped(String key) {
            StringBuilder text = new StringBuilder();
            int shown = Math.min(key.length(), 80);
            for (int i = 0; i < shown; i++) {
                char c = key.charAt(i);
                text.append(isUnreadable(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
            return shown < key.length() ? text + "..." : text.toString();
        }
    }

    private static int readQuoted(String line, int start, StringBuilder value) {
        int i = start;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                char next = line.charAt(i + 1);
                value.append(switch (next) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    default -> next;
                });
                i += 2;
            } else if (c == '"') {
                return i + 1;
            } else {
                value.append(c);
                i++;
            }
        }
        throw new RejectedLineException("a quoted logfmt value is not closed (truncated line?)");
    }

    private static boolean isKeyChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '@' || c == '-';
    }
}
