package io.usagebackfill.load;

import java.sql.Connection;
import java.util.HashMap;
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

    /** Cumulative load counts of a run, across restarts. */
    public record LoadTally(long inserted, long duplicates, long nulledUserIds, long nulledSessionIds,
            Map<String, ModelTotals> perModel) {

        /**
         * The tally is saved with every checkpoint, so it must stay small whatever the logs hold: past this many
         * distinct models the rest are summed under {@link #OTHER_MODELS}.
         */
        static final int MAX_MODELS = 1_000;
        static final String OTHER_MODELS = "(other models)";

        public static LoadTally empty() {
            return new LoadTally(0, 0, 0, 0, Map.of());
        }

        LoadTally plus(ChunkLoad chunk) {
            Map<String, ModelTotals> models = new HashMap<>(perModel);
            chunk.perModel().forEach((model, totals) -> models.merge(
                    models.containsKey(model) || models.size() < MAX_MODELS ? model : OTHER_MODELS, totals,
                    ModelTotals::plus));
            return new LoadTally(inserted + chunk.inserted(), duplicates + chunk.duplicates(),
                    nulledUserIds + chunk.nulledUserIds(), nulledSessionIds + chunk.nulledSessionIds(), models);
        }
    }
}
