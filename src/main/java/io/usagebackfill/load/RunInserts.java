package io.usagebackfill.load;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

import io.usagebackfill.normalize.TokenUsage;

/**
 * Keeps which rows a run inserted: one record per chunk in {@code usage_backfill.run_insert}, written in the chunk's
 * own transaction, so it holds exactly the rows that committed, whatever crashes and restarts come between. Each id
 * goes with a digest of the row's values as written, so {@code undo} removes only rows still as the run wrote them.
 * Ids and digests are kept as two arrays in one row per chunk: a few bytes per event and one insert per chunk, not
 * a row and an index entry per event. Stateless and thread-safe.
 */
public final class RunInserts {

    private RunInserts() {
    }

    /**
     * Records {@code inserted}, the rows of one chunk that its COPY or merge inserted; a chunk that inserted nothing
     * is recorded too when {@code always}, so that a run that inserted nothing still shows it kept the record.
     */
    static void record(Connection connection, long jobInstanceId, TargetTable table,
            List<? extends TokenUsage> inserted, boolean always) throws SQLException {
        if (inserted.isEmpty() && !always) {
            return;
        }
        Object[] ids = new Object[inserted.size()];
        Long[] digests = new Long[inserted.size()];
        for (int i = 0; i < ids.length; i++) {
            TokenUsage row = inserted.get(i);
            ids[i] = row.id();
            digests[i] = RowValues.of(row).digest();
        }
        try (PreparedStatement st = connection.prepareStatement("INSERT INTO usage_backfill.run_insert"
                + " (job_instance_id, target_table, ids, digests) VALUES (?, ?, ?::uuid[], ?::bigint[])")) {
            st.setLong(1, jobInstanceId);
            st.setString(2, table.display());
            st.setArray(3, connection.createArrayOf("uuid", ids));
            st.setArray(4, connection.createArrayOf("bigint", digests));
            st.executeUpdate();
        }
    }
}
