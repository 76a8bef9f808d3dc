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
 * event met twice in one dry run is planned once, as the real run would load it once. On a table partitioned by
 * time without a DEFAULT partition, an event whose time no partition holds is planned as inserted (a row with that
 * time cannot be there yet) without the database, which would refuse it: the run's report lists the partitions
 * such events need.
 */
public final class DryRunPlanner implements ChunkLoader {

    private final TokenUsageLoader loader;
    private final long jobInstanceId;
    private final PartitionGrid partitions;

    /** @param partitions the table's partitions, where a row's time may have none; else null */
    public DryRunPlanner(TokenUsageLoader loader, long jobInstanceId, PartitionGrid partitions) {
        this.loader = loader;
        this.jobInstanceId = jobInstanceId;
        this.partitions = partitions;
    }

    @Override
    public ChunkLoad load(Connection connection, List<? extends TokenUsage> chunk) throws SQLException {
        Set<UUID> claimed = claim(connection, chunk);
        List<TokenUsage> fresh = new ArrayList<>(chunk.size());
        List<TokenUsage> unplaced = new ArrayList<>();
        List<TokenUsage> again = new ArrayList<>();
        Set<UUID> unplacedIds = new HashSet<>();
        for (TokenUsage row : chunk) {
            if (!claimed.contains(row.id())) {
                again.add(row);
            } else if (partitions != null && partitions.holding(row.createdAt()) == null) {
                // An event twice in one chunk (a rotated copy) would go in once, as the database tells of the rest.
                (unplacedIds.add(row.id()) ? unplaced : again).add(row);
            } else {
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
        if (!unplaced.isEmpty()) {
            ChunkLoad.Totals totals = ChunkLoad.Totals.of(unplaced);
            load = load.plus(ChunkLoad.of(unplaced, unplaced, totals, 0, 0));
        }
        // Rows planned earlier in this run (or by another partition) count as already there, as the real run
        // would find them.
        ChunkLoad.Totals againTotals = ChunkLoad.Totals.of(again);
        return new ChunkLoad(load.inserted(), load.duplicates() + again.size(), load.nulledUserIds(),
                load.nulledSessionIds(), load.perModel(), load.perDay(), load.first(), load.last(),
                load.read().plus(againTotals), load.loaded().plus(againTotals), load.repeated() + again.size(),
                load.differences(), load.alreadyInTable(), load.inDefaultPartition(), load.replaced());
    }

    /** Forgets the run's planned ids once it has ended. */
    public static void forget(Connection connection, long jobInstanceId) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(
                "DELETE FROM usage_backfill.dry_run_id WHERE job_instance_id = ?")) {
            st.setLong(1, jobInstanceId);
            st.executeUpdate();
        }
    }

    /**
     * Plans the chunk's ids not planned before in this run and returns them. One statement against a unique key,
     * so partitions planning at once claim each id once (one waits for the other's chunk to commit); in id order,
     * so they take its locks in one order.
     */
    private Set<UUID> claim(Connection connection, List<? extends TokenUsage> chunk) throws SQLException {
        Set<UUID> claimed = new HashSet<>();
        try (PreparedStatement st = connection.prepareStatement("INSERT INTO usage_backfill.dry_run_id"
                + " SELECT ?, id FROM unnest(?::uuid[]) AS u (id) ORDER BY id ON CONFLICT DO NOTHING RETURNING id")) {
            st.setLong(1, jobInstanceId);
            st.setArray(2, ids(connection, chunk));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    claimed.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return claimed;
    }

    private static Array ids(Connection connection, List<? extends TokenUsage> rows) throws SQLException {
        return connection.createArrayOf("uuid", rows.stream().map(TokenUsage::id).toArray());
    }
}
