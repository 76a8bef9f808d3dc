package io.usagebackfill.catalog;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * Looks an event's values up where a {@link FieldCatalog} says they may be: each field's paths in order, first in
 * the event itself and then in the objects that wrap it (the catalog's {@code envelope}, as winston's
 * {@code @fields}). Immutable and thread-safe.
 */
public final class Fields {

    private final FieldCatalog catalog;

    public Fields(FieldCatalog catalog) {
        this.catalog = catalog;
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
        List<FieldPath> paths = catalog.paths(field);
        for (int i = 0; i < paths.size(); i++) {
            FieldPath path = paths.get(i);
            FieldPath.Hit hit = path.find(object);
            if (hit != null) {
                return new Found(path.name(), hit.value(), path, hit.holder());
            }
        }
        return null;
    }

    /**
     * The first of {@code field}'s paths whose field is absent from {@code object} while one of its addends is there
     * ({@link FieldPath#holderOfAddendsOnly}), as a count of 0 with those addends beside it; or null.
     */
    public Found firstAddendsOnlyIn(JsonNode object, String field) {
        List<FieldPath> paths = catalog.paths(field);
        for (int i = 0; i < paths.size(); i++) {
            FieldPath path = paths.get(i);
            JsonNode holder = path.holderOfAddendsOnly(object);
            if (holder != null) {
                return new Found(path.name(), tools.jackson.databind.node.IntNode.valueOf(0), path, holder);
            }
        }
        return null;
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
