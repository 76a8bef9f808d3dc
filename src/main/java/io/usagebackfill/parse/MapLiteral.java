package io.usagebackfill.parse;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A map as a language prints it when a logger is handed one, read as the object it shows: Java's
 * {@code Map.toString()} ({@code {model=gpt-4o, prompt_tokens=12}}, Log4j's and logback's MDC and structured
 * arguments), Python's {@code repr} ({@code {'model': 'gpt-4o', 'prompt_tokens': 12}}), Ruby's {@code inspect}
 * ({@code {:model=>"gpt-4o"}}, {@code {"model"=>"gpt-4o"}}, {@code {model: "gpt-4o"}}), Node's {@code util.inspect}
 * ({@code { model: 'gpt-4o' }}), Erlang's {@code #{model => …}} and Elixir's {@code %{model: …}}. By rule, not by
 * language: a key is a word, a quoted text or a symbol, then {@code =>}, {@code :} or {@code =}; a value is a map, a
 * list, a quoted text, or the text up to the next comma or closing bracket (a number where it is one; {@code nil},
 * {@code None} and {@code null} are no value). JSON is one such map. Stateless.
 */
final class MapLiteral {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern INTEGER = Pattern.compile("-?\\d+");
    private static final Pattern DECIMAL = Pattern.compile("-?\\d+(\\.\\d+)?([eE][+-]?\\d+)?");

    private final String text;
    private int at;

    private MapLiteral(String text) {
        this.text = text;
    }

    /** The object {@code text} prints, or null when it is not one map, whole (text may follow only as blanks). */
    static ObjectNode parse(String text) {
        MapLiteral reader = new MapLiteral(text.strip());
        try {
            reader.blanks();
            if (!reader.opensMap()) {
                return null;
            }
            ObjectNode map = reader.map();
            reader.blanks();
            return reader.at == reader.text.length() && !map.isEmpty() ? map : null;
        } catch (RuntimeException notAMap) {
            return null;
        }
    }

    /** Where the map that starts at {@code from} ends (just after its closing brace), or -1 when it does not close. */
    static int end(String line, int from) {
        int depth = 0;
        char quote = 0;
        for (int i = from; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if ((c == '}' || c == ']') && --depth == 0) {
                return i + 1;
            }
        }
        return -1;
    }

    private boolean opensMap() {
        return peek() == '{' || (peek() == '#' || peek() == '%') && at + 1 < text.length()
                && text.charAt(at + 1) == '{';
    }

    private ObjectNode map() {
        if (peek() != '{') {
            at++; // Erlang's '#' or Elixir's '%'
        }
        expect('{');
        ObjectNode map = NODES.objectNode();
        blanks();
        if (peek() == '}') {
            at++;
            return map;
        }
        while (true) {
            String key = key();
            blanks();
            separator();
            if (map.has(key)) {
                // No map prints a key twice: the text was cut at a comma inside a value.
                throw new IllegalStateException("a key twice");
            }
            map.set(key, value());
            blanks();
            char c = next();
            if (c == '}') {
                return map;
            }
            if (c != ',') {
                throw new IllegalStateException("no comma between members");
            }
            blanks();
        }
    }

    private ArrayNode list() {
        expect('[');
        ArrayNode list = NODES.arrayNode();
        blanks();
        if (peek() == ']') {
            at++;
            return list;
        }
        while (true) {
            list.add(value());
            blanks();
            char c = next();
            if (c == ']') {
                return list;
            }
            if (c != ',') {
                throw new IllegalStateException("no comma between elements");
            }
        }
    }

    private String key() {
        char c = peek();
        if (c == '"' || c == '\'') {
            return quoted();
        }
        if (c == ':' && at + 1 < text.length() && isKeyChar(text.charAt(at + 1))) {
            at++; // a Ruby symbol
        }
        int start = at;
        while (at < text.length() && isKeyChar(text.charAt(at))) {
            at++;
        }
        if (at == start) {
            throw new IllegalStateException("no key");
        }
        return text.substring(start, at);
    }

    private void separator() {
        if (text.startsWith("=>", at)) {
            at += 2;
        } else if (peek() == ':' || peek() == '=') {
            at++;
        } else {
            throw new IllegalStateException("no separator after a key");
        }
    }

    private JsonNode value() {
        blanks();
        char c = peek();
        if (opensMap()) {
            return map();
        }
        if (c == '[') {
            return list();
        }
        if (c == '"' || c == '\'') {
            return NODES.stringNode(quoted());
        }
        if (text.startsWith("<<\"", at)) {
            at += 2;
            String binary = quoted();
            expect('>');
            expect('>');
            return NODES.stringNode(binary);
        }
        int start = at;
        while (at < text.length() && ",}]".indexOf(text.charAt(at)) < 0) {
            at++;
        }
        return bare(text.substring(start, at).strip());
    }

    private static JsonNode bare(String word) {
        if (INTEGER.matcher(word).matches()) {
            return NODES.numberNode(new BigInteger(word));
        }
        if (DECIMAL.matcher(word).matches()) {
            return NODES.numberNode(new BigDecimal(word));
        }
        return switch (word) {
            case "true", "True" -> NODES.booleanNode(true);
            case "false", "False" -> NODES.booleanNode(false);
            case "nil", "None", "null", "NULL", "undefined" -> NODES.nullNode();
            default -> NODES.stringNode(word);
        };
    }

    private String quoted() {
        char quote = next();
        StringBuilder out = new StringBuilder();
        while (true) {
            char c = next();
            if (c == quote) {
                return out.toString();
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char escaped = next();
            switch (escaped) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'u' -> {
                    out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                    at += 4;
                }
                default -> out.append(escaped);
            }
        }
    }

    private static boolean isKeyChar(char c) {
        return Character.isLetterOrDigit(c) || "_-.@$".indexOf(c) >= 0;
    }

    private void blanks() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
    }

    private char peek() {
        return at < text.length() ? text.charAt(at) : 0;
    }

    private char next() {
        return text.charAt(at++);
    }

    private void expect(char c) {
        if (next() != c) {
            throw new IllegalStateException("expected " + c);
        }
    }
}
