package io.usagebackfill.catalog;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.DecimalNode;

/**
 * Looks an event's values up where a {@link FieldCatalog} says they may be: each field's paths in order, first in
 * the event itself and then in the objects that wrap it (the catalog's {@code envelope}, as winston's
 * {@code @fields}). Immutable and thread-safe.
 */
public final class Fields {

    private final FieldCatalog catalog;

    /** A time name and a seconds name joined ({@code tsseconds}), to the time name. */
    private final Map<String, String> splitSeconds = new HashMap<>();
    /** A time name and a unit joined ({@code timestampms}), to the time name. */
    private final Map<String, String> withUnit = new HashMap<>();
    private static final List<String> UNITS = List.of("ms", "millis", "milliseconds", "us", "micros", "ns", "nanos",
            "unixms", "unixnano", "unixnanos", "epoch", "epochms", "unix");

    public Fields(FieldCatalog catalog) {
        this.catalog = catalog;
        for (FieldPath time : catalog.paths("time")) {
            if (time.steps().size() == 1) {
                for (FieldPath seconds : catalog.paths("time_seconds")) {
                    splitSeconds.putIfAbsent(time.steps().get(0) + String.join("", seconds.steps()),
                            time.steps().get(0));
                }
                for (String unit : UNITS) {
                    withUnit.putIfAbsent(time.steps().get(0) + unit, time.steps().get(0));
                }
            }
        }
    }

    public FieldCatalog catalog() {
        return catalog;
    }

    /**
     * The first of {@code field}'s paths present with a non-null value in an event's {@link #scopes} (found once
     * for all of its fields), or null when none is.
     */
    public Found first(List<JsonNode> scopes, String field) {
        // Indexed loops here and below: an iterator per lookup was a tenth of the parse's allocation.
        for (int i = 0; i < scopes.size(); i++) {
            Found found = firstIn(scopes.get(i), field);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** The first of {@code field}'s paths present in {@code object} itself (no envelopes), or null. */
    public Found firstIn(JsonNode object, String field) {
        return firstIn(object, catalog.paths(field));
    }

    /** The first of these paths present in {@code object}, or null. */
    public static Found firstIn(JsonNode object, List<FieldPath> paths) {
        for (int i = 0; i < paths.size(); i++) {
            Found found = paths.get(i).found(object);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /**
     * The first of {@code field}'s paths whose field is absent from {@code object} while one of its addends is there
     * ({@link FieldPath#holderOfAddendsOnly}), as a count of 0 with those addends beside it; or null.
     */
    public Found firstAddendsOnlyIn(JsonNode object, String field) {
        return firstAddendsOnlyIn(object, catalog.paths(field));
    }

    /** As {@link #firstAddendsOnlyIn(JsonNode, String)}, for these paths. */
    public static Found firstAddendsOnlyIn(JsonNode object, List<FieldPath> paths) {
        for (int i = 0; i < paths.size(); i++) {
            FieldPath path = paths.get(i);
            JsonNode holder = path.holderOfAddendsOnly(object);
            if (holder != null) {
                return new Found(path.name(), tools.jackson.databind.node.IntNode.valueOf(0), path, holder);
            }
        }
        return null;
    }

    /**
     * The event's own time: the first of the catalog's time paths present, read whole when it is an object of
     * seconds and nanoseconds ({@code instant: {epochSecond, nanoOfSecond}}); else a time name's seconds and
     * nanoseconds side by side ({@code ts_seconds}, {@code ts_nanos}). A split time is given as one decimal of epoch
     * seconds. A {@code date} that holds no time (a calendar date) is no time. Null when there is none.
     */
    public Found time(List<JsonNode> scopes) {
        for (int i = 0; i < scopes.size(); i++) {
            Found found = timeIn(scopes.get(i), true);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /**
     * @param nested whether a time path holding an object is looked into ({@code "time": {"repr": …, "timestamp":
     *     1796639750.32}}, as loguru writes it), once
     */
    private Found timeIn(JsonNode scope, boolean nested) {
        List<FieldPath> paths = catalog.paths("time");
        for (int p = 0; p < paths.size(); p++) {
            FieldPath path = paths.get(p);
            FieldPath.Hit hit = path.find(scope);
            if (hit == null) {
                continue;
            }
            JsonNode value = hit.value();
            if (value.isObject()) {
                BigDecimal split = split(value, "");
                if (split != null) {
                    return new Found(path.name(), DecimalNode.valueOf(split), path, hit.holder());
                }
                Found inside = nested ? timeIn(value, false) : null;
                if (inside != null) {
                    return new Found(path.name() + "." + inside.name(), inside.value(), inside.path(),
                            inside.holder());
                }
                continue;
            }
            if (path.name().equals("date") && !(value.isNumber() || value.isString()
                    && EventTime.parseText(value.stringValue()) != null)) {
                continue;
            }
            return new Found(path.name(), value, path, hit.holder());
        }
        return scope.isObject() ? bySuffix(scope) : null;
    }

    /**
     * A time name with a unit or a split after it: {@code timestampMs}, {@code time_unix_nano}, or seconds beside
     * nanoseconds ({@code ts_seconds}, {@code ts_nanos}).
     */
    private Found bySuffix(JsonNode scope) {
        for (String key : scope.propertyNames()) {
            String prefix = splitSeconds.get(key);
            BigDecimal split = prefix == null ? null : split(scope, prefix);
            if (split != null) {
                return new Found(prefix + " (seconds and nanoseconds)", DecimalNode.valueOf(split), null, scope);
            }
            String unit = withUnit.get(key);
            JsonNode value = unit == null ? null : scope.get(key);
            if (value != null && (value.isNumber() || value.isString())) {
                return new Found(key, value, null, scope);
            }
        }
        return null;
    }

    /** Epoch seconds from {@code prefix}+seconds and {@code prefix}+nanoseconds members of {@code object}, or null. */
    private BigDecimal split(JsonNode object, String prefix) {
        BigDecimal seconds = null;
        for (FieldPath name : catalog.paths("time_seconds")) {
            seconds = number(object, prefix + String.join("", name.steps()));
            if (seconds != null) {
                break;
            }
        }
        if (seconds == null) {
            return null;
        }
        for (FieldPath name : catalog.paths("time_nanos")) {
            BigDecimal nanos = number(object, prefix + String.join("", name.steps()));
            if (nanos != null) {
                return nanos.signum() < 0 || nanos.compareTo(BigDecimal.valueOf(999_999_999)) > 0 ? null
                        : seconds.add(nanos.movePointLeft(9));
            }
        }
        return seconds;
    }

    private static BigDecimal number(JsonNode object, String key) {
        JsonNode value = object.get(key);
        return value == null || value.isNull() ? null : Numbers.decimal(key, value);
    }

    /** The event, then each envelope object found in it. */
    public List<JsonNode> scopes(JsonNode event) {
        List<JsonNode> scopes = new ArrayList<>(2);
        scopes.add(event);
        for (FieldPath path : catalog.paths("envelope")) {
            FieldPath.Hit hit = path.find(event);
            if (hit != null && hit.value().isObject()) {
                scopes.add(hit.value());
            }
        }
        return scopes;
    }

    /**
     * A field found: {@code name} is the path that found it, as error messages name it; {@code path} and
     * {@code holder} (the object holding it) let a caller read the fields the path adds.
     */
    public record Found(String name, JsonNode value, FieldPath path, JsonNode holder) {

        public Found(String name, JsonNode value) {
            this(name, value, null, null);
        }
    }
}
