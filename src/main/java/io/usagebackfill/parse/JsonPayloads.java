package io.usagebackfill.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.usagebackfill.catalog.CanonicalTree;
import io.usagebackfill.catalog.CountNames;
import io.usagebackfill.catalog.FieldCatalog;
import io.usagebackfill.catalog.FieldPath;
import io.usagebackfill.catalog.Keys;
import io.usagebackfill.catalog.RejectedLineException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.TokenStreamFactory;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.JsonRecyclerPools;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
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

    /** Every normal key a catalog lookup may ask an event's top for; null: keep every member. */
    private final Set<String> lookedUp;
    private final CountNames countNames;
    /** The catalog's time names of more than one letter, in normal form. */
    private final List<String> timeNames;
    private final JsonNodeFactory nodes = JsonNodeFactory.instance;

    JsonPayloads() {
        this(null);
    }

    /** @param catalog the catalog whose lookups {@link #parseEvent} keeps what they need for */
    JsonPayloads(FieldCatalog catalog) {
        this.lookedUp = catalog == null ? null : Set.copyOf(catalog.keysLookedUp());
        this.countNames = (catalog == null ? FieldCatalog.builtIn() : catalog).countNames();
        this.timeNames = catalog == null ? List.of() : catalog.paths("time").stream().map(FieldPath::steps)
                .filter(steps -> steps.size() == 1 && steps.get(0).length() > 1).map(steps -> steps.get(0)).toList();
    }

    /**
     * Each parse thread keeps its own buffers (a shared pool's queue was a few percent of an event), and the mapper
     * is only asked for trees: {@link #parseEvent} streams the event with the factory's own parser.
     */
    private final JsonMapper mapper = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNumberLength(MAX_NUMBER_LENGTH).build())
                    .recyclerPool(JsonRecyclerPools.threadLocalPool())
                    .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    /** The same, for an object or array inside a payload streamed by {@link #parseEvent}: more tokens follow it. */
    private final JsonMapper nested = mapper.rebuild().disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    private final TokenStreamFactory factory = mapper.tokenStreamFactory();
    /** Whether a tree holds a decimal without its trailing zeros, as {@link #decimal} must then give it. */
    private final boolean stripZeros = mapper.deserializationConfig()
            .isEnabled(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES);

    /** The object, or null when the text is valid JSON but not an object. */
    ObjectNode parseObject(String text) {
        return readTree(text) instanceof ObjectNode object ? object : null;
    }

    /** The whole text as one JSON value; the reject says why when it is none. */
    private JsonNode readTree(String text) {
        try {
            return mapper.readTree(text);
        } catch (JacksonException e) {
            throw unparsable(e);
        } catch (NumberFormatException e) {
            throw unreadableNumber(e);
        }
    }

    /**
     * An event's payload as {@link #parseObject} reads it, in normal form ({@link CanonicalTree}), but at its top
     * only the members a lookup may need: a name the catalog looks up, a token count by its rule, an object or array
     * (usage data or a record inside), and a text that may be a line inside the line; each of those is kept whole.
     * Every lookup reads the same values from it as from the whole tree, and reasons quote them alike.
     */
    ObjectNode parseEvent(String text) {
        // The factory's parser, not the mapper's: the mapper's makes a deserialization context for every line.
        try (JsonParser parser = factory.createParser(ObjectReadContext.empty(), text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return wholeEvent(text);
            }
            ObjectNode event = nodes.objectNode();
            List<String> dotted = null;
            for (String name = parser.nextName(); name != null; name = parser.nextName()) {
                JsonToken token = parser.nextToken();
                Member member = member(name);
                String[] steps = member.steps();
                if (steps.length == 1 ? event.has(steps[0]) : dotted != null && dotted.contains(name)) {
                    // A name logged twice (its last value counts, as JSON.parse means it), or two spellings of one
                    // key: rare enough to read the whole line for, as CanonicalTree keeps them.
                    return prunedWhole(text);
                }
                if (steps.length > 1) {
                    dotted = dotted == null ? new ArrayList<>(4) : dotted;
                    dotted.add(name);
                }
                if (kept(member, token, parser)) {
                    CanonicalTree.put(event, steps, null, value(parser, token, steps[steps.length - 1]));
                } else {
                    parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                // What FAIL_ON_TRAILING_TOKENS says of a whole parse, so both reject alike.
                return wholeEvent(text);
            }
            return event;
        } catch (JacksonException | NumberFormatException e) {
            // Rejected as the whole parse rejects it, in the same words: skipping a value words some errors apart.
            return wholeEvent(text);
        }
    }

    /** The whole parse in normal form, with only the members {@link #parseEvent} keeps at its top. */
    private ObjectNode prunedWhole(String text) {
        ObjectNode event = wholeEvent(text);
        if (event != null && lookedUp != null) {
            event.propertyNames().stream().filter(key -> !keptByName(key.split(CanonicalTree.SECOND)[0])
                    && !event.get(key).isContainer() && !(event.get(key).isNumber() && timeLike(key))
                    && !(event.get(key).isString()
                    && EventRecognizer.mayBeLine(event.get(key).stringValue()))).toList().forEach(event::remove);
        }
        return event;
    }

    private ObjectNode wholeEvent(String text) {
        ObjectNode object = parseObject(text);
        return object == null ? null : CanonicalTree.of(object);
    }

    /** A JSON array line ({@code ["token_usage", {…}]}, a shipper's {@code [time, {record}]}) in normal form. */
    ArrayNode parseArray(String text) {
        return readTree(text) instanceof ArrayNode array ? (ArrayNode) CanonicalTree.canonical(array, null) : null;
    }

    /** Pairs whose values are written as JSON ({@code usage={"input_tokens":12}}) as the objects and arrays they are. */
    ObjectNode withJsonValues(ObjectNode pairs) {
        for (String key : List.copyOf(pairs.propertyNames())) {
            String value = pairs.get(key).isString() ? pairs.get(key).stringValue() : null;
            if (value != null && (value.startsWith("{") || value.startsWith("["))) {
                try {
                    JsonNode parsed = value.startsWith("{") ? parseEvent(value) : parseArray(value);
                    if (parsed != null) {
                        pairs.set(key, parsed);
                    }
                } catch (RejectedLineException notJson) {
                    // a value in braces that is no JSON stays the text it is
                }
            }
        }
        return pairs;
    }

    /** Whether a member of an event's top may be looked up. */
    private boolean kept(Member member, JsonToken token, JsonParser parser) {
        if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY || member.keptByName()
                || (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) && member.timeLike()) {
            return true;
        }
        return token == JsonToken.VALUE_STRING && mayBeLine(parser);
    }

    /**
     * What {@link #parseEvent} needs to know of a member's name: its normal steps, whether the first is kept by name,
     * and whether it is a time's name with a unit after it. A log names a few dozen keys over millions of lines.
     */
    private record Member(String name, String[] steps, boolean keptByName, boolean timeLike) {
    }

    /**
     * The names met last, by identity: a JSON parser hands out one String a name (its symbol table's), so a probe
     * here is cheaper than the name's tests. Entries are immutable; a race between threads only loses an entry.
     */
    private final Member[] members = new Member[512];

    private Member member(String name) {
        int slot = System.identityHashCode(name) & (members.length - 1);
        Member known = members[slot];
        if (known != null && known.name() == name) {
            return known;
        }
        String[] steps = Keys.steps(name);
        Member member = new Member(name, steps, keptByName(steps[0]), timeLike(steps[0]));
        members[slot] = member;
        return member;
    }

    /** A number under a time's name with a unit or a split after it ({@code tsSeconds}, {@code timestampMs}). */
    private boolean timeLike(String key) {
        for (int i = 0; i < timeNames.size(); i++) {
            if (key.startsWith(timeNames.get(i))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a member of an event's top is kept whatever its value: a name the catalog looks up, a count by its rule,
     * or a name like a token count's (a reject names it when counts do not add up). Objects, arrays, and texts that
     * name the event are kept too.
     */
    boolean keptByName(String key) {
        return lookedUp == null || lookedUp.contains(key) || countNames.role(key, false) != CountNames.Role.NONE
                || key.contains("token") || key.endsWith("count");
    }

    /** Whether the text at the parser names the event somewhere, and so may be a line that holds it. */
    private static boolean mayBeLine(JsonParser parser) {
        char[] chars = parser.getStringCharacters();
        int from = parser.getStringOffset();
        int to = from + parser.getStringLength();
        for (int i = from; i + WORD.length <= to; i++) {
            if ((chars[i] | 0x20) == 't' && matches(chars, i)) {
                return true;
            }
        }
        return false;
    }

    private static final char[] WORD = "token_usage".toCharArray();

    private static boolean matches(char[] chars, int at) {
        for (int j = 1; j < WORD.length; j++) {
            char c = chars[at + j];
            if (c != WORD[j] && (c | 0x20) != WORD[j]) {
                return false;
            }
        }
        return true;
    }

    /** The value at {@code token}, as the tree would hold it, in normal form. */
    private JsonNode value(JsonParser parser, JsonToken token, String ownName) {
        return switch (token) {
            case VALUE_STRING -> nodes.stringNode(parser.getString());
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> nodes.numberNode(parser.getIntValue());
                case LONG -> nodes.numberNode(parser.getLongValue());
                default -> nodes.numberNode(parser.getBigIntegerValue());
            };
            // As the tree reads a float (USE_BIG_DECIMAL_FOR_FLOATS), without a deserialization context for each.
            case VALUE_NUMBER_FLOAT -> parser.isNaN() ? CanonicalTree.canonical(nested.readTree(parser), ownName)
                    : nodes.numberNode(decimal(parser));
            case VALUE_TRUE -> nodes.booleanNode(true);
            case VALUE_FALSE -> nodes.booleanNode(false);
            case VALUE_NULL -> nodes.nullNode();
            default -> CanonicalTree.canonical(nested.readTree(parser), ownName);
        };
    }

    private java.math.BigDecimal decimal(JsonParser parser) {
        java.math.BigDecimal number = parser.getDecimalValue();
        if (!stripZeros) {
            return number;
        }
        try {
            return number.stripTrailingZeros();
        } catch (ArithmeticException tooSmall) {
            return number;
        }
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
        // Where the parser stood is no help to a reader of the reason: the reason's line number names the line.
        int marker = line.indexOf(" (start marker at [Source");
        line = marker >= 0 ? line.substring(0, marker) : line;
        return line.length() > 160 ? line.substring(0, 157) + "..." : line;
    }
}
