package io.usagebackfill.parse;

import java.util.Set;

import io.usagebackfill.catalog.FieldCatalog;
import io.usagebackfill.catalog.RejectedLineException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Parses JSON objects out of log lines. Floats are read as exact decimals, so a logged cost of 0.0000125 stays
 * exactly that. An event's payload is parsed as a stream that keeps only the members whose names a field catalog
 * can look up ({@link #parseEvent}): the others (a request's url, pid, hostname, …) are tokenised, so malformed JSON
 * is still found, but never become nodes. Thread-safe.
 */
final class JsonPayloads {

    /**
     * Longer numbers are refused by the parser itself, before it builds a BigDecimal of them: no count, cost or
     * time has more than a few dozen digits, and the normaliser bounds the exponent of the ones that pass.
     */
    static final int MAX_NUMBER_LENGTH = 100;

    /** Every key a catalog lookup may ask an event object for; null: keep every member. */
    private final Set<String> lookedUp;

    JsonPayloads() {
        this(null);
    }

    /** @param catalog the catalog whose lookups {@link #parseEvent} keeps what they need for */
    JsonPayloads(FieldCatalog catalog) {
        this.lookedUp = catalog == null ? null : Set.copyOf(catalog.keysLookedUp());
    }

    private final JsonMapper mapper = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNumberLength(MAX_NUMBER_LENGTH).build())
                    .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    /** The same, for an object or array inside a payload streamed by {@link #parseEvent}: more tokens follow it. */
    private final JsonMapper nested = mapper.rebuild().disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    /** The object, or null when the text is valid JSON but not an object. */
    ObjectNode parseObject(String text) {
        JsonNode node;
        try {
            node = mapper.readTree(text);
        } catch (JacksonException e) {
            throw unparsable(e);
        } catch (NumberFormatException e) {
            throw unreadableNumber(e);
        }
        return node instanceof ObjectNode object ? object : null;
    }

    /**
     * An event's payload as {@link #parseObject} reads it, but with only the top-level members whose names a catalog
     * lookup may ask for; each of those is kept whole. Every lookup reads the same values from it as from the whole
     * tree, and reasons quote them alike.
     */
    ObjectNode parseEvent(String text) {
        if (lookedUp == null) {
            return parseObject(text);
        }
        try (JsonParser parser = mapper.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return parseObject(text);
            }
            ObjectNode event = mapper.createObjectNode();
            for (String name = parser.nextName(); name != null; name = parser.nextName()) {
                JsonToken token = parser.nextToken();
                if (lookedUp.contains(name)) {
                    event.set(name, value(parser, token));
                } else {
                    parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                // What FAIL_ON_TRAILING_TOKENS says of a whole parse, so both reject alike.
                return parseObject(text);
            }
            return event;
        } catch (JacksonException | NumberFormatException e) {
            // Rejected as the whole parse rejects it, in the same words: skipping a value words some errors apart.
            return parseObject(text);
        }
    }

    /** The value at {@code token}, as the tree would hold it. */
    private JsonNode value(JsonParser parser, JsonToken token) {
        JsonNodeFactory nodes = mapper.getNodeFactory();
        return switch (token) {
            case VALUE_STRING -> nodes.stringNode(parser.getString());
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> nodes.numberNode(parser.getIntValue());
                case LONG -> nodes.numberNode(parser.getLongValue());
                default -> nodes.numberNode(parser.getBigIntegerValue());
            };
            case VALUE_TRUE -> nodes.booleanNode(true);
            case VALUE_FALSE -> nodes.booleanNode(false);
            case VALUE_NULL -> nodes.nullNode();
            default -> nested.readTree(parser);
        };
    }

    private static RejectedLineException unparsable(JacksonException e) {
        return new RejectedLineException("the JSON payload cannot be parsed (truncated or malformed): "
                + firstLine(e.getOriginalMessage()));
    }

    private static RejectedLineException unreadableNumber(NumberFormatException e) {
        // Jackson's own limit on a decimal's exponent (1e9999999999) is thrown past its exception type.
        return new RejectedLineException("the JSON payload holds a number that cannot be read: "
                + firstLine(e.getMessage()));
    }

    private static String firstLine(String message) {
        String text = message == null ? "unknown error" : message;
        int newline = text.indexOf('\n');
        String line = newline >= 0 ? text.substring(0, newline) : text;
        return line.length() > 160 ? line.substring(0, 157) + "..." : line;
    }
}
