package io.usagebackfill.load;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.usagebackfill.normalize.TokenUsage;

/**
 * The guide's section 7 figures for one model over the rows a run inserted.
 *
 * @param costMicros summed cost in micro-dollars (rows without a cost add nothing)
 */
public record ModelTotals(long calls, long tokens, long costMicros) {

    /** Per-model totals of {@code rows}. */
    public static Map<String, ModelTotals> of(List<? extends TokenUsage> rows) {
        Map<String, ModelTotals> perModel = new HashMap<>();
        for (TokenUsage row : rows) {
            ModelTotals one = new ModelTotals(1, row.totalTokens(), row.costMicros() == null ? 0 : row.costMicros());
            perModel.merge(row.model(), one, ModelTotals::plus);
        }
        return perModel;
    }

    public ModelTotals plus(ModelTotals other) {
        return new ModelTotals(calls + other.calls, tokens + other.tokens, costMicros + other.costMicros);
    }
}
