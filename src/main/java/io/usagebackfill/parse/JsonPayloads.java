package io.usagebackfill.parse;

import io.usagebackfill.normalize.RejectedLineException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Parses JSON objects out of log lines. Floats are read as exact decimals, so a logged cost of 0.0000125 stays
 * exactly that. Thread-safe.
 */
final class JsonPayloads {

    /**
     * Longer numbers are refused by the parser itself, before it builds a BigDecimal of them: no count, cost or
     * time has more than a few dozen digits, and the normaliser bounds the exponent of the ones that pass.
     */
    static final int MAX_NUMBER_LENGTH = 100;

    private final JsonMapper mapper = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNumberLength(MAX_NUMBER_LENGTH).build())
                    .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** The object, or null when the text is valid JSON but not an object. */
    ObjectNode parseObject(String text) {
        JsonNode node;
        try {
            node = mapper.readTree(text);
        } catch (JacksonException e) {
            throw new RejectedLineException("the JSON payload cannot be parsed (truncated or malformed): "
                    + firstLine(e.getOriginalMessage()));
        } catch (NumberFormatException e) {
            // Jackson's own limit on a decimal's exponent (1e9999999999) is thrown past its exception type.
            throw new RejectedLineException("the JSON payload holds a number that cannot be read: "
                    + firstLine(e.getMessage()));
        }
        return node instanceof ObjectNode object ? object : null;
    }

    private static String firstLine(String message) {
        String text = message == null ? "unknown error" : message;
        int newline = text.indexOf('\n');
        String line = newline >= 0 ? text.substring(0, newline) : text;
        return line.length() > 160 ? line.substring(0, 157) + "..." : line;
    }
}
