package io.usagebackfill.catalog;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;

/**
 * One way to find a value in an event: a dotted path ({@code usage.prompt_tokens}) or a JSON Pointer
 * ({@code /usage/prompt_tokens}), optionally followed by fields beside it whose values are added
 * ({@code input_tokens + cache_read_input_tokens}). A dotted path also matches keys that contain the dots, as
 * flattened OpenTelemetry attributes do: {@code gen_ai.usage.input_tokens} finds {@code {"gen_ai.usage.input_tokens":1}}
 * as well as {@code {"gen_ai":{"usage":{"input_tokens":1}}}}. Immutable and thread-safe.
 *
 */
public final class FieldPath {

    private final String text;
    private final List<String> segments;
    private final JsonPointer pointer;
    private final List<String> addends;
    /**
     * {@code keys[from][to - from - 1]}: the segments from {@code from} up to {@code to} joined with dots, made once
     * here, since every lookup of every event tries them (joined per lookup, they were a third of the parse's CPU).
     */
    private final String[][] keys;

    private FieldPath(String text, List<String> segments, JsonPointer pointer, List<String> addends) {
        this.text = text;
        this.segments = List.copyOf(segments);
        this.pointer = pointer;
        this.addends = List.copyOf(addends);
        this.keys = new String[segments.size()][];
        for (int from = 0; from < segments.size(); from++) {
            keys[from] = new String[segments.size() - from];
            for (int to = from + 1; to <= segments.size(); to++) {
                keys[from][to - from - 1] = String.join(".", segments.subList(from, to));
            }
        }
    }

    /** Parses one catalog entry such as {@code a.b + c}. */
    public static FieldPath parse(String entry) {
        // -1 keeps a trailing empty part, so "a +" is refused rather than read as "a".
        String[] parts = entry.split("\\+", -1);
        String main = parts[0].strip();
        if (main.isEmpty()) {
            throw new IllegalArgumentException("\"" + entry.strip() + "\" names no field");
        }
        List<String> addends = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            String addend = parts[i].strip();
            if (addend.isEmpty() || addend.contains(".") || addend.startsWith("/")) {
                throw new IllegalArgumentException("\"" + entry.strip() + "\": after + come the names of fields"
                        + " beside the first one, without dots");
            }
            addends.add(addend);
        }
        if (main.startsWith("/")) {
            if (main.matches(".*~([^01].*|$)")) {
                throw new IllegalArgumentException("\"" + main + "\" is not a JSON Pointer: ~ must be followed by 0"
                        + " (for ~) or 1 (for /)");
            }
            return new FieldPath(entry.strip(), List.of(), JsonPointer.compile(main), List.copyOf(addends));
        }
        if (main.startsWith(".") || main.endsWith(".") || main.contains("..")) {
            throw new IllegalArgumentException("\"" + main + "\" is not a dotted path (a.b.c) or a JSON Pointer (/a/b)");
        }
        return new FieldPath(entry.strip(), List.of(main.split("\\.")), null, List.copyOf(addends));
    }

    /** The path as written in the catalog, for messages and {@code fields --print}. */
    public String text() {
        return text;
    }

    /** The fields beside the found one whose values are added to it. */
    public List<String> addends() {
        return addends;
    }

    /** Every member name this path may look up in an object (JSON Pointer steps unescaped). */
    List<String> keys() {
        List<String> names = new ArrayList<>(addends);
        for (String[] from : keys) {
            names.addAll(List.of(from));
        }
        for (JsonPointer step = pointer; step != null && !step.matches(); step = step.tail()) {
            names.add(step.getMatchingProperty());
        }
        return names;
    }

    /** The path without its addends, as messages name what it found. */
    public String name() {
        int plus = text.indexOf('+');
        return plus < 0 ? text : text.substring(0, plus).strip();
    }

    /** The value this path finds in {@code object}, or null when it is absent or JSON null. */
    public Hit find(JsonNode object) {
        if (pointer != null) {
            JsonPointer parent = pointer.head();
            JsonNode value = object.at(pointer);
            return present(value) ? new Hit(value, parent == null ? object : object.at(parent)) : null;
        }
        return find(object, 0);
    }

    /**
     * The object where this path's field would be, when the field is absent there but one of its addends is not;
     * else null. Gemini leaves {@code candidatesTokenCount} out when a thinking model spent its whole budget on
     * {@code thoughtsTokenCount}, and a cache-only call may log no {@code input_tokens}: the parts present are the
     * count then, rather than none at all.
     */
    public JsonNode holderOfAddendsOnly(JsonNode object) {
        if (addends.isEmpty() || find(object) != null) {
            return null;
        }
        JsonNode holder = object;
        if (pointer != null) {
            JsonPointer parent = pointer.head();
            holder = parent == null ? object : object.at(parent);
        } else {
            for (int i = 0; i < segments.size() - 1 && holder != null; i++) {
                holder = holder.get(segments.get(i));
            }
        }
        if (holder == null || !holder.isObject()) {
            return null;
        }
        for (String addend : addends) {
            if (present(holder.get(addend))) {
                return holder;
            }
        }
        return null;
    }

    /** Longest key first, so a key holding dots wins over a nested object of the same path. */
    private Hit find(JsonNode object, int from) {
        if (!object.isObject()) {
            return null;
        }
        for (int to = segments.size(); to > from; to--) {
            JsonNode value = object.get(keys[from][to - from - 1]);
            if (value == null) {
                continue;
            }
            if (to == segments.size()) {
                if (present(value)) {
                    return new Hit(value, object);
                }
                continue;
            }
            Hit nested = find(value, to);
            if (nested != null) {
                return nested;
            }
        }
        return null;
    }

    private static boolean present(JsonNode value) {
        return value != null && !value.isMissingNode() && !value.isNull();
    }

    /** A value found, and the object that holds it (where the addends are looked up). */
    public record Hit(JsonNode value, JsonNode holder) {
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FieldPath path && text.equals(path.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
