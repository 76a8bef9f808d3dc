package io.usagebackfill.parse;

import java.time.Instant;

import io.usagebackfill.normalize.RejectedLineException;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * logfmt: {@code key=value} pairs; values with spaces or quotes are double-quoted with backslash escapes. Values are
 * kept as text; the normaliser reads numbers out of text.
 */
final class LogfmtShape implements LineShape {

    private final EventName name;

    LogfmtShape(EventName name) {
        this.name = name;
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
    public RecognizedEvent recognize(String line, Instant outerTime) {
        ObjectNode fields = parse(line);
        if (!name.isTokenUsage(fields)) {
            return null;
        }
        return new RecognizedEvent(fields, outerTime, line);
    }

    static ObjectNode parse(String line) {
        ObjectNode fields = JsonNodeFactory.instance.objectNode();
        int i = 0;
        int n = line.length();
        while (i < n) {
            while (i < n && line.charAt(i) == ' ') {
                i++;
            }
            int keyStart = i;
            while (i < n && line.charAt(i) != '=' && line.charAt(i) != ' ') {
                i++;
            }
            String key = line.substring(keyStart, i);
            if (i >= n || line.charAt(i) == ' ') {
                if (!key.isEmpty()) {
                    fields.put(key, "");
                }
                continue;
            }
            i++;
            StringBuilder value = new StringBuilder();
            if (i < n && line.charAt(i) == '"') {
                i = readQuoted(line, i + 1, value);
            } else {
                while (i < n && line.charAt(i) != ' ') {
                    value.append(line.charAt(i++));
                }
            }
            fields.put(key, value.toString());
        }
        return fields;
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
