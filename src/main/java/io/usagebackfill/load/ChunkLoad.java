package io.usagebackfill.load;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.usagebackfill.normalize.TokenUsage;

/**
 * What loading one chunk did.
 *
 * @param perDay rows inserted per day of {@code created_at} (UTC), so a gap in the logs shows
 * @param first earliest {@code created_at} inserted, null when none was
 * @param last latest {@code created_at} inserted, null when none was
 * @param read tokens and cost of the chunk's valid events as read from the logs
 * @param loaded the same, as the database holds them: the inserted rows plus the rows already there
 * @param repeated of the {@code duplicates}, the events met before in the same run (a rotated copy, the same
 *     event twice in the logs); the others were in the table before the run
 * @param differences the events whose row the table does not hold as read (none, or dropped or changed by the
 *     database), by the rows read back after the load
 * @param alreadyInTable the days of the events whose rows were in the table before the run (each event once)
 * @param inDefaultPartition of the rows inserted, those that landed in the table's DEFAULT partition (no other
 *     partition fits them), by UTC month ({@code 2025-10}); empty for a table without one
 * @param replaced of the rows inserted, those that replaced a row of the same id ({@code --replace-fixed}: an
 *     earlier correction of the same line), so the table grew by {@code inserted - replaced}
 */
public record ChunkLoad(long inserted, long duplicates, long nulledUserIds, long nulledSessionIds,
        Map<String, ModelTotals> perModel, Map<String, Long> perDay, Instant first, Instant last, Totals read,
        Totals loaded, long repeated, Differences differences, DaySpan alreadyInTable,
        Map<String, Long> inDefaultPartition, long replaced) {

    /** Prompt, completion and total tokens and micro-dollars over some rows: what reconciliation compares. */
    public record Totals(long promptTokens, long completionTokens, long tokens, long costMicros) {

        public static final Totals ZERO = new Totals(0, 0, 0, 0);

        public static Totals of(List<? extends TokenUsage> rows) {
            long prompt = 0;
            long completion = 0;
            long tokens = 0;
            long cost = 0;
            for (TokenUsage row : rows) {
                prompt += row.promptTokens();
                completion += row.completionTokens();
                tokens += row.totalTokens();
                cost += row.costMicros() == null ? 0 : row.costMicros();
            }
            return new Totals(prompt, completion, tokens, cost);
        }

        public Totals plus(Totals other) {
            return new Totals(promptTokens + other.promptTokens, completionTokens + other.completionTokens,
                    tokens + other.tokens, costMicros + other.costMicros);
        }
    }

    /** The same load with {@code count} of its duplicates known to repeat events met earlier in the run. */
    public ChunkLoad repeatedInInput(long count) {
        return new ChunkLoad(inserted, duplicates, nulledUserIds, nulledSessionIds, perModel, perDay, first, last,
                read, loaded, count, differences, alreadyInTable, inDefaultPartition, replaced);
    }

    /**
     * The same load with the rows read back found to differ: {@code missingReads} of the events counted as not
     * inserted had no row at all, so they are no duplicates.
     */
    ChunkLoad differing(Differences found, long missingReads) {
        return new ChunkLoad(inserted, duplicates - missingReads, nulledUserIds, nulledSessionIds, perModel, perDay,
                first, last, read, loaded, repeated, found, alreadyInTable, inDefaultPartition, replaced);
    }

    /** A chunk of which {@code inserted} went in; {@code loaded} is what the database reported for all of it. */
    static ChunkLoad of(List<? extends TokenUsage> chunk, List<? extends TokenUsage> inserted, Totals loaded,
            long nulledUserIds, long nulledSessionIds) {
        DaySpan days = DaySpan.of(inserted);
        return new ChunkLoad(inserted.size(), chunk.size() - inserted.size(), nulledUserIds, nulledSessionIds,
                ModelTotals.of(inserted), days.perDay(), days.first(), days.last(), Totals.of(chunk), loaded, 0,
                Differences.NONE, DaySpan.NONE, Map.of(), 0);
    }

    /** The same load with the days of its events whose rows were in the table before the run. */
    ChunkLoad alreadyThere(List<? extends TokenUsage> rows) {
        return new ChunkLoad(inserted, duplicates, nulledUserIds, nulledSessionIds, perModel, perDay, first, last,
                read, loaded, repeated, differences, DaySpan.of(rows), inDefaultPartition, replaced);
    }

    /** The same load, with the rows it inserted into the DEFAULT partition counted by month. */
    ChunkLoad inDefault(Map<String, Long> byMonth) {
        return new ChunkLoad(inserted, duplicates, nulledUserIds, nulledSessionIds, perModel, perDay, first, last,
                read, loaded, repeated, differences, alreadyInTable, Map.copyOf(byMonth), replaced);
    }

    /** The same load, {@code count} of whose inserted rows replaced rows of the same id. */
    ChunkLoad replacing(long count) {
        return new ChunkLoad(inserted, duplicates, nulledUserIds, nulledSessionIds, perModel, perDay, first, last,
                read, loaded, repeated, differences, alreadyInTable, inDefaultPartition, count);
    }

    /** This load and another of other rows of the same chunk, as one. */
    ChunkLoad plus(ChunkLoad other) {
        DaySpan days = new DaySpan(perDay, first, last).plus(new DaySpan(other.perDay, other.first, other.last));
        Map<String, ModelTotals> models = new java.util.HashMap<>(perModel);
        other.perModel.forEach((model, totals) -> models.merge(model, totals, ModelTotals::plus));
        Map<String, Long> inDefault = new java.util.TreeMap<>(inDefaultPartition);
        other.inDefaultPartition.forEach((month, count) -> inDefault.merge(month, count, Long::sum));
        return new ChunkLoad(inserted + other.inserted, duplicates + other.duplicates,
                nulledUserIds + other.nulledUserIds, nulledSessionIds + other.nulledSessionIds, models, days.perDay(),
                days.first(), days.last(), read.plus(other.read), loaded.plus(other.loaded),
                repeated + other.repeated, differences.plus(other.differences),
                alreadyInTable.plus(other.alreadyInTable), inDefault, replaced + other.replaced);
    }
}
