package io.usagebackfill.catalog;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
    /** Each stem and suffix in normal form, to the way the catalog writes it (prompt_eval, token_count). */
    private final Map<String, String> written = new HashMap<>();

    CountNames(FieldCatalog catalog) {
        for (Role role : Role.values()) {
            if (role != Role.NONE) {
                for (FieldPath stem : catalog.paths(role.stemsField())) {
                    byStem.putIfAbsent(String.join("", stem.steps()), role);
                    written.putIfAbsent(String.join("", stem.steps()), stem.text());
                }
            }
        }
        for (FieldPath suffix : catalog.paths("token_suffixes")) {
            suffixes.add(String.join("", suffix.steps()));
            written.putIfAbsent(String.join("", suffix.steps()), suffix.text());
        }
        suffixes.sort(Comparator.comparingInt(String::length).reversed());
        for (int c = 0; c < 3; c++) {
            Role role = Role.values()[c];
            beyondStems.add(catalog.paths(role.column()).stream().filter(path -> !path.addends().isEmpty()
                    || path.steps().size() != 1 || decide(path.steps().get(0), false) != role).toList());
        }
    }

    /** Per count, its catalog paths that are not names the stems read anyway. */
    private final List<List<FieldPath>> beyondStems = new ArrayList<>(3);

    /**
     * The catalog's paths of count {@code column} (0 prompt, 1 completion, 2 total) that the stems do not read
     * ({@code prompt_eval_count}, a {@code --fields} path, a path with addends): only these need a lookup of their own.
     */
    public List<FieldPath> beyondStems(int column) {
        return beyondStems.get(column);
    }

    /**
     * @param key a member name in normal form
     * @param bare whether the member's object is named by a suffix ({@code tokens}), where a stem alone is a count
     */
    public Role role(String key, boolean bare) {
        Known known = known(key);
        return bare ? known.bare() : known.plain();
    }

    /**
     * What is known of a normal key: its role in an object of any name and in one named by a suffix, and how reasons
     * write it.
     */
    private record Known(String key, Role plain, Role bare, String display) {
    }

    /**
     * The keys met last, by identity: an event's keys in normal form are shared strings ({@link Keys#steps}), and
     * every member of an event's usage data asks for its role. Entries are immutable; a race between threads only
     * loses one.
     */
    private final Known[] recent = new Known[1024];

    private Known known(String key) {
        int slot = System.identityHashCode(key) & (recent.length - 1);
        Known known = recent[slot];
        if (known == null || known.key() != key) {
            known = new Known(key, endsWithSuffix(key) ? decide(key, false) : Role.NONE, decide(key, true),
                    displayOf(key));
            recent[slot] = known;
        }
        return known;
    }

    /**
     * A count's normal key as the catalog writes its stem and suffix ({@code prompttokens} is {@code prompt_tokens},
     * {@code candidatestokencount} {@code candidates_token_count}), for reasons a person reads; other keys as they are.
     */
    public String display(String key) {
        return known(key).display();
    }

    private String displayOf(String key) {
        for (String suffix : suffixes) {
            String stem = key.length() > suffix.length() && key.endsWith(suffix)
                    ? key.substring(0, key.length() - suffix.length()) : null;
            if (stem != null && byStem.containsKey(stem)) {
                return written.get(stem) + "_" + written.get(suffix);
            }
        }
        return key;
    }

    private boolean endsWithSuffix(String key) {
        for (int i = 0; i < suffixes.size(); i++) {
            if (key.endsWith(suffixes.get(i))) {
                return true;
            }
        }
        return false;
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
