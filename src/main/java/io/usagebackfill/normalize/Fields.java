package io.usagebackfill.normalize;

import java.util.List;

import tools.jackson.databind.JsonNode;

/** Looks fields up by their aliases. Stateless and thread-safe. */
final class Fields {

    private Fields() {
    }

    /** The first alias present with a non-null value, or null when none is. */
    static Found first(JsonNode object, List<String> aliases) {
        for (String alias : aliases) {
            JsonNode value = object.get(alias);
            if (value != null && !value.isNull()) {
                return new Found(alias, value);
            }
        }
        return null;
    }

    /** The first nested object among {@code nests} that exists, or null. */
    static JsonNode firstObject(JsonNode object, List<String> nests) {
        for (String nest : nests) {
            JsonNode value = object.get(nest);
            if (value != null && value.isObject()) {
                return value;
            }
        }
        return null;
    }

    /** A field found under one of its aliases; {@code name} is what the log called it, for error messages. */
    record Found(String name, JsonNode value) {
    }
}
