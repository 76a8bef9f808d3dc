package io.usagebackfill.normalize;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Infers a provider from a model name for events that log only the model. Built-in prefixes cover the common
 * providers; {@code --provider-map FILE} adds or overrides prefixes. The longest matching prefix wins. Immutable
 * and thread-safe.
 */
public final class ProviderCatalog {

    private static final List<Rule> BUILT_IN = List.of(
            new Rule("gpt-", "openai"), new Rule("o1", "openai"), new Rule("o3", "openai"), new Rule("o4", "openai"),
            new Rule("chatgpt-", "openai"), new Rule("text-embedding-", "openai"),
            new Rule("claude-", "anthropic"),
            new Rule("gemini-", "google"), new Rule("gemma-", "google"),
            new Rule("mistral-", "mistral"), new Rule("mixtral-", "mistral"), new Rule("codestral-", "mistral"),
            new Rule("llama-", "meta"),
            new Rule("command-", "cohere"),
            new Rule("deepseek-", "deepseek"),
            new Rule("grok-", "xai"),
            // Amazon Bedrock model ids name their vendor first: anthropic.claude-3-5-sonnet-20240620-v1:0.
            new Rule("anthropic.", "anthropic"), new Rule("meta.", "meta"), new Rule("mistral.", "mistral"),
            new Rule("cohere.", "cohere"), new Rule("amazon.", "amazon"), new Rule("ai21.", "ai21"),
            new Rule("deepseek.", "deepseek"), new Rule("openai.", "openai"));

    /** Bedrock's cross-region inference profiles put a region before the vendor: us.anthropic.claude-…. */
    private static final java.util.regex.Pattern REGION = java.util.regex.Pattern.compile(
            "^(us|us-gov|eu|apac|jp|au|ca|global)\\.(?=[a-z0-9]+\\.)");

    private final List<Rule> rules;

    private ProviderCatalog(List<Rule> rules) {
        List<Rule> sorted = new ArrayList<>(rules);
        sorted.sort(Comparator.comparingInt((Rule r) -> r.prefix().length()).reversed());
        this.rules = List.copyOf(sorted);
    }

    public static ProviderCatalog builtIn() {
        return new ProviderCatalog(BUILT_IN);
    }

    /**
     * The built-in prefixes plus those in {@code file}: one {@code prefix,provider} a line; blank lines and lines
     * starting with {@code #} are skipped.
     *
     * @throws IllegalArgumentException naming the file and line when a line is not {@code prefix,provider}
     * @throws IOException when the file cannot be read
     */
    public static ProviderCatalog withFile(Path file) throws IOException {
        List<Rule> rules = new ArrayList<>(BUILT_IN);
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split(",", -1);
            if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
                throw new IllegalArgumentException("--provider-map " + file + " line " + (i + 1)
                        + " is \"" + line + "\"; write one model prefix and its provider a line, as claude-,anthropic");
            }
            rules.add(new Rule(parts[0].strip().toLowerCase(Locale.ROOT), parts[1].strip()));
        }
        return new ProviderCatalog(rules);
    }

    /** The provider for {@code model}, or null when no prefix matches. */
    public String providerOf(String model) {
        String lower = model.toLowerCase(Locale.ROOT);
        int slash = lower.lastIndexOf('/');
        String bare = REGION.matcher(slash >= 0 ? lower.substring(slash + 1) : lower).replaceFirst("");
        for (Rule rule : rules) {
            if (bare.startsWith(rule.prefix()) || lower.startsWith(rule.prefix())) {
                return rule.provider();
            }
        }
        return null;
    }

    private record Rule(String prefix, String provider) {
    }
}
