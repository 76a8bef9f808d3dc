package io.usagebackfill.catalog;

import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * An event's members under their normal keys ({@link Keys}), with dotted names as paths: {@code "usage.prompt_tokens":
 * 12} is {@code {"usage": {"prompttokens": 12}}}, and an object of attributes whose keys repeat its own name
 * ({@code "gen_ai": {"gen_ai.usage.input_tokens": 5}}) holds them without the repeat. Two names that normalise to
 * one key with different values (a {@code prompt_tokens} and a {@code promptTokens} that disagree) keep both: the
 * second under the key and a {@code ~2} suffix no rule places, so counts that do not add up are rejected rather than
 * one of them chosen. Values are kept as logged. Stateless and thread-safe.
 */
public final class CanonicalTree {

    /** A key no normal key is: what {@link #put} keeps a disagreeing second value under starts with it. */
    public static final String SECOND = "~";

    private CanonicalTree() {
    }

    /** A raw tree ({@code logfmt} pairs, OTLP attributes, a whole JSON parse) in normal form. */
    public static ObjectNode of(ObjectNode raw) {
        return of(raw, null);
    }

    private static ObjectNode of(ObjectNode raw, String ownName) {
        ObjectNode tree = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> member : raw.properties()) {
            String[] steps = Keys.steps(member.getKey());
            put(tree, steps, ownName, canonical(member.getValue(), steps[steps.length - 1]));
        }
        return tree;
    }

    /** A value in normal form: objects at any depth, and objects inside arrays. */
    public static JsonNode canonical(JsonNode value, String ownName) {
        if (value instanceof ObjectNode object) {
            return of(object, ownName);
        }
        if (value instanceof ArrayNode array) {
            ObjectNode pairs = pairs(array, ownName);
            if (pairs != null) {
                return pairs;
            }
            ArrayNode out = JsonNodeFactory.instance.arrayNode(array.size());
            for (JsonNode element : array) {
                out.add(canonical(element, ownName));
            }
            return out;
        }
        return value;
    }

    /**
     * An array of one-member objects with distinct names ({@code [{"model":"gpt-4o"},{"input_tokens":"120"}]}: SLF4J's
     * key/value pairs as logback's JsonEncoder writes its {@code kvpList}) as the one object of those members, in
     * normal form; null for any other array. One such object alone is a list of one record as well as of one pair,
     * and stays a list.
     */
    private static ObjectNode pairs(ArrayNode array, String ownName) {
        if (array.size() < 2) {
            return null;
        }
        for (JsonNode element : array) {
            if (!(element instanceof ObjectNode pair) || pair.size() != 1) {
                return null;
            }
        }
        java.util.Set<String> names = new java.util.HashSet<>();
        for (JsonNode element : array) {
            if (!names.add(element.propertyNames().iterator().next())) {
                return null;
            }
        }
        ObjectNode tree = JsonNodeFactory.instance.objectNode();
        for (JsonNode element : array) {
            Map.Entry<String, JsonNode> member = element.properties().iterator().next();
            String[] steps = Keys.steps(member.getKey());
            put(tree, steps, ownName, canonical(member.getValue(), steps[steps.length - 1]));
        }
        return tree;
    }

    /**
     * Puts a member whose name has these normal steps into {@code tree}, an object named {@code ownName} (null at the
     * top): the steps that repeat the object's name are left off, the rest are nested objects.
     */
    public static void put(ObjectNode tree, String[] steps, String ownName, JsonNode value) {
        int from = steps.length > 1 && ownName != null && steps[0].equals(ownName) ? 1 : 0;
        ObjectNode into = tree;
        for (int i = from; i < steps.length - 1; i++) {
            JsonNode inner = into.get(steps[i]);
            if (inner == null) {
                ObjectNode created = JsonNodeFactory.instance.objectNode();
                into.set(steps[i], created);
                into = created;
            } else if (inner instanceof ObjectNode object) {
                into = object;
            } else {
                // "a": 1 beside "a.b": 2: the path cannot nest, so the dotted name stays one key.
                putLeaf(into, String.join("", java.util.Arrays.copyOfRange(steps, i, steps.length)), value);
                return;
            }
        }
        putLeaf(into, steps[steps.length - 1], value);
    }

    /** Takes out what {@link #put} put at these steps (at the top: no object name to leave off). */
    public static void remove(ObjectNode tree, String[] steps) {
        JsonNode into = tree;
        for (int i = 0; i < steps.length - 1 && into != null; i++) {
            into = into.get(steps[i]);
        }
        if (into instanceof ObjectNode object) {
            object.remove(steps[steps.length - 1]);
        } else {
            tree.remove(String.join("", steps));
        }
    }

    private static void putLeaf(ObjectNode into, String key, JsonNode value) {
        JsonNode before = into.putIfAbsent(key, value);
        if (before == null) {
            return;
        } else if (before instanceof ObjectNode earlier && value instanceof ObjectNode later) {
            later.properties().forEach(member -> putLeaf(earlier, member.getKey(), member.getValue()));
        } else if (!before.equals(value)) {
            int n = 2;
            while (into.has(key + SECOND + n)) {
                n++;
            }
            into.set(key + SECOND + n, value);
        }
    }
}
