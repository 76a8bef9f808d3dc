package io.usagebackfill.catalog;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The token vocabulary as a rule rather than a list of spellings: a member whose normal key ({@link Keys}) is a stem
 * followed by a suffix ({@code prompt} + {@code tokens}, {@code candidates} + {@code tokencount},
 * {@code cache_read_input} + {@code tokens}) is that kind of count, and inside an object named by a suffix
 * ({@code "tokens": {"prompt": 5}}, OpenInference's {@code llm.token_count.prompt}) the stem alone is. The stems and
 * suffixes are the catalog's ({@code *_stems}, {@code token_suffixes}); {@code --fields} can add to them.
 * Immutable and thread-safe.
 */
public final class CountNames {

    /** What a count member is. */
    public enum Role {
        PROMPT("prompt_tokens"), COMPLETION("completion_tokens"), TOTAL("total_tokens"),
        /** Counted apart from the prompt, and billed as input: Anthropic's cache reads and writes. */
        PROMPT_EXTRA("prompt_extra_stems"),
        /** A part of the prompt count already (OpenAI's and Gemini's cached tokens). */
        PROMPT_DETAIL("prompt_detail_stems"),
        /** Counted apart from the completion, and billed as output: Gemini's thoughts. */
        COMPLETION_EXTRA("completion_extra_stems"),
        /** A part of the completion count already (reasoning tokens). */
        COMPLETION_DETAIL("completion_detail_stems"),
        NONE("");

        private final String field;

        Role(String field) {
            this.field = field;
        }

        /** One of the row's three counts. */
        public boolean main() {
            return ordinal() <= TOTAL.ordinal();
        }

        /** The catalog field that lists this role's stems. */
        String stemsField() {
            return main() ? field.replace("_tokens", "_stems") : field;
        }

        /** The column a count of this role goes to, as reasons name it. */
        public String column() {
            return main() ? field : this == PROMPT_EXTRA || this == PROMPT_DETAIL ? "prompt_tokens" : "completion_tokens";
        }
    }

    private final Map<String, Role> byStem = new HashMap<>();
    private final List<String> suffixes = new ArrayList<>();
    private final Map<String, Role> known = new ConcurrentHashMap<>();
    private final Map<String, Role> knownBare = new ConcurrentHashMap<>();
    private static final int MAX_KNOWN = 4096;

    CountNames(FieldCatalog catalog) {
        for (Role role : Role.values()) {
            if (role != Role.NONE) {
                for (FieldPath stem : catalog.paths(role.stemsField())) {
                    byStem.putIfAbsent(String.join("", stem.steps()), role);
                }
            }
        }
        for (FieldPath suffix : catalog.paths("token_suffixes")) {
            suffixes.add(String.join("", suffix.steps()));
        }
        suffixes.sort(Comparator.comparingInt(String::length).reversed());
    }

    /**
     * @param key a member name in normal form
     * @param bare whether the member's object is named by a suffix ({@code tokens}), where a stem alone is a count
     */
    public Role role(String key, boolean bare) {
        Map<String, Role> cache = bare ? knownBare : known;
        Role role = cache.get(key);
        if (role == null) {
            role = decide(key, bare);
            if (cache.size() < MAX_KNOWN) {
                cache.put(key, role);
            }
        }
        return role;
    }

    /** Whether an object under this normal key holds bare stems ({@code tokens}, {@code tokencount}). */
    public boolean namesCounts(String key) {
        return suffixes.contains(key);
    }

    private Role decide(String key, boolean bare) {
        if (bare) {
            Role role = byStem.get(key);
            if (role != null) {
                return role;
            }
        }
        for (String suffix : suffixes) {
            if (key.length() > suffix.length() && key.endsWith(suffix)) {
                Role role = byStem.get(key.substring(0, key.length() - suffix.length()));
                if (role != null) {
                    return role;
                }
            }
        }
        return Role.NONE;
    }

    /** The stems of a role in normal form, for messages. */
    public List<String> stems(Role role) {
        return byStem.entrySet().stream().filter(e -> e.getValue() == role).map(Map.Entry::getKey).sorted().toList();
    }

    public List<String> suffixes() {
        return List.copyOf(suffixes);
    }
}
