package io.usagebackfill.parse;

import java.util.List;
import java.util.Locale;

import io.usagebackfill.normalize.FieldCatalog;
import io.usagebackfill.normalize.FieldPath;
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
        List<FieldPath> paths = catalog.paths("event");
        for (int i = 0; i < paths.size(); i++) {
            FieldPath.Hit hit = paths.get(i).find(payload);
            if (hit != null && hit.value().isString() && names(hit.value().stringValue())) {
                return true;
            }
        }
        return false;
    }

    /**
     * What the message that names the event says after the name ({@code "token_usage {\"model\":…}"} gives the
     * object's text), stripped, or "" when nothing follows or the name is in a field of its own.
     */
    String after(JsonNode payload) {
        List<FieldPath> paths = catalog.paths("event");
        for (int i = 0; i < paths.size(); i++) {
            FieldPath.Hit hit = paths.get(i).find(payload);
            if (hit != null && hit.value().isString() && names(hit.value().stringValue())) {
                String rest = hit.value().stringValue().strip().substring(TOKEN_USAGE.length());
                return (rest.startsWith(":") ? rest.substring(1) : rest).strip();
            }
        }
        return "";
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
