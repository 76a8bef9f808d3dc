package io.usagebackfill.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where every value of a row is looked for: for each field (the row's columns, the event's name, the objects that
 * wrap an event or hold its counts) the paths tried in order, matched in normal form ({@link Keys}); and the token
 * counts' stems and suffixes ({@link CountNames}). The built-in catalog is the resource
 * {@code fields.catalog} beside this class, the one documented source of every alias; {@code --fields FILE}
 * replaces or extends fields of it in the same form, and {@code fields --print} writes it. Immutable and
 * thread-safe.
 */
public final class FieldCatalog {

    /** Every field a catalog may set, in the order {@code fields --print} writes them. */
    public static final List<String> FIELDS = List.of("event", "event_suffixes", "level", "envelope", "usage", "token_suffixes",
            "prompt_stems", "completion_stems", "total_stems", "prompt_extra_stems", "prompt_detail_stems",
            "completion_extra_stems", "completion_detail_stems", "prompt_tokens", "completion_tokens", "total_tokens",
            "model", "provider", "user_id", "session_id", "cost_micros", "cost_usd", "time", "time_seconds",
            "time_nanos");

    private static final String RESOURCE = "fields.catalog";

    private final String text;
    private final Map<String, List<FieldPath>> paths;
    private final CountNames countNames;

    private FieldCatalog(String text, Map<String, List<FieldPath>> paths) {
        this.text = text;
        this.paths = paths;
        this.countNames = new CountNames(this);
    }

    /** The token counts' stems and suffixes, as a rule. */
    public CountNames countNames() {
        return countNames;
    }

    public static FieldCatalog builtIn() {
        return Holder.BUILT_IN;
    }

    /**
     * The built-in catalog with {@code file} laid over it.
     *
     * @throws IllegalArgumentException naming the file and line when a line cannot be read
     * @throws IOException when the file cannot be read
     */
    public static FieldCatalog withFile(Path file) throws IOException {
        return builtIn().overlaid(Files.readString(file, StandardCharsets.UTF_8), "--fields " + file);
    }

    /** This catalog with the lines of {@code text} applied: {@code =} replaces a field's paths, {@code +=} adds first. */
    FieldCatalog overlaid(String overlay, String source) {
        Map<String, List<FieldPath>> merged = new LinkedHashMap<>(paths);
        Map<String, Integer> setOn = new HashMap<>();
        String[] lines = overlay.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            boolean prepend = eq > 0 && line.charAt(eq - 1) == '+';
            String field = eq < 0 ? "" : line.substring(0, prepend ? eq - 1 : eq).strip();
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException(source + " line " + (i + 1) + " is \"" + line + "\"; write"
                        + " \"field = path, path\" with field one of " + String.join(", ", FIELDS));
            }
            List<FieldPath> parsed = new ArrayList<>();
            try {
                for (String entry : line.substring(eq + 1).split(",")) {
                    if (!entry.isBlank()) {
                        parsed.add(FieldPath.parse(entry));
                    }
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + " line " + (i + 1) + ": " + e.getMessage(), e);
            }
            if (parsed.isEmpty()) {
                throw new IllegalArgumentException(source + " line " + (i + 1) + " gives " + field + " no path;"
                        + " name at least one, or leave the line out to keep the built-in ones");
            }
            Integer before = setOn.putIfAbsent(field, i + 1);
            if (before != null) {
                throw new IllegalArgumentException(source + " line " + (i + 1) + " sets " + field + " again (line "
                        + before + " did); keep one line for it");
            }
            if (prepend) {
                parsed.addAll(merged.getOrDefault(field, List.of()));
            }
            // Keyed by the constant in FIELDS: every lookup passes that same string, so the map's probe ends on ==.
            merged.put(FIELDS.get(FIELDS.indexOf(field)), List.copyOf(parsed));
        }
        // A HashMap, not Map.copyOf: every event asks it for a dozen fields' paths, and its probe is the faster.
        return new FieldCatalog(text.isEmpty() ? overlay : text, new HashMap<>(merged));
    }

    /** The paths of {@code field}, in the order they are tried; empty when the catalog sets none. */
    public List<FieldPath> paths(String field) {
        return paths.getOrDefault(field, List.of());
    }

    /**
     * Every normal key a lookup of any field may ask an event's top for: each path's first step, and the fields
     * added beside a found one.
     */
    public Set<String> keysLookedUp() {
        Set<String> keys = new HashSet<>();
        for (List<FieldPath> fieldPaths : paths.values()) {
            for (FieldPath path : fieldPaths) {
                keys.addAll(path.keys());
            }
        }
        return keys;
    }

    /** The paths of {@code field} as the catalog writes them, comma-separated. */
    public String describe(String field) {
        return String.join(", ", paths(field).stream().map(FieldPath::text).toList());
    }

    /** The catalog in the form {@code --fields} reads: the built-in file's comments, then each field's paths. */
    public String print() {
        StringBuilder out = new StringBuilder();
        for (String line : text.split("\\R")) {
            if (line.isBlank() || line.startsWith("#")) {
                out.append(line).append('\n');
            } else {
                String field = line.substring(0, line.indexOf('=')).strip();
                out.append(field).append(" = ").append(describe(field)).append('\n');
            }
        }
        return out.toString();
    }

    private static final class Holder {
        static final FieldCatalog BUILT_IN = load();

        private static FieldCatalog load() {
            try (InputStream in = FieldCatalog.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("the built-in " + RESOURCE + " is missing from the jar");
                }
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                return new FieldCatalog("", Map.of()).overlaid(text, RESOURCE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
