package io.usagebackfill.parse;

import java.time.Instant;
import java.util.Locale;

import io.usagebackfill.normalize.EventTime;
import tools.jackson.databind.node.ObjectNode;

/**
 * Console logging: a text prefix (timestamp, level, logger) then the word {@code token_usage} and a JSON object,
 * or a prefix then a JSON object whose msg/event names {@code token_usage}. A line that merely mentions the word
 * ({@code ERROR insert into token_usage failed}) has no object after it and is not an event.
 */
final class TextPrefixShape implements LineShape {

    private final JsonPayloads json;

    TextPrefixShape(JsonPayloads json) {
        this.json = json;
    }

    @Override
    public boolean accepts(String line) {
        return true;
    }

    @Override
    public RecognizedEvent recognize(String line, Instant outerTime) {
        int payloadStart = payloadAfterKeyword(line);
        boolean named = payloadStart >= 0;
        if (!named) {
            payloadStart = line.indexOf('{');
            if (payloadStart < 0) {
                return null;
            }
        }
        ObjectNode payload;
        if (named) {
            payload = json.parseObject(line.substring(payloadStart));
        } else {
            try {
                payload = json.parseObject(line.substring(payloadStart));
            } catch (RuntimeException notJson) {
                return null;
            }
        }
        if (payload == null || (!named && !EventName.isTokenUsage(payload))) {
            return null;
        }
        Instant prefixTime = prefixTime(line.substring(0, payloadStart));
        return new RecognizedEvent(payload, prefixTime != null ? prefixTime : outerTime, line);
    }

    /** Where the JSON after a standalone {@code token_usage} word starts, or -1. */
    static int payloadAfterKeyword(String line) {
        String lower = line.toLowerCase(Locale.ROOT);
        int from = 0;
        int at;
        while ((at = lower.indexOf(EventName.TOKEN_USAGE, from)) >= 0) {
            from = at + EventName.TOKEN_USAGE.length();
            boolean standalone = at == 0 || !isWordChar(line.charAt(at - 1));
            int i = from;
            if (i < line.length() && (line.charAt(i) == ':' || line.charAt(i) == '=')) {
                i++;
            }
            while (i < line.length() && Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            if (standalone && i < line.length() && line.charAt(i) == '{') {
                return i;
            }
        }
        return -1;
    }

    /** The timestamp the prefix starts with: one ISO token, or a date and a time as two tokens. */
    static Instant prefixTime(String prefix) {
        String[] tokens = prefix.strip().split("\\s+", 3);
        if (tokens.length == 0 || tokens[0].isEmpty()) {
            return null;
        }
        String first = stripBrackets(tokens[0]);
        if (first.length() < 10 || !Character.isDigit(first.charAt(0))) {
            return null;
        }
        Instant instant = EventTime.parseText(first);
        if (instant == null && tokens.length > 1) {
            instant = EventTime.parseText(first + "T" + stripBrackets(tokens[1]));
        }
        return instant;
    }

    private static String stripBrackets(String token) {
        String t = token;
        if (t.startsWith("[")) {
            t = t.substring(1);
        }
        if (t.endsWith("]")) {
            t = t.substring(0, t.length() - 1);
        }
        return t;
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }
}
