package io.usagebackfill.parse;

import java.time.ZoneId;
import java.util.Locale;

import io.usagebackfill.catalog.CanonicalTree;
import io.usagebackfill.catalog.EventTime;
import io.usagebackfill.catalog.Keys;
import io.usagebackfill.catalog.RejectedLineException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Console logging: a text prefix (timestamp, level, logger) then the word {@code token_usage} and a JSON object or
 * logfmt pairs, or a prefix then a JSON object whose msg/event names {@code token_usage}. A line that merely mentions the word
 * ({@code ERROR insert into token_usage failed}) has no object after it and is not an event.
 */
final class TextPrefixShape implements LineShape {

    private final JsonPayloads json;
    private final ZoneId zone;

    /** @param zone where a prefix time without a zone is read (Python's asctime, log4js' basic layout) */
    TextPrefixShape(JsonPayloads json, ZoneId zone) {
        this.json = json;
        this.zone = zone;
    }

    @Override
    public boolean accepts(String line) {
        return true;
    }

    @Override
    public LineRecord read(String line) {
        LineRecord inJson = jsonBeforeKeyword(line);
        if (inJson != null) {
            return inJson;
        }
        int payloadStart = payloadAfterKeyword(line);
        if (payloadStart >= 0 && isTemplate(line.substring(payloadStart))) {
            // "token_usage {Model} {PromptTokens}": a message template whose values are elsewhere, not JSON.
            return timed(JsonNodeFactory.instance.objectNode(), true, line, payloadStart, "a message template");
        }
        if (payloadStart >= 0) {
            return timed(jsonOrMap(line.substring(payloadStart)), true, line, payloadStart, "JSON");
        }
        int pairs = logfmtAfterKeyword(line);
        if (pairs < 0) {
            pairs = pairsFurtherAfterKeyword(line);
        }
        if (pairs >= 0) {
            return timed(json.withJsonValues(CanonicalTree.of(LogfmtShape.parse(line.substring(pairs)))), true, line,
                    pairs, "logfmt pairs");
        }
        int namingPairs = pairsAroundTheName(line);
        if (namingPairs >= 0) {
            // The pairs name the event themselves (msg="token_usage"), as the catalog's event fields decide.
            return timed(json.withJsonValues(CanonicalTree.of(LogfmtShape.parse(line.substring(namingPairs)))),
                    false, line, namingPairs, "logfmt pairs");
        }
        int end = wordEndingTheLine(line);
        if (end >= 0) {
            return timed(pairsBefore(line.substring(0, end)), true, line, end, "the pairs before it");
        }
        int colonPairs = ColonPairs.start(line);
        if (colonPairs >= 0) {
            return timed(ColonPairs.parse(line.substring(colonPairs)), false, line, colonPairs, "key: value pairs");
        }
        ObjectNode bracketed = bracketPairsAfterKeyword(line);
        if (bracketed != null) {
            return timed(bracketed, true, line, line.toLowerCase(Locale.ROOT).indexOf(EventName.TOKEN_USAGE),
                    "[key: value] pairs");
        }
        LineRecord json = jsonFrom(line, line.indexOf('{'));
        return json != null ? json : LineRecord.NOTHING;
    }

    /**
     * The JSON a line carries when the word is inside it ({@code tag: [1733393401.5, {"log":"… msg=token_usage …"}]}):
     * read as JSON, not as the pairs or object after the word; null when the word comes first or the JSON cannot be
     * read.
     */
    private LineRecord jsonBeforeKeyword(String line) {
        int word = line.toLowerCase(Locale.ROOT).indexOf(EventName.TOKEN_USAGE);
        int objectStart = line.indexOf('{');
        return objectStart < 0 || word < objectStart ? null : jsonFrom(line, objectStart);
    }

    /**
     * The JSON object at {@code objectStart}, or the array around it (a shipper's {@code tag: [time, {record}]});
     * null when there is none or it cannot be read.
     */
    private LineRecord jsonFrom(String line, int objectStart) {
        if (objectStart < 0) {
            return null;
        }
        try {
            return timed(json.parseEvent(line.substring(objectStart)), false, line, objectStart, "JSON");
        } catch (RuntimeException notAnObject) {
            ObjectNode map = MapLiteral.parse(line.substring(objectStart));
            if (map != null) {
                return timed(CanonicalTree.of(map), false, line, objectStart, MAP);
            }
            int arrayStart = line.lastIndexOf('[', objectStart);
            try {
                return arrayStart < 0 ? null
                        : timed(json.parseArray(line.substring(arrayStart)), false, line, arrayStart, "a JSON array");
            } catch (RuntimeException notAnArray) {
                return null;
            }
        }
    }

    private static final String MAP = "a map as its language prints it";

    /** Why an event whose record goes on over the next lines cannot be read, and what to do. */
    static final String SPREAD_OVER_LINES = ", so its data is not on this line: where a record is printed over"
            + " several lines (as pino-pretty, Node's util.inspect or a multi-line layout print it), log one record a"
            + " line (JSON)";

    /**
     * The object after the word: JSON, or else a map as a language prints it ({@code {model=gpt-4o, …}}, Java's MDC
     * and structured arguments; {@code {'model': …}}, Python's); rejected as JSON when it is neither.
     */
    private ObjectNode jsonOrMap(String payload) {
        try {
            return json.parseEvent(payload);
        } catch (RejectedLineException notJson) {
            ObjectNode map = MapLiteral.parse(payload);
            if (map != null) {
                return CanonicalTree.of(map);
            }
            String open = payload.strip();
            // An object left open after a whole member ("{", "{ provider: 'openai',") goes on over the next lines; one
            // cut inside a value is a truncated line, which the JSON error says.
            if (MapLiteral.end(payload, 0) < 0 && (open.endsWith("{") || open.endsWith(",") || open.endsWith("["))) {
                throw new RejectedLineException("the object after token_usage does not close on this line"
                        + SPREAD_OVER_LINES);
            }
            throw notJson;
        }
    }

    /**
     * The pairs after a standalone word written as {@code [key: value]} groups, as Python's daiquiri prints a
     * record's extras ({@code token_usage [input_tokens: 45] [model: …]}); null when they are not so.
     */
    static ObjectNode bracketPairsAfterKeyword(String line) {
        int at = line.toLowerCase(Locale.ROOT).indexOf(EventName.TOKEN_USAGE);
        if (at < 0 || (at > 0 && isWordChar(line.charAt(at - 1)))) {
            return null;
        }
        String rest = line.substring(at + EventName.TOKEN_USAGE.length()).strip();
        ObjectNode pairs = JsonNodeFactory.instance.objectNode();
        while (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            int colon = rest.indexOf(": ");
            if (close < 0 || colon < 0 || colon > close) {
                return null;
            }
            pairs.put(rest.substring(1, colon).strip(), rest.substring(colon + 2, close).strip());
            rest = rest.substring(close + 1).strip();
        }
        return pairs.isEmpty() || !rest.isEmpty() ? null : CanonicalTree.of(pairs);
    }

    /** The tree, timed by the prefix before {@code payloadStart} when it has a time. */
    private LineRecord timed(JsonNode tree, boolean named, String line, int payloadStart, String payload) {
        if (tree == null) {
            return LineRecord.NOTHING;
        }
        EventTime.Stamp prefixTime = prefixTime(line.substring(0, payloadStart), zone);
        return new LineRecord(tree, named, prefixTime, "a text prefix" + (named ? ", the word token_usage" : "")
                + " and " + payload);
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

    /**
     * Where pairs start after the word and some words ({@code token_usage gpt-4o-mini prompt=14 completion=9},
     * {@code 1.553 ms token_usage model=… prompt_tokens=1200}), when one of them is a key the catalog reads: pairs of
     * other keys ({@code flushing token_usage rows=5 failed}) are a sentence about the table. -1 when there are none.
     */
    private int pairsFurtherAfterKeyword(String line) {
        int at = line.toLowerCase(Locale.ROOT).indexOf(EventName.TOKEN_USAGE);
        if (at < 0 || (at > 0 && isWordChar(line.charAt(at - 1)))) {
            return -1;
        }
        int from = at + EventName.TOKEN_USAGE.length();
        if (from < line.length() && line.charAt(from) != ' ' && line.charAt(from) != ':') {
            return -1;
        }
        String rest = line.substring(from);
        if (rest.strip().startsWith("{")) {
            // An object, not words and then pairs: read as one where the word names the event
            // ("failed to save token_usage {model=gpt-4o, …}" does not)
            return -1;
        }
        try {
            ObjectNode pairs = LogfmtShape.pairsOnly(rest);
            for (String key : pairs.propertyNames()) {
                if (!pairs.get(key).stringValue().isEmpty() && json.keptByName(Keys.normal(key))) {
                    return from;
                }
            }
        } catch (RuntimeException notPairs) {
            return -1;
        }
        return -1;
    }

    /**
     * Where the pairs start when the word is the whole value of one of them after a prefix ({@code 2026-12-07
     * 20:22:43 message="token_usage" severity="info" model="gemini-2.0-flash" promptTokens="800"}, as bristol's
     * common-info-model format and many a key=value layout write a record): the first of the words before it that
     * begins a pair from which the rest of the line reads as pairs; -1 when the word is no pair's value.
     */
    private static int pairsAroundTheName(String line) {
        int at = line.toLowerCase(Locale.ROOT).indexOf(EventName.TOKEN_USAGE);
        int after = at + EventName.TOKEN_USAGE.length();
        if (at < 2) {
            return -1;
        }
        boolean quoted = line.charAt(at - 1) == '"';
        int equals = quoted ? at - 2 : at - 1;
        if (line.charAt(equals) != '=' || quoted && (after >= line.length() || line.charAt(after) != '"')) {
            return -1;
        }
        int end = quoted ? after + 1 : after;
        if (end < line.length() && line.charAt(end) != ' ') {
            return -1;
        }
        int keyStart = equals;
        while (keyStart > 0 && line.charAt(keyStart - 1) != ' ') {
            keyStart--;
        }
        if (keyStart == equals) {
            return -1;
        }
        for (int start = 0; start <= keyStart; start = nextWord(line, start)) {
            if (startsPair(line, start)) {
                try {
                    LogfmtShape.parse(line.substring(start));
                    return start;
                } catch (RuntimeException notPairs) {
                    // a quoted word in the prefix: the pairs start further on
                }
            }
        }
        return -1;
    }

    /** Whether the word at {@code start} is {@code key=…}. */
    private static boolean startsPair(String line, int start) {
        int i = start;
        while (i < line.length() && (isWordChar(line.charAt(i)) || line.charAt(i) == '.' || line.charAt(i) == '-'
                || line.charAt(i) == '@')) {
            i++;
        }
        return i > start && i < line.length() && line.charAt(i) == '=';
    }

    /** Where the word after the one at {@code start} begins (past the line's end when there is none). */
    private static int nextWord(String line, int start) {
        int i = start;
        while (i < line.length() && line.charAt(i) != ' ') {
            i++;
        }
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return i == start ? line.length() + 1 : i;
    }

    /**
     * Where the word ends when it ends the line after a prefix ({@code 2026-12-07T10:59:35+0000 [app.llm#info]
     * token_usage}): the event's name with nothing after it, an event without data (rejected as such, never counted
     * away), unless it closes a sentence ({@code failed to write token_usage}). -1 otherwise.
     */
    private static int wordEndingTheLine(String line) {
        String stripped = line.stripTrailing();
        int at = stripped.length() - EventName.TOKEN_USAGE.length();
        // The word alone is a value (a table's name, an entity type), not a line that names the event.
        if (at <= 0 || !stripped.regionMatches(true, at, EventName.TOKEN_USAGE, 0, EventName.TOKEN_USAGE.length())
                || isWordChar(stripped.charAt(at - 1)) || stripped.charAt(at - 1) != ' '
                || stripped.substring(0, at).isBlank()
                || inSentence(stripped, at)) {
            return -1;
        }
        return at;
    }

    private static final java.util.regex.Pattern TEMPLATE = java.util.regex.Pattern.compile(
            "(\\{[A-Za-z_@$][\\w.:,@$-]*}|\\{})(\\s+(\\{[A-Za-z_@$][\\w.:,@$-]*}|\\{}))*\\s*");

    /** Whether the text is placeholders alone ({@code {Model} {PromptTokens}}, SLF4J's {@code {} {}}). */
    static boolean isTemplate(String text) {
        return TEMPLATE.matcher(text).matches();
    }

    /**
     * The pairs among the words before the name ({@code [info] model=gemini-2.0-flash-001 prompt_tokens=900
     * token_usage}, Elixir's metadata before its message); an empty object when there are none.
     */
    private ObjectNode pairsBefore(String text) {
        ObjectNode pairs = JsonNodeFactory.instance.objectNode();
        try {
            ObjectNode words = LogfmtShape.parse(text);
            for (String key : words.propertyNames()) {
                if (!words.get(key).stringValue().isEmpty()) {
                    pairs.set(key, words.get(key));
                }
            }
        } catch (RuntimeException notPairs) {
            return pairs;
        }
        return json.withJsonValues(CanonicalTree.of(pairs));
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
            if (i < line.length() && line.charAt(i) == '|') {
                // loguru's "{message} | {extra}": a bar sets the data apart
                i++;
                while (i < line.length() && Character.isWhitespace(line.charAt(i))) {
                    i++;
                }
            }
            if (i + 1 < line.length() && (line.charAt(i) == '#' || line.charAt(i) == '%') && line.charAt(i + 1) == '{') {
                i++; // Erlang's #{…}, Elixir's %{…}: a map, read as MapLiteral reads it
            }
            if (standalone && i < line.length() && line.charAt(i) == '{' && !inSentence(line, at)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Whether the word before {@code at} is a lower-case word ({@code insert into token_usage {...}}): the line
     * talks about the table, while an event's name follows its prefix ({@code INFO}, {@code info}, {@code [usage]},
     * {@code app.llm:}, {@code llm -}, a symbol).
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
        return word.length() > 1 && word.chars().allMatch(c -> c >= 'a' && c <= 'z') && !LEVELS.contains(word);
    }

    /** Log levels as lower-case loggers print them before the message: a prefix, not a sentence. */
    private static final java.util.Set<String> LEVELS = java.util.Set.of("trace", "debug", "info", "notice", "warn",
            "warning", "error", "fatal", "critical", "verbose", "log", "success");

    /**
     * The time the prefix gives: one ISO token, or a date and a time as two tokens (Python's
     * {@code 2025-11-15 11:00:07,463}), wherever in the prefix (Ruby's {@code I, [2026-12-07T10:35:56.185617 #1]});
     * of several, the last, nearest the event: a shipper's time comes before the app's own line.
     */
    static EventTime.Stamp prefixTime(String prefix, ZoneId zone) {
        String[] tokens = prefix.strip().split("\\s+");
        EventTime.Stamp last = null;
        for (int i = 0; i < tokens.length; i++) {
            String token = stripBrackets(tokens[i]);
            if (token.length() < 10 || !Character.isDigit(token.charAt(0))
                    // A number further in is a pid or a count; only a line's first word is an epoch time.
                    || i > 0 && token.chars().allMatch(c -> Character.isDigit(c) || c == '.')) {
                continue;
            }
            // A date and a time, or a time and its offset ("[07/Dec/2026:10:59:49 +0000]"), before one alone.
            EventTime.Stamp stamp = i + 1 < tokens.length
                    ? EventTime.parse(token + (token.contains(":") ? " " : "T") + stripBrackets(tokens[i + 1]), zone)
                    : null;
            if (stamp != null) {
                i++;
            } else {
                stamp = EventTime.parse(token, zone);
            }
            last = stamp != null ? stamp : last;
        }
        return last;
    }

    private static String stripBrackets(String token) {
        String t = token;
        if (t.startsWith("[")) {
            t = t.substring(1);
        }
        if (t.endsWith(",")) {
            t = t.substring(0, t.length() - 1);
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
