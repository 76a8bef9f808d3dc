package io.usagebackfill.parse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * OpenTelemetry OTLP/JSON log export requests, one a line as the collector's file exporter writes them:
 * {@code {"resourceLogs":[{"resource":…,"scopeLogs":[{"scope":…,"logRecords":[…]}]}]}}. One line can hold many
 * records; {@link #split} makes each record that mentions {@code token_usage} a line of its own (an export request
 * with that one record, its resource and scope), so each is its own event with its own id and, if it is bad, its
 * own reject. Thread-safe.
 */
public final class OtlpRecords {

    static final String PREFIX = "{\"resourceLogs\"";
    private static final byte[] PREFIX_BYTES = PREFIX.getBytes(StandardCharsets.US_ASCII);
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private OtlpRecords() {
    }

    /** Whether the line is an OTLP/JSON export request, by its first bytes. */
    public static boolean isExport(byte[] line) {
        int start = line.length >= 3 && (line[0] & 0xFF) == 0xEF && (line[1] & 0xFF) == 0xBB
                && (line[2] & 0xFF) == 0xBF ? 3 : 0;
        byte[] prefix = PREFIX_BYTES;
        if (line.length - start < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (line[start + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The records of an export request that mention {@code token_usage}, each as a one-record export request; null
     * when the line is not a readable export request (it is then read as a line like any other).
     */
    public static List<byte[]> split(byte[] line) {
        if (!isExport(line)) {
            return null;
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(new String(line, StandardCharsets.UTF_8).strip());
        } catch (JacksonException e) {
            return null;
        }
        List<byte[]> records = new ArrayList<>();
        for (JsonNode resourceLogs : root.path("resourceLogs")) {
            for (JsonNode scopeLogs : resourceLogs.path("scopeLogs")) {
                for (JsonNode record : scopeLogs.path("logRecords")) {
                    if (record.toString().toLowerCase(Locale.ROOT).contains(EventName.TOKEN_USAGE)) {
                        records.add(single(resourceLogs, scopeLogs, record).toString()
                                .getBytes(StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return records;
    }

    private static ObjectNode single(JsonNode resourceLogs, JsonNode scopeLogs, JsonNode record) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode scope = nodes.objectNode();
        if (scopeLogs.has("scope")) {
            scope.set("scope", scopeLogs.get("scope"));
        }
        scope.set("logRecords", nodes.arrayNode().add(record));
        ObjectNode resource = nodes.objectNode();
        if (resourceLogs.has("resource")) {
            resource.set("resource", resourceLogs.get("resource"));
        }
        resource.set("scopeLogs", nodes.arrayNode().add(scope));
        ObjectNode export = nodes.objectNode();
        export.set("resourceLogs", nodes.arrayNode().add(resource));
        return export;
    }

    /**
     * The fields of the first record of an export request, flat: resource, then scope, then the record's own
     * attributes (a later one wins), its {@code body} (text, or the keys of a map body), {@code eventName},
     * {@code timeUnixNano} and {@code observedTimeUnixNano}; null when it holds no record.
     */
    static ObjectNode firstRecordFields(JsonNode export) {
        for (JsonNode resourceLogs : export.path("resourceLogs")) {
            for (JsonNode scopeLogs : resourceLogs.path("scopeLogs")) {
                for (JsonNode record : scopeLogs.path("logRecords")) {
                    ObjectNode fields = JsonNodeFactory.instance.objectNode();
                    putAttributes(fields, resourceLogs.path("resource").path("attributes"));
                    putAttributes(fields, scopeLogs.path("scope").path("attributes"));
                    putAttributes(fields, record.path("attributes"));
                    JsonNode body = value(record.path("body"));
                    if (body != null && body.isObject()) {
                        fields.setAll((ObjectNode) body);
                    } else if (body != null) {
                        fields.set("body", body);
                    }
                    for (String key : List.of("eventName", "timeUnixNano", "observedTimeUnixNano")) {
                        JsonNode value = record.get(key);
                        if (value != null && !value.isNull() && !value.asString().equals("0")
                                && !value.asString().isEmpty()) {
                            fields.set(key, value);
                        }
                    }
                    return fields;
                }
            }
        }
        return null;
    }

    private static void putAttributes(ObjectNode fields, JsonNode attributes) {
        for (JsonNode attribute : attributes) {
            JsonNode key = attribute.get("key");
            JsonNode value = value(attribute.path("value"));
            if (key != null && key.isString() && value != null) {
                fields.set(key.stringValue(), value);
            }
        }
    }

    /** An OTLP AnyValue as plain JSON: intValue (a string in OTLP/JSON) as a number text, maps as objects. */
    private static JsonNode value(JsonNode any) {
        if (any.has("stringValue")) {
            return any.get("stringValue");
        }
        if (any.has("intValue")) {
            return any.get("intValue");
        }
        if (any.has("doubleValue")) {
            return any.get("doubleValue");
        }
        if (any.has("boolValue")) {
            return any.get("boolValue");
        }
        if (any.has("kvlistValue")) {
            ObjectNode map = JsonNodeFactory.instance.objectNode();
            putAttributes(map, any.get("kvlistValue").path("values"));
            return map;
        }
        if (any.has("arrayValue")) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            any.get("arrayValue").path("values").forEach(v -> {
                JsonNode plain = value(v);
                array.add(plain == null ? JsonNodeFactory.instance.nullNode() : plain);
            });
            return array;
        }
        return null;
    }
}
