package io.usagebackfill.load;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.usagebackfill.normalize.TokenUsage;

/**
 * {@code import --dry-run}: each chunk is loaded for real inside a savepoint and rolled back, so the database itself
 * says what would be inserted, what is already there and which user or session ids it would null; nothing reaches
 * {@code token_usage}. The ids it would insert are kept in {@code usage_backfill.dry_run_id} for the run, so an
 * event met twice in one dry run is planned once, as the real run would load it once.
 */
public final class DryRunPlanner implements ChunkLoader {

    private final TokenUsageLoader loader;
    private final long jobInstanceId;

    public DryRunPlanner(TokenUsageLoader loader, long jobInstanceId) {
        this.loader = loader;
        this.jobInstanceId = jobInstanceId;
    }

    @Override
    public ChunkLoad load(Connection connection, List<? extends TokenUsage> chunk) throws SQLException {
        Set<UUID> planned = alreadyPlanned(connection, chunk);
        List<TokenUsage> fresh = new ArrayList<>(chunk.size());
        for (TokenUsage row : chunk) {
            if (!planned.contains(row.id())) {
                fresh.add(row);
            }
        }
        Savepoint savepoint = connection.setSavepoint();
        ChunkLoad load;
        try {
            load = loader.load(connection, fresh);
        } finally {
            connection.rollback(savepoint);
        }
        plan(connection, fresh);
        // Rows planned earlier in this run count as already there, as the real run would find them.
        List<TokenUsage> again = chunk.stream().filter(row -> planned.contains(row.id())).map(TokenUsage.class::cast)
                .toList();
        ChunkLoad.Totals againTotals = ChunkLoad.Totals.of(again);
        return new ChunkLoad(load.inserted(), load.duplicates() + again.size(), load.nulledUserIds(),
                load.nulledSessionIds(), load.perModel(), load.perDay(), load.first(), load.last(),
                load.read().plus(againTotals), load.loaded().plus(againTotals));
    }

    /** Forgets the run's planned ids once it has ended. */
    public static void forget(Connection connection, long jobInstanceId) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(
                "DELETE FROM usage_backfill.dry_run_id WHERE job_instance_id = ?")) {
            st.setLong(1, jobInstanceId);
            st.executeUpdate();
        }
    }

    private Set<UUID> alreadyPlanned(Connection connection, List<? extends TokenUsage> chunk) throws SQLException {
        Set<UUID> found = new HashSet<>();
        try (PreparedStatement st = connection.prepareStatement("SELECT id FROM usage_backfill.dry_run_id"
                + " WHERE job_instance_id = ? AND id = ANY (?)")) {
            st.setLong(1, jobInstanceId);
            st.setArray(2, ids(connection, chunk));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return found;
    }

    private void plan(Connection connection, List<TokenUsage> rows) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("INSERT INTO usage_backfill.dry_run_id"
                + " SELECT ?, unnest(?::uuid[]) ON CONFLICT DO NOTHING")) {
            st.setLong(1, jobInstanceId);
            st.setArray(2, ids(connection, rows));
            st.executeUpdate();
        }
    }

    private static Array ids(Connection connection, List<? extends TokenUsage> rows) throws SQLException {
        return connection.createArrayOf("uuid", rows.stream().map(TokenUsage::id).toArray());
    }
}
