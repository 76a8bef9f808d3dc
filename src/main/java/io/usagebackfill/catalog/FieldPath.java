package io.usagebackfill.catalog;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.NullNode;

/**
 * One way to find a value in an event: a dotted path ({@code usage.prompt_tokens}) or a JSON Pointer
 * ({@code /usage/prompt_tokens}), optionally followed by fields beside it whose values are added
 * ({@code input_tokens + cache_read_input_tokens}). Its steps are matched in normal form ({@link Keys}) against an
 * event read into normal form ({@link CanonicalTree}), where dotted keys are paths too: {@code gen_ai.usage.input_tokens}
 * finds {@code {"gen_ai.usage.input_tokens":1}} as well as {@code {"genAi":{"usage":{"inputTokens":1}}}}. Immutable and
 * thread-safe.
 */
public final class FieldPath {

    private final String text;
    private final String name;
    private final String[] steps;
    private final List<String> addends;

    private FieldPath(String text, List<String> steps, List<String> addends) {
        this.text = text;
        int plus = text.indexOf('+');
        this.name = plus < 0 ? text : text.substring(0, plus).strip();
        this.steps = steps.toArray(String[]::new);
        this.addends = List.copyOf(addends);
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
            addends.add(Keys.normal(addend));
        }
        if (main.startsWith("/")) {
            if (main.matches(".*~([^01].*|$)")) {
                throw new IllegalArgumentException("\"" + main + "\" is not a JSON Pointer: ~ must be followed by 0"
                        + " (for ~) or 1 (for /)");
            }
            List<String> steps = new ArrayList<>();
            for (JsonPointer step = JsonPointer.compile(main); !step.matches(); step = step.tail()) {
                steps.addAll(List.of(Keys.steps(step.getMatchingProperty())));
            }
            return new FieldPath(entry.strip(), steps, addends);
        }
        if (main.startsWith(".") || main.endsWith(".") || main.contains("..")) {
            throw new IllegalArgumentException("\"" + main + "\" is not a dotted path (a.b.c) or a JSON Pointer (/a/b)");
        }
        return new FieldPath(entry.strip(), List.of(Keys.steps(main)), addends);
    }

    /** The path as written in the catalog, for messages and {@code fields --print}. */
    public String text() {
        return text;
    }

    /** The fields beside the found one whose values are added to it, in normal form. */
    public List<String> addends() {
        return addends;
    }

    /** The normal key an event's top must hold for this path to find anything there, and its addends. */
    List<String> keys() {
        List<String> names = new ArrayList<>(addends);
        if (steps.length > 0) {
            names.add(steps[0]);
        }
        return names;
    }

    /** The normal steps, as a word list the catalog's stems are read from. */
    public List<String> steps() {
        return List.of(steps);
    }

    /** The path without its addends, as messages name what it found. */
    public String name() {
        return name;
    }

    /** The value this path finds in {@code object} (a tree in normal form), or null when it is absent or JSON null. */
    public Hit find(JsonNode object) {
        JsonNode holder = holder(object);
        JsonNode value = holder == null ? null : steps.length == 0 ? holder : step(holder, steps[steps.length - 1]);
        return present(value) ? new Hit(value, holder) : null;
    }

    /** As {@link #find}, as the field found under this path's name: one object, where most lookups miss. */
    Fields.Found found(JsonNode object) {
        JsonNode holder = holder(object);
        JsonNode value = holder == null ? null : steps.length == 0 ? holder : step(holder, steps[steps.length - 1]);
        return present(value) ? new Fields.Found(name, value, this, holder) : null;
    }

    /** The container the last step is looked up in, or null when the steps before it do not lead to one. */
    private JsonNode holder(JsonNode object) {
        JsonNode holder = object;
        for (int i = 0; i < steps.length - 1; i++) {
            holder = step(holder, steps[i]);
            if (holder == null || !holder.isContainer()) {
                return null;
            }
        }
        return holder.isContainer() ? holder : null;
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
        for (int i = 0; i < steps.length - 1 && holder != null; i++) {
            holder = holder.get(steps[i]);
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

    /** The member under {@code step}, or an array's element at it ({@code results.0.tokenCount}). */
    private static JsonNode step(JsonNode holder, String step) {
        if (holder.isArray()) {
            return !step.isEmpty() && step.length() < 6 && step.chars().allMatch(Character::isDigit)
                    ? holder.get(Integer.parseInt(step)) : null;
        }
        return holder.get(step);
    }

    /** By class, not by the node's type: every lookup asks, and a node's type is a call no compiler can inline. */
    private static boolean present(JsonNode value) {
        return value != null && !(value instanceof NullNode) && !(value instanceof MissingNode);
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
