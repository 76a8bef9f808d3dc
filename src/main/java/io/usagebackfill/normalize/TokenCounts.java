package io.usagebackfill.normalize;

import io.usagebackfill.catalog.RejectedLineException;
import io.usagebackfill.catalog.Numbers;
import io.usagebackfill.catalog.Fields;
import io.usagebackfill.catalog.FieldPath;
import io.usagebackfill.catalog.FieldCatalog;
import java.math.BigDecimal;
import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * Reads the three token counts wherever the app put them: each count is looked for at the event's top, then in the
 * catalog's {@code usage} objects (usage, usageMetadata, …), then the same in each envelope; the first found wins.
 * An event with no count at all is rejected; one absent count is 0 and an absent total is the sum. A count that is
 * the sum of fields ({@code input_tokens + cache_read_input_tokens}) is the sum of those present, also when the
 * first is absent. Counts are numbers or numeric strings, whole, from 0 to what the target's column holds
 * ({@link CountLimits}). Stateless and thread-safe.
 */
final class TokenCounts {

    static final List<String> COUNTS = List.of("prompt_tokens", "completion_tokens", "total_tokens");

    private TokenCounts() {
    }

    record Counts(long prompt, long completion, long total) {
    }

    /**
     * @param scopes the event and its envelopes ({@link Fields#scopes})
     * @param limits the largest count each column of the target holds
     */
    static Counts read(List<JsonNode> scopes, Fields fields, CountLimits limits) {
        Fields.Found promptField = find(scopes, fields, "prompt_tokens");
        Fields.Found completionField = find(scopes, fields, "completion_tokens");
        Fields.Found total = find(scopes, fields, "total_tokens");
        if (promptField == null && completionField == null && total == null) {
            // Loading zeros here would store real spend as free; one absent count (embeddings) is still 0.
            throw new RejectedLineException("no token counts: looked for " + lookedFor(fields.catalog()));
        }
        long prompt = count(promptField, limits.prompt());
        long completion = count(completionField, limits.completion());
        long totalTokens = total != null ? parse(total, limits.total())
                : add("total_tokens", prompt, completion, limits.total());
        return new Counts(fit("prompt_tokens", prompt, limits.prompt()),
                fit("completion_tokens", completion, limits.completion()),
                fit("total_tokens", totalTokens, limits.total()));
    }

    /** Whether the event holds any token count where the catalog looks for one. */
    static boolean present(List<JsonNode> scopes, Fields fields) {
        for (String column : COUNTS) {
            if (find(scopes, fields, column) != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * The count's field, looked for everywhere before a field whose addends alone are there is taken (as 0 plus
     * them), so that a stray addend never hides the count itself in a usage object further in.
     */
    private static Fields.Found find(List<JsonNode> scopes, Fields fields, String column) {
        Fields.Found found = find(scopes, fields, column, false);
        // Most events log no total, and total_tokens has no sums: no second pass over every usage object for it.
        return found != null || !hasSums(fields.catalog().paths(column)) ? found : find(scopes, fields, column, true);
    }

    private static boolean hasSums(List<FieldPath> paths) {
        for (int i = 0; i < paths.size(); i++) {
            if (!paths.get(i).addends().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private static Fields.Found find(List<JsonNode> scopes, Fields fields, String column, boolean addendsOnly) {
        List<FieldPath> usages = fields.catalog().paths("usage");
        for (int i = 0; i < scopes.size(); i++) {
            JsonNode scope = scopes.get(i);
            Fields.Found found = firstIn(fields, scope, column, addendsOnly);
            if (found != null) {
                return found;
            }
            for (int u = 0; u < usages.size(); u++) {
                FieldPath.Hit hit = usages.get(u).find(scope);
                if (hit != null && hit.value().isObject()) {
                    found = firstIn(fields, hit.value(), column, addendsOnly);
                    if (found != null) {
                        return found;
                    }
                }
            }
        }
        return null;
    }

    private static Fields.Found firstIn(Fields fields, JsonNode object, String column, boolean addendsOnly) {
        return addendsOnly ? fields.firstAddendsOnlyIn(object, column) : fields.firstIn(object, column);
    }

    /** Short enough for a reason: the columns' first names, how many others, and where they are listed. */
    private static String lookedFor(FieldCatalog catalog) {
        int others = 0;
        for (String column : COUNTS) {
            others += catalog.paths(column).size() - 1;
        }
        return String.join(", ", COUNTS) + " and " + others + " other names (fields --print lists them) at the top"
                + " and in the usage objects (" + catalog.paths("usage").stream().limit(4).map(FieldPath::text)
                .reduce((a, b) -> a + ", " + b).orElse("") + ", …)";
    }

    /** The count, plus the fields beside it its path adds (absent or null count as 0); 0 when not found. */
    private static long count(Fields.Found found, CountLimits.Limit limit) {
        if (found == null) {
            return 0;
        }
        long value = parse(found, limit);
        for (String addend : found.path().addends()) {
            JsonNode extra = found.holder().get(addend);
            if (extra != null && !extra.isNull()) {
                value = add(found.name(), value, parse(new Fields.Found(addend, extra), limit), limit);
            }
        }
        return value;
    }

    /** A whole number from 0 to the column's limit, given as a JSON number or a numeric string. */
    static long parse(Fields.Found found, CountLimits.Limit limit) {
        JsonNode value = found.value();
        if (value.isInt() && value.intValue() >= 0 && value.intValue() <= limit.max()) {
            // A JSON integer within int range is whole and in range as it is; no decimal needed (most counts).
            return value.intValue();
        }
        BigDecimal number = Numbers.decimal(found.name(), value);
        if (number == null) {
            throw new RejectedLineException(found.name() + " is " + Numbers.describe(value)
                    + ", not a token count; token counts must be whole numbers from 0 to " + limit.max());
        }
        if (number.signum() < 0 || number.stripTrailingZeros().scale() > 0
                || number.compareTo(BigDecimal.valueOf(limit.max())) > 0) {
            throw new RejectedLineException(found.name() + " is " + number.toPlainString()
                    + "; token counts must be whole numbers from 0 to " + limit.max());
        }
        return number.longValueExact();
    }

    /** Two counts of at most BIGINT's limit each, whose sum may pass it. */
    private static long add(String column, long a, long b, CountLimits.Limit limit) {
        if (a > Long.MAX_VALUE - b) {
            throw new RejectedLineException(column + " adds up to more than " + Long.MAX_VALUE
                    + ", beyond the table's " + limit.type() + " limit of " + limit.max());
        }
        return a + b;
    }

    private static long fit(String column, long value, CountLimits.Limit limit) {
        if (value > limit.max()) {
            throw new RejectedLineException(column + " adds up to " + value + ", beyond the table's "
                    + limit.type() + " limit of " + limit.max());
        }
        return value;
    }
}
