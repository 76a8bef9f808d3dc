package io.usagebackfill.parse;

import java.util.List;
import java.util.Locale;

import io.usagebackfill.catalog.FieldCatalog;
import io.usagebackfill.catalog.FieldPath;
import tools.jackson.databind.JsonNode;

/**
 * Decides whether a payload names the {@code token_usage} event: one of the catalog's {@code event} fields is the
 * word in any letter case, or a message that starts with it ({@code "token_usage {} {}"}, the pattern an SLF4J
 * logger was given, {@code "token_usage model=gpt-4o"} as logstash-logback-encoder renders structured
 * arguments, or {@code "token_usage: openai gpt-4o"}), but not a longer word ({@code token_usage_total}).
 * Thread-safe.
 */
final class EventName {

    static final String TOKEN_USAGE = "token_usage";

    private final FieldCatalog catalog;

    EventName(FieldCatalog catalog) {
        this.catalog = catalog;
    }

    boolean isTokenUsage(JsonNode payload) {
        return naming(payload) != null;
    }

    /** The text of the field that names the event ({@code "token_usage {} {}"}), or null when none does. */
    String naming(JsonNode payload) {
        List<FieldPath> paths = catalog.paths("event");
        for (int i = 0; i < paths.size(); i++) {
            FieldPath.Hit hit = paths.get(i).find(payload);
            if (hit != null && hit.value().isString() && names(hit.value().stringValue())) {
                return hit.value().stringValue();
            }
        }
        return null;
    }

    /**
     * What a name that {@link #names} says after the word ({@code "token_usage {\"model\":…}"} gives the object's
     * text), stripped, and "" when nothing follows.
     */
    static String after(String naming) {
        String rest = naming.strip().substring(TOKEN_USAGE.length());
        return (rest.startsWith(":") ? rest.substring(1) : rest).strip();
    }

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
        return Character.isWhitespace(next) || next == ':';
    }
}
