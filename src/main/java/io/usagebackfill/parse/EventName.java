package io.usagebackfill.parse;

import java.util.List;
import java.util.Map;
import java.util.Locale;

import io.usagebackfill.catalog.FieldCatalog;
import io.usagebackfill.catalog.FieldPath;
import tools.jackson.databind.JsonNode;

/**
 * Decides whether a payload names the {@code token_usage} event: one of the catalog's {@code event} fields is the
 * word in any letter case, or a message that starts with it and data ({@code "token_usage {} {}"}, the pattern an
 * SLF4J logger was given, {@code "token_usage model=gpt-4o"} as logstash-logback-encoder renders structured
 * arguments, or {@code "token_usage: openai gpt-4o"}), but not a longer word ({@code token_usage_total}) nor the
 * word in a sentence ({@link #names}).
 * Thread-safe.
 */
final class EventName {

    static final String TOKEN_USAGE = "token_usage";

    private final FieldCatalog catalog;

    private final List<String> suffixes;

    EventName(FieldCatalog catalog) {
        this.catalog = catalog;
        this.suffixes = catalog.paths("event_suffixes").stream().map(path -> String.join("", path.steps())).toList();
    }

    boolean isTokenUsage(JsonNode payload) {
        return naming(payload) != null;
    }

    /**
     * The text of the field that names the event ({@code "token_usage {} {}"}), or null when none does. A name with
     * data or a template (.NET's {@code {OriginalFormat}} beside its rendered message) wins over a message in prose.
     */
    String naming(JsonNode payload) {
        String named = naming(payload, false);
        return named != null ? named : naming(payload, true);
    }

    private String naming(JsonNode payload, boolean prose) {
        List<FieldPath> paths = catalog.paths("event");
        for (int i = 0; i < paths.size(); i++) {
            FieldPath.Hit hit = paths.get(i).find(payload);
            if (hit != null && hit.value().isString() && namesHere(hit.value().stringValue(), payload, prose)) {
                return hit.value().stringValue();
            }
        }
        if (prose) {
            return null;
        }
        for (Map.Entry<String, JsonNode> member : payload.properties()) {
            JsonNode value = member.getValue();
            if (value.isString() && endsWithSuffix(member.getKey()) && namesHere(value.stringValue(), payload, false)) {
                return value.stringValue();
            }
        }
        return null;
    }

    private boolean namesHere(String text, JsonNode payload, boolean prose) {
        if (prose) {
            return leadsProse(text) && holdsModel(payload) && holdsCount(payload) && !warnsOrWorse(payload);
        }
        return isTheWord(text) || names(text) && !warnsOrWorse(payload);
    }

    /**
     * Whether a message starts with the word and goes on in prose ({@code "token_usage for mistral-large : 2204 in"},
     * logstash-logback-encoder's message with the call's data as fields beside it): the event where the record holds
     * a model and is not logged as a warning or worse, a line about the table or the event where it does not
     * ({@code "token_usage insert failed"}).
     */
    static boolean leadsProse(String text) {
        String name = text.strip();
        return name.length() > TOKEN_USAGE.length() + 1 && name.regionMatches(true, 0, TOKEN_USAGE, 0,
                TOKEN_USAGE.length()) && Character.isWhitespace(name.charAt(TOKEN_USAGE.length()));
    }

    /** The levels of a warning or worse: such a record is about the event, not it. */
    private static final List<String> WARNINGS_OR_WORSE = List.of("warn", "warning", "wrn", "w", "error", "err",
            "eror", "e", "fatal", "f", "critical", "crit", "panic", "dpanic", "alert", "emerg", "emergency");

    /**
     * Whether the record is logged as a warning or worse ({@code "level":"ERROR"}, pino's and bunyan's 40 and up): a
     * message in prose that starts with the word is then a line about the event ("token_usage write failed", the
     * call's data beside it), which loading would count twice.
     */
    boolean warnsOrWorse(JsonNode payload) {
        for (FieldPath path : catalog.paths("level")) {
            FieldPath.Hit hit = path.find(payload);
            if (hit == null) {
                continue;
            }
            JsonNode level = hit.value();
            if (level.isNumber()) {
                return level.asInt() >= 40 && level.asInt() < 100;
            }
            if (level.isString()) {
                String text = level.stringValue().strip().toLowerCase(Locale.ROOT);
                return WARNINGS_OR_WORSE.contains(text) || text.length() == 2 && text.charAt(0) >= '4'
                        && text.charAt(0) <= '9' && text.charAt(1) >= '0' && text.charAt(1) <= '9';
            }
        }
        return false;
    }

    /** The word alone, in any letter case: the event's name whatever the record's level. */
    private static boolean isTheWord(String text) {
        String name = text.strip();
        return name.length() == TOKEN_USAGE.length() && name.equalsIgnoreCase(TOKEN_USAGE);
    }

    /** Whether the record, or its usage object, holds a member the catalog reads as a token count. */
    private boolean holdsCount(JsonNode payload) {
        if (holdsCountMember(payload)) {
            return true;
        }
        for (FieldPath path : catalog.paths("usage")) {
            FieldPath.Hit hit = path.find(payload);
            if (hit != null && hit.value().isObject() && holdsCountMember(hit.value())) {
                return true;
            }
        }
        return false;
    }

    private boolean holdsCountMember(JsonNode object) {
        for (String key : object.propertyNames()) {
            if (catalog.countNames().role(key, false) != io.usagebackfill.catalog.CountNames.Role.NONE) {
                return true;
            }
        }
        return false;
    }

    private boolean holdsModel(JsonNode payload) {
        for (FieldPath path : catalog.paths("model")) {
            if (path.find(payload) != null) {
                return true;
            }
        }
        return false;
    }

    private boolean endsWithSuffix(String key) {
        for (String suffix : suffixes) {
            if (key.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * What a name that {@link #names} says after the word ({@code "token_usage {\"model\":…}"} gives the object's
     * text), stripped, and "" when nothing follows.
     */
    static String after(String naming) {
        String rest = naming.strip().substring(TOKEN_USAGE.length());
        return afterBar((rest.startsWith(":") ? rest.substring(1) : rest).strip());
    }

    /**
     * Whether a message names the event: the word alone, the word and a colon ({@code "token_usage: openai gpt-4o"}),
     * or the word and data ({@code {…}}, {@code […]}, {@code {}} or printf's {@code %o} placeholders, {@code key=value}
     * pairs), the data perhaps set apart by a bar ({@code "token_usage | {…}"}). The word
     * followed by prose ({@code "TOKEN_USAGE insert failed: relation …"}) is a line about the table, not the event.
     */
    static boolean names(String text) {
        String name = text.strip();
        if (name.length() < TOKEN_USAGE.length() || !name.startsWith(TOKEN_USAGE)
                // The name as most apps log it needs no lower-cased copy.
                && !name.substring(0, TOKEN_USAGE.length()).toLowerCase(Locale.ROOT).equals(TOKEN_USAGE)) {
            return false;
        }
        if (name.length() == TOKEN_USAGE.length()) {
            return true;
        }
        char next = name.charAt(TOKEN_USAGE.length());
        if (next == ':') {
            return true;
        }
        if (!Character.isWhitespace(next)) {
            return false;
        }
        String rest = afterBar(name.substring(TOKEN_USAGE.length()).strip());
        return rest.startsWith("{") || rest.startsWith("[") || rest.startsWith("#{") || rest.startsWith("%{")
                || startsWithPair(rest) || startsWithPlaceholder(rest);
    }

    /** The text after a bar that sets data apart from a message ({@code token_usage | {…}}, loguru's extra). */
    private static String afterBar(String rest) {
        return rest.startsWith("|") ? rest.substring(1).strip() : rest;
    }

    /** Whether the text starts with a printf placeholder ({@code token_usage %o}, its values the arguments after). */
    private static boolean startsWithPlaceholder(String text) {
        return text.length() >= 2 && text.charAt(0) == '%' && Character.isLetter(text.charAt(1));
    }

    /** Whether the text starts with a {@code key=} pair. */
    private static boolean startsWithPair(String text) {
        int i = 0;
        while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || "_.-@".indexOf(text.charAt(i)) >= 0)) {
            i++;
        }
        return i > 0 && i < text.length() && text.charAt(i) == '=';
    }
}
