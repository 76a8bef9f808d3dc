package io.usagebackfill.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.usagebackfill.catalog.Keys;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The leaves of a line's JSON as logged, for {@code explain}: each path in normal form (as reasons name it,
 * {@code usage.inputtokencount}, {@code results[0].tokencount}) to the path as written ({@code usage.InputTokenCount},
 * {@code results.0.tokenCount}), which a {@code --fields} line names. Stateless.
 */
final class RawKeys {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private RawKeys() {
    }

    /** The line's JSON object (from its first brace) as paths; empty when it holds none that parses. */
    static Map<String, String> of(String line) {
        Map<String, String> paths = new LinkedHashMap<>();
        int brace = line.indexOf('{');
        if (brace < 0) {
            return paths;
        }
        try {
            collect(JSON.readTree(line.substring(brace)), "", "", paths, 0);
        } catch (JacksonException notJson) {
            return paths;
        }
        return paths;
    }

    private static void collect(JsonNode node, String normal, String raw, Map<String, String> into, int depth) {
        if (depth > 5) {
            return;
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> member : node.properties()) {
                String steps = String.join(".", List.of(Keys.steps(member.getKey())));
                collect(member.getValue(), normal.isEmpty() ? steps : normal + "." + steps,
                        raw.isEmpty() ? member.getKey() : raw + "." + member.getKey(), into, depth + 1);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size() && i < 4; i++) {
                collect(node.get(i), normal + "[" + i + "]", raw + "." + i, into, depth + 1);
            }
        } else if (node.isNumber() || node.isString() && !raw.isEmpty()) {
            into.putIfAbsent(normal, raw);
        }
    }
}
