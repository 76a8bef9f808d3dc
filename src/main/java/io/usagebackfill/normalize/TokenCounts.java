package io.usagebackfill.normalize;

import java.math.BigDecimal;
import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * Reads the three token counts wherever the app put them: at the top level or in a nested usage object, in
 * snake_case or camelCase, as numbers or numeric strings. Stateless and thread-safe.
 */
final class TokenCounts {

    static final List<String> NESTS = List.of("usage", "tokenUsage", "token_usage", "tokens");
    static final List<String> PROMPT = List.of("prompt_tokens", "promptTokens", "input_tokens", "inputTokens");
    static final List<String> COMPLETION = List.of("completion_tokens", "completionTokens", "output_tokens",
            "outputTokens");
    static final List<String> TOTAL = List.of("total_tokens", "totalTokens");
    static final List<String> CACHE_CREATION = List.of("cache_creation_input_tokens", "cacheCreationInputTokens");
    static final List<String> CACHE_READ = List.of("cache_read_input_tokens", "cacheReadInputTokens");

    private TokenCounts() {
    }

    record Counts(int prompt, int completion, int total) {
    }

    static Counts read(JsonNode event) {
        JsonNode nest = Fields.firstObject(event, NESTS);
        if (!has(event, nest, PROMPT) && !has(event, nest, COMPLETION) && !has(event, nest, TOTAL)) {
            // Loading zeros here would store real spend as free; one absent count (embeddings) is still 0.
            throw new RejectedLineException("no token counts: looked for " + String.join(", ", PROMPT) + ", "
                    + String.join(", ", COMPLETION) + ", " + String.join(", ", TOTAL) + " at the top and in "
                    + String.join(", ", NESTS));
        }
        long prompt = count(event, nest, PROMPT);
        // Anthropic reports cached input separately; OpenAI's prompt_tokens already includes it, so adding the
        // cache counts here makes prompt_tokens mean the same thing for both providers.
        if (has(event, nest, List.of("input_tokens", "inputTokens"))) {
            prompt += count(event, nest, CACHE_CREATION) + count(event, nest, CACHE_READ);
        }
        long completion = count(event, nest, COMPLETION);
        Fields.Found total = find(event, nest, TOTAL);
        long totalTokens = total != null ? parse(total) : prompt + completion;
        return new Counts(fitInt("prompt_tokens", prompt), fitInt("completion_tokens", completion),
                fitInt("total_tokens", totalTokens));
    }

    private static boolean has(JsonNode event, JsonNode nest, List<String> aliases) {
        return find(event, nest, aliases) != null;
    }

    private static long count(JsonNode event, JsonNode nest, List<String> aliases) {
        Fields.Found found = find(event, nest, aliases);
        return found == null ? 0 : parse(found);
    }

    private static Fields.Found find(JsonNode event, JsonNode nest, List<String> aliases) {
        Fields.Found found = Fields.first(event, aliases);
        if (found == null && nest != null) {
            found = Fields.first(nest, aliases);
        }
        return found;
    }

    /** A whole number from 0 to INT max, given as a JSON number or a numeric string. */
    static long parse(Fields.Found found) {
        JsonNode value = found.value();
        BigDecimal number = Numbers.decimal(found.name(), value);
        if (number == null) {
            throw new RejectedLineException(found.name() + " is " + Numbers.describe(value)
                    + ", not a token count; token counts must be whole numbers from 0 to 2147483647");
        }
        if (number.signum() < 0 || number.stripTrailingZeros().scale() > 0
                || number.compareTo(Numbers.INT_MAX) > 0) {
            throw new RejectedLineException(found.name() + " is " + number.toPlainString()
                    + "; token counts must be whole numbers from 0 to 2147483647");
        }
        return number.longValueExact();
    }

    private static int fitInt(String column, long value) {
        if (value > Integer.MAX_VALUE) {
            throw new RejectedLineException(column + " adds up to " + value
                    + ", beyond the table's INT limit of 2147483647");
        }
        return (int) value;
    }
}
