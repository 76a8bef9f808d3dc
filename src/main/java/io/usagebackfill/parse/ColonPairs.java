package io.usagebackfill.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.usagebackfill.catalog.CanonicalTree;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code key: value} pairs separated by commas, as report-style loggers print a record: Erlang's and Elixir's
 * {@code logger} ({@code event: token_usage, model: <<"gemini-2.5-pro">>, usageMetadata: #{promptTokenCount => 1200}}),
 * and text formatters that print a map, and a member line of a record Node's {@code util.inspect} prints over several
 * lines ({@code   message: 'token_usage',}). Values are text: a binary {@code <<"…">>} or a quoted string is its content, a
 * map {@code #{k => v}} or {@code %{k: v}} is an object; the normaliser reads numbers out of text. Stateless.
 */
final class ColonPairs {

    /** Where pairs that name the event start: an event field followed by the word. */
    private static final Pattern NAMED = Pattern.compile(
            "(?i)(?<![\\w.])(event|msg|message|type|event_name|eventname)\\s*:\\s*[\"']?token_usage[\"']?\\s*(,|$)");

    private ColonPairs() {
    }

    /** Where the pairs start in the line (at the pair that names the event); -1 when none names it. */
    static int start(String line) {
        Matcher named = NAMED.matcher(line);
        if (!named.find()) {
            return -1;
        }
        return named.start();
    }

    /** The pairs from {@code text}, in normal form. */
    static ObjectNode parse(String text) {
        return CanonicalTree.of(object(text, ":"));
    }

    private static ObjectNode object(String text, String separator) {
        ObjectNode pairs = JsonNodeFactory.instance.objectNode();
        for (String part : split(text, ',')) {
            int at = part.indexOf(separator);
            if (at <= 0) {
                continue;
            }
            String key = part.substring(0, at).strip();
            String value = part.substring(at + separator.length()).strip();
            if (key.startsWith("<<\"") || key.startsWith("\"") || key.startsWith(":")) {
                key = text(key);
            }
            if (value.startsWith("#{") && value.endsWith("}")) {
                pairs.set(key, object(value.substring(2, value.length() - 1), "=>"));
            } else if (value.startsWith("%{") && value.endsWith("}")) {
                pairs.set(key, object(value.substring(2, value.length() - 1), ":"));
            } else {
                pairs.put(key, text(value));
            }
        }
        return pairs;
    }

    private static String text(String value) {
        String v = value.strip();
        if (v.startsWith("<<\"") && v.endsWith("\">>")) {
            return v.substring(3, v.length() - 3);
        }
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
            return v.substring(1, v.length() - 1);
        }
        return v.startsWith(":") ? v.substring(1) : v;
    }

    /** The text cut at {@code separator} outside brackets, binaries and quotes. */
    private static List<String> split(String text, char separator) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        int from = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' && (i == 0 || text.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            } else if (!quoted && (c == '{' || c == '[' || c == '<' && i + 1 < text.length()
                    && text.charAt(i + 1) == '<')) {
                depth++;
                i += c == '<' ? 1 : 0;
            } else if (!quoted && depth > 0 && (c == '}' || c == ']' || c == '>' && i + 1 < text.length()
                    && text.charAt(i + 1) == '>')) {
                depth--;
                i += c == '>' ? 1 : 0;
            } else if (!quoted && depth == 0 && c == separator) {
                parts.add(text.substring(from, i));
                from = i + 1;
            }
        }
        parts.add(text.substring(from));
        return parts;
    }
}
