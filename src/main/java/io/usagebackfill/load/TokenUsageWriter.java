package io.usagebackfill.load;

import java.sql.Connection;
import java.time.Instant;
import java.util.HashMap;
import java.util.TreeMap;
import java.util.Map;

import javax.sql.DataSource;

import io.usagebackfill.normalize.TokenUsage;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.jdbc.datasource.DataSourceUtils;

/**
 * Writes each chunk to the database through {@link TokenUsageLoader}, on the connection of the chunk's
 * transaction, so the rows commit or roll back together with the checkpoint. Keeps the running totals that the
 * checkpoint saves. Not thread-safe: one writer per step.
 */
public final class TokenUsageWriter implements RowSink {

    private final DataSource dataSource;
    private final ChunkLoader loader;
    private LoadTally tally = LoadTally.empty();

    public TokenUsageWriter(DataSource dataSource, ChunkLoader loader) {
        this.dataSource = dataSource;
        this.loader = loader;
    }

    @Override
    public void write(Chunk<? extends TokenUsage> chunk) throws Exception {
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            tally = tally.plus(loader.load(connection, chunk.getItems()));
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }

    @Override
    public LoadTally tally() {
        return tally;
    }

    @Override
    public void restore(LoadTally saved) {
        tally = saved;
    }

    /**
     * Cumulative load counts of a run, across restarts.
     *
     * @param perDay rows inserted per UTC day of {@code created_at}
     * @param first earliest {@code created_at} inserted, or null
     * @param last latest {@code created_at} inserted, or null
     * @param read tokens and cost of the valid events read (inside the window)
     * @param loaded the same as the database holds them (rows inserted plus rows already there)
     * @param repeated of the duplicates, events met before in the same run; the rest were in the table before it
     * @param differences the events whose row the table does not hold as they were read
     * @param daysAlreadyInTable the days of the events whose rows were in the table before the run
     * @param inDefaultPartition of the rows inserted, those that landed in the table's DEFAULT partition, by UTC
     *     month; empty (or null, in a tally saved before they were counted) for none
     * @param replaced of the rows inserted, those that replaced a row of the same id ({@code --replace-fixed})
     */
    public record LoadTally(long inserted, long duplicates, long nulledUserIds, long nulledSessionIds,
            Map<String, ModelTotals> perModel, Map<String, Long> perDay, Instant first, Instant last,
            ChunkLoad.Totals read, ChunkLoad.Totals loaded, long repeated, Differences differences,
            DaySpan daysAlreadyInTable, Map<String, Long> inDefaultPartition, long replaced) {

        /**
         * The tally is saved with every checkpoint, so it must stay small whatever the logs hold: past this many
         * distinct models the rest are summed under {@link #OTHER_MODELS}.
         */
        static final int MAX_MODELS = 1_000;
        static final String OTHER_MODELS = "(other models)";

        public static LoadTally empty() {
            return new LoadTally(0, 0, 0, 0, Map.of(), Map.of(), null, null, ChunkLoad.Totals.ZERO,
                    ChunkLoad.Totals.ZERO, 0, Differences.NONE, DaySpan.NONE, Map.of(), 0);
        }

        LoadTally plus(ChunkLoad chunk) {
            Map<String, ModelTotals> models = new HashMap<>(perModel);
            chunk.perModel().forEach((model, totals) -> models.merge(
                    models.containsKey(model) || models.size() < MAX_MODELS ? model : OTHER_MODELS, totals,
                    ModelTotals::plus));
            Map<String, Long> days = new TreeMap<>(perDay == null ? Map.of() : perDay);
            chunk.perDay().forEach((day, count) -> days.merge(day, count, Long::sum));
            Map<String, Long> inDefault = new TreeMap<>(inDefault());
            chunk.inDefaultPartition().forEach((month, count) -> inDefault.merge(month, count, Long::sum));
            return new LoadTally(inserted + chunk.inserted(), duplicates + chunk.duplicates(),
                    nulledUserIds + chunk.nulledUserIds(), nulledSessionIds + chunk.nulledSessionIds(), models, days,
                    earlier(first, chunk.first()), later(last, chunk.last()), orZero(read).plus(chunk.read()),
                    orZero(loaded).plus(chunk.loaded()), repeated + chunk.repeated(),
                    orNone(differences).plus(chunk.differences()), daysThere().plus(chunk.alreadyInTable()),
                    inDefault, replaced + chunk.replaced());
        }

        /** Of the rows inserted, those in the table's DEFAULT partition by UTC month; empty for none. */
        public Map<String, Long> inDefault() {
            return inDefaultPartition == null ? Map.of() : inDefaultPartition;
        }

        /** This tally and another partition's, as one. */
        public LoadTally plus(LoadTally other) {
            return plus(new ChunkLoad(other.inserted, other.duplicates, other.nulledUserIds, other.nulledSessionIds,
                    other.perModel, other.perDay == null ? Map.of() : other.perDay, other.first, other.last,
                    orZero(other.read), orZero(other.loaded), other.repeated, orNone(other.differences),
                    other.daysThere(), other.inDefault(), other.replaced));
        }

        /** Duplicates that were in the table before the run (not repeats within its logs). */
        public long alreadyInTable() {
            return duplicates - repeated;
        }

        /**
         * Whether the database holds the prompt, completion and total tokens and the cost that were read, in every
         * event's own row.
         */
        public boolean reconciles() {
            return orZero(read).equals(orZero(loaded)) && !orNone(differences).any();
        }

        /** The days of the events already in the table; none for a tally saved before they were counted. */
        public DaySpan daysThere() {
            return daysAlreadyInTable == null ? DaySpan.NONE : daysAlreadyInTable;
        }

        /** The events whose row differs from what was read; none for a tally saved before they were counted. */
        public Differences differencesFound() {
            return orNone(differences);
        }

        private static Differences orNone(Differences differences) {
            return differences == null ? Differences.NONE : differences;
        }

        private static ChunkLoad.Totals orZero(ChunkLoad.Totals totals) {
            return totals == null ? ChunkLoad.Totals.ZERO : totals;
        }

        private static Instant earlier(Instant a, Instant b) {
            return a == null ? b : b == null || a.isBefore(b) ? a : b;
        }

        private static Instant later(Instant a, Instant b) {
            return a == null ? b : b == null || a.isAfter(b) ? a : b;
        }
    }
}
