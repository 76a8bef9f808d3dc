package io.usagebackfill.undo;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * What an undo removed, or with {@code --dry-run} would remove, of one run's rows.
 *
 * @param removed rows deleted (or that would be): still as the run wrote them
 * @param gone rows of the run no longer in the table (deleted by someone else since)
 * @param changed rows of the run whose values changed since (kept, unless asked to remove them too)
 * @param changedExamples a few of the changed rows' ids
 * @param perDay the removed rows per UTC day of {@code created_at}
 * @param perModel the removed rows per model
 * @param ledgerFilesForgotten file-ledger entries dropped, so the next incremental run reads those files again
 * @param rejectsDeleted the run's rejected lines deleted from {@code usage_backfill.rejected_line}
 */
public record UndoOutcome(long runId, String table, long removed, long gone, long changed,
        List<UUID> changedExamples, Map<String, Long> perDay, Map<String, Long> perModel, int ledgerFilesForgotten,
        int rejectsDeleted) {

    static final int MAX_EXAMPLES = 5;

    static UndoOutcome empty(long runId, String table) {
        return new UndoOutcome(runId, table, 0, 0, 0, List.of(), Map.of(), Map.of(), 0, 0);
    }

    UndoOutcome plus(long removedNow, long goneNow, List<UUID> changedNow, Map<String, Long> days,
            Map<String, Long> models) {
        List<UUID> examples = new java.util.ArrayList<>(changedExamples);
        for (UUID id : changedNow) {
            if (examples.size() < MAX_EXAMPLES) {
                examples.add(id);
            }
        }
        return new UndoOutcome(runId, table, removed + removedNow, gone + goneNow, changed + changedNow.size(),
                List.copyOf(examples), merged(perDay, days), merged(perModel, models), ledgerFilesForgotten,
                rejectsDeleted);
    }

    UndoOutcome withTotals(long removedAll, long goneAll, long changedAll) {
        return new UndoOutcome(runId, table, removedAll, goneAll, changedAll, changedExamples, perDay, perModel,
                ledgerFilesForgotten, rejectsDeleted);
    }

    UndoOutcome finished(int forgotten, int rejects) {
        return new UndoOutcome(runId, table, removed, gone, changed, changedExamples, perDay, perModel, forgotten,
                rejects);
    }

    private static Map<String, Long> merged(Map<String, Long> a, Map<String, Long> b) {
        Map<String, Long> all = new TreeMap<>(a);
        b.forEach((key, count) -> all.merge(key, count, Long::sum));
        return all;
    }
}
