package io.usagebackfill.load;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

import io.usagebackfill.normalize.TokenUsage;

/**
 * Keeps which rows a run inserted: one record per chunk in {@code usage_backfill.run_insert}, written in the chunk's
 * own transaction, so it holds exactly the rows that committed, whatever crashes and restarts come between. Each id
 * goes with a digest of the row's values as written, so {@code undo} removes only rows still as the run wrote them.
 * Ids and digests are kept as two byte strings in one row per chunk (16 and 8 bytes an event, sent in binary): one
 * insert per chunk, not a row and an index entry per event. Stateless and thread-safe.
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
        ByteBuffer ids = ByteBuffer.allocate(16 * inserted.size());
        ByteBuffer digests = ByteBuffer.allocate(8 * inserted.size());
        for (TokenUsage row : inserted) {
            ids.putLong(row.id().getMostSignificantBits()).putLong(row.id().getLeastSignificantBits());
            digests.putLong(RowValues.digest(row));
        }
        try (PreparedStatement st = connection.prepareStatement("INSERT INTO usage_backfill.run_insert"
                + " (job_instance_id, target_table, ids, digests) VALUES (?, ?, ?, ?)")) {
            st.setLong(1, jobInstanceId);
            st.setString(2, table.display());
            st.setBytes(3, ids.array());
            st.setBytes(4, digests.array());
            st.executeUpdate();
        }
    }
}
