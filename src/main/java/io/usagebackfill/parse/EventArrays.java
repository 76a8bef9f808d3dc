package io.usagebackfill.parse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Lines that hold several events: an OpenTelemetry export request ({@link OtlpRecords}), or any JSON object with an
 * array of records of which more than one names {@code token_usage} (a CloudWatch Logs subscription's
 * {@code DATA_MESSAGE} with its {@code logEvents}, a batch a shipper wrote as one line). Each such record becomes a
 * line of its own: the object with the array holding that record alone, so the record keeps what is around it (its
 * log group, the batch's time) and gets an id of its own. Thread-safe.
 */
public final class EventArrays {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final byte[] WORD = EventName.TOKEN_USAGE.getBytes(StandardCharsets.US_ASCII);

    private EventArrays() {
    }

    /** The line's records, each as a line; null when the line is one event or none, as it is. */
    public static List<byte[]> split(byte[] line) {
        List<byte[]> otlp = OtlpRecords.split(line);
        if (otlp != null || OtlpRecords.isExport(line)) {
            return otlp;
        }
        if (line.length == 0 || firstNonBlank(line) != '{' || !holdsArray(line) || mentions(line) < 2) {
            return null;
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(new String(line, StandardCharsets.UTF_8).strip());
        } catch (JacksonException e) {
            return null;
        }
        if (!(root instanceof ObjectNode object)) {
            return null;
        }
        List<byte[]> records = split(object, object, 0);
        return records == null || records.size() < 2 ? null : records;
    }

    /** The records of the first array in {@code object} (or an object inside it) that holds more than one event. */
    private static List<byte[]> split(ObjectNode root, ObjectNode object, int depth) {
        for (Map.Entry<String, JsonNode> member : object.properties()) {
            if (member.getValue() instanceof ArrayNode array) {
                List<JsonNode> naming = new ArrayList<>();
                for (JsonNode element : array) {
                    if (element.isContainer() && element.toString().toLowerCase(Locale.ROOT)
                            .contains(EventName.TOKEN_USAGE)) {
                        naming.add(element);
                    }
                }
                if (naming.size() > 1) {
                    List<byte[]> records = new ArrayList<>();
                    for (JsonNode element : naming) {
                        object.set(member.getKey(), MAPPER.createArrayNode().add(element));
                        records.add(root.toString().getBytes(StandardCharsets.UTF_8));
                    }
                    object.set(member.getKey(), array);
                    return records;
                }
            } else if (member.getValue() instanceof ObjectNode inner && depth < 2) {
                List<byte[]> records = split(root, inner, depth + 1);
                if (records != null) {
                    return records;
                }
            }
        }
        return null;
    }

    /** Whether the line has an opening bracket at all: without an array there is nothing to split. */
    private static boolean holdsArray(byte[] line) {
        for (byte b : line) {
            if (b == '[') {
                return true;
            }
        }
        return false;
    }

    private static int firstNonBlank(byte[] line) {
        for (byte b : line) {
            if (b != ' ' && b != '\t') {
                return b;
            }
        }
        return -1;
    }

    /** How often the word occurs, in any letter case, up to 2. */
    private static int mentions(byte[] line) {
        int found = 0;
        for (int i = 0; i + WORD.length <= line.length && found < 2; i++) {
            if ((line[i] | 0x20) == 't' && matches(line, i)) {
                found++;
                i += WORD.length - 1;
            }
        }
        return found;
    }

    private static boolean matches(byte[] line, int at) {
        for (int j = 1; j < WORD.length; j++) {
            int b = line[at + j];
            if (b != WORD[j] && (b | 0x20) != WORD[j]) {
                return false;
            }
        }
        return true;
    }
}
