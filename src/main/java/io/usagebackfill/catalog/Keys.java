package io.usagebackfill.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rule by which member names are matched: letter case and every character other than a letter or digit
 * ({@code _}, {@code -}, a leading {@code _} or {@code @}, .NET's braces) are ignored, so {@code prompt_tokens},
 * {@code promptTokens}, {@code PromptTokens}, {@code _prompt_tokens}, {@code PROMPT-TOKENS} and
 * {@code x-amzn-bedrock-input-token-count} are keys of one form ({@code prompttokens}); and a dot separates the steps
 * of a path
 * ({@code usage.prompt_tokens} is {@code prompt_tokens} inside {@code usage}). Events are read into trees of these
 * normal keys ({@link CanonicalTree}) and the catalog's paths are normalised alike, so a lookup is one hash probe a
 * step. Stateless and thread-safe.
 */
public final class Keys {

    /**
     * The steps of the keys seen so far: a log names a few dozen keys over millions of lines. Bounded, so a log of
     * ever-new keys only stops sharing them.
     */
    private static final Map<String, String[]> STEPS = new ConcurrentHashMap<>();
    private static final int MAX_SHARED = 8192;

    private Keys() {
    }

    /** One step of a key in normal form ({@code "@Prompt_Tokens"} is {@code "prompttokens"}). */
    public static String normal(String step) {
        StringBuilder out = null;
        for (int i = 0; i < step.length(); i++) {
            char c = step.charAt(i);
            boolean kept = c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
                    || c >= 0x80 && Character.isLetterOrDigit(c) && !Character.isUpperCase(c);
            if (out == null && !kept) {
                out = new StringBuilder(step.length()).append(step, 0, i);
            }
            if (out != null) {
                if (c >= 'A' && c <= 'Z' || c >= 0x80 && Character.isUpperCase(c)) {
                    out.append(Character.toLowerCase(c));
                } else if (kept) {
                    out.append(c);
                }
            }
        }
        if (out == null) {
            return step;
        }
        // A name of punctuation alone ("@", "{}") keeps it, so that it is still a key of its own.
        return out.length() > 0 ? out.toString() : step;
    }

    /**
     * The normal steps of a member name: {@code "gen_ai.usage.input_tokens"} is {@code [genai, usage, inputtokens]}.
     * A name of dots alone, or with empty steps ({@code "a..b"}), is one step.
     */
    public static String[] steps(String key) {
        String[] known = STEPS.get(key);
        if (known != null) {
            return known;
        }
        String[] steps = split(key);
        if (STEPS.size() < MAX_SHARED) {
            STEPS.putIfAbsent(key, steps);
        }
        return steps;
    }

    private static String[] split(String key) {
        if (key.indexOf('.') < 0) {
            return new String[] {normal(key)};
        }
        List<String> steps = new ArrayList<>();
        for (String part : key.split("\\.", -1)) {
            String step = normal(part);
            if (step.isEmpty()) {
                return new String[] {normal(key)};
            }
            steps.add(step);
        }
        return steps.toArray(String[]::new);
    }

    /** The normal steps of a path as a catalog or {@code --fields} writes it. */
    public static List<String> pathSteps(String path) {
        return List.of(steps(path.strip().toLowerCase(Locale.ROOT)));
    }
}
