package io.usagebackfill.parse;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Locale;

import io.usagebackfill.catalog.EventTime;
import tools.jackson.databind.node.ObjectNode;

/**
 * Console logging: a text prefix (timestamp, level, logger) then the word {@code token_usage} and a JSON object or
 * logfmt pairs, or a prefix then a JSON object whose msg/event names {@code token_usage}. A line that merely mentions the word
 * ({@code ERROR insert into token_usage failed}) has no object after it and is not an event.
 */
final class TextPrefixShape implements LineShape {

    private final JsonPayloads json;
    private final EventName name;
    private final ZoneId zone;

    /** @param zone where a prefix time without a zone is read (Python's asctime, log4js' basic layout) */
    TextPrefixShape(JsonPayloads json, EventName name, ZoneId zone) {
        this.json = json;
        this.name = name;
        this.zone = zone;
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
            int pairs = logfmtAfterKeyword(line);
            if (pairs >= 0) {
                return timed(LogfmtShape.parse(line.substring(pairs)), line, pairs, outerTime);
            }
            payloadStart = line.indexOf('{');
            if (payloadStart < 0) {
                return null;
            }
        }
        ObjectNode payload;
        if (named) {
            payload = json.parseEvent(line.substring(payloadStart));
        } else {
            try {
                payload = json.parseEvent(line.substring(payloadStart));
            } catch (RuntimeException notJson) {
                return null;
            }
        }
        if (payload == null || (!named && !name.isTokenUsage(payload))) {
            return null;
        }
        return timed(payload, line, payloadStart, outerTime);
    }

    /** The event, timed by the prefix before {@code payloadStart} when it has a time, else by the wrapper's. */
    private RecognizedEvent timed(ObjectNode payload, String line, int payloadStart, Instant outerTime) {
        EventTime.Stamp prefixTime = prefixTime(line.substring(0, payloadStart), zone);
        return prefixTime != null ? new RecognizedEvent(payload, prefixTime.instant(), line, prefixTime.zoneless(), true)
                : new RecognizedEvent(payload, outerTime, line);
    }

    /**
     * Where the logfmt pairs after a standalone {@code token_usage} word start ({@code INFO token_usage
     * model=gpt-4o prompt_tokens=21}, as a logger given key=value text writes them), or -1.
     */
    static int logfmtAfterKeyword(String line) {
        String lower = line.toLowerCase(Locale.ROOT);
        int at = lower.indexOf(EventName.TOKEN_USAGE);
        if (at < 0 || (at > 0 && isWordChar(line.charAt(at - 1))) || inSentence(line, at)) {
            return -1;
        }
        int i = at + EventName.TOKEN_USAGE.length();
        if (i < line.length() && line.charAt(i) == ':') {
            i++;
        }
        int spaces = i;
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        int key = i;
        while (i < line.length() && (isWordChar(line.charAt(i)) || line.charAt(i) == '.')) {
            i++;
        }
        return i > spaces && key > spaces && i > key && i < line.length() && line.charAt(i) == '=' ? key : -1;
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
            if (standalone && i < line.length() && line.charAt(i) == '{' && !inSentence(line, at)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Whether the word before {@code at} is a lower-case word ({@code insert into token_usage {...}}): the line
     * talks about the table, while an event's name follows its prefix ({@code INFO}, {@code [usage]},
     * {@code app.llm:}, {@code llm -}).
     */
    private static boolean inSentence(String line, int at) {
        int end = at;
        while (end > 0 && line.charAt(end - 1) == ' ') {
            end--;
        }
        int start = end;
        while (start > 0 && Character.isLetter(line.charAt(start - 1))) {
            start--;
        }
        if (start == end || (start > 0 && line.charAt(start - 1) != ' ')) {
            return false;
        }
        String word = line.substring(start, end);
        return word.equals(word.toLowerCase(Locale.ROOT));
    }

    /**
     * The timestamp the prefix starts with: one ISO token, or a date and a time as two tokens (Python's
     * {@code 2025-11-15 11:00:07,463}).
     */
    static EventTime.Stamp prefixTime(String prefix, ZoneId zone) {
        String[] tokens = prefix.strip().split("\\s+", 3);
        if (tokens.length == 0 || tokens[0].isEmpty()) {
            return null;
        }
        String first = stripBrackets(tokens[0]);
        if (first.length() < 10 || !Character.isDigit(first.charAt(0))) {
            return null;
        }
        EventTime.Stamp stamp = EventTime.parse(first, zone);
        if (stamp == null && tokens.length > 1) {
            stamp = EventTime.parse(first + "T" + stripBrackets(tokens[1]), zone);
        }
        return stamp;
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
