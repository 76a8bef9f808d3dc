package io.usagebackfill.normalize;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * The keys an event holds, as a reject's reason lists them so that its writer sees what the reader saw: each
 * member's path in normal form ({@code usage.intok=12}, numbers with their values; an object in a list as
 * {@code args[1].model}), the event's top first, at most
 * {@value #MAX} of them. Stateless.
 */
final class KeysSeen {

    static final int MAX = 16;

    private KeysSeen() {
    }

    static String of(List<JsonNode> scopes) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < scopes.size() && keys.size() <= MAX; i++) {
            collect(scopes.get(i), "", keys, 0);
        }
        if (keys.isEmpty()) {
            return "none";
        }
        return keys.size() > MAX ? String.join(", ", keys.subList(0, MAX)) + ", …" : String.join(", ", keys);
    }

    private static boolean holdsObject(JsonNode array) {
        for (JsonNode element : array) {
            if (element.isObject()) {
                return true;
            }
        }
        return false;
    }

    private static void collect(JsonNode object, String prefix, List<String> keys, int depth) {
        if (!object.isObject()) {
            return;
        }
        for (Map.Entry<String, JsonNode> member : object.properties()) {
            if (keys.size() > MAX) {
                return;
            }
            String path = prefix + member.getKey();
            JsonNode value = member.getValue();
            if (value.isObject() && depth < 3) {
                collect(value, path + ".", keys, depth + 1);
            } else if (value.isArray() && depth < 3 && holdsObject(value)) {
                // Data in a list (a logger's arguments) is not read: its paths show the writer where it sat.
                for (int i = 0; i < value.size() && keys.size() <= MAX; i++) {
                    if (value.get(i).isObject()) {
                        collect(value.get(i), path + "[" + i + "].", keys, depth + 1);
                    }
                }
            } else if (value.isNumber()) {
                keys.add(path + "=" + value);
            } else if (!keys.contains(path)) {
                keys.add(path);
            }
        }
    }
}
