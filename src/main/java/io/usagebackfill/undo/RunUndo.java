package io.usagebackfill.undo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import io.usagebackfill.load.InsertedRows;
import io.usagebackfill.source.FileLedger;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * Takes back exactly the rows one run inserted, from the run's own record of them ({@code usage_backfill.run_insert}):
 * a row is deleted only when it still holds what the run wrote, so nothing the table held before the run (which the
 * run never recorded), nothing the app wrote and nothing changed since is removed. Works a chunk's record per
 * transaction, which deletes its rows and drops the record together and adds to the run's totals in
 * {@code usage_backfill.run_undo}: an undo killed half-way and run again goes on where it stopped and ends with
 * exact totals. The caller holds the run lock. Not thread-safe.
 */
public final class RunUndo {

    private final DataSource dataSource;

    public RunUndo(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * What undoing the run would remove, changing nothing.
     *
     * @param includeChanged as {@link #undo}'s: the changed rows would go too
     */
    public UndoOutcome plan(UndoTarget target, boolean includeChanged) throws SQLException {
        UndoOutcome outcome = UndoOutcome.empty(target.runId(), target.table());
        try (Connection connection = dataSource.getConnection()) {
            connection.setReadOnly(true);
            long after = 0;
            for (InsertedRows.Record record; (record = InsertedRows.next(connection, target.runId(), after,
                    false)) != null; after = record.recordId()) {
                InsertedRows.Examined seen = InsertedRows.examine(connection, record, false, includeChanged);
                outcome = includeChanged
                        ? outcome.plus(seen.asWritten().size() + seen.changed().size(), seen.gone(), List.of(),
                                seen.perDay(), seen.perModel())
                        : outcome.plus(seen.asWritten().size(), seen.gone(), seen.changed(), seen.perDay(),
                                seen.perModel());
            }
        }
        return outcome;
    }

    /**
     * Removes the run's rows and marks the run undone.
     *
     * @param includeChanged also remove the run's rows changed since it wrote them
     */
    public UndoOutcome undo(UndoTarget target, boolean includeChanged) throws SQLException {
        UndoOutcome outcome = UndoOutcome.empty(target.runId(), target.table());
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                begin(connection, target);
                connection.commit();
                for (InsertedRows.Record record; (record = InsertedRows.next(connection, target.runId(), 0,
                        true)) != null; ) {
                    InsertedRows.Examined seen = InsertedRows.examine(connection, record, true, includeChanged);
                    List<UUID> doomed = new ArrayList<>(seen.asWritten());
                    if (includeChanged) {
                        doomed.addAll(seen.changed());
                    }
                    long deleted = InsertedRows.delete(connection, record.table(), doomed);
                    List<UUID> kept = includeChanged ? List.of() : seen.changed();
                    // A row deleted between the look and the delete cannot be: the look locked them all.
                    outcome = outcome.plus(deleted, seen.gone(), kept, seen.perDay(), seen.perModel());
                    InsertedRows.forget(connection, record.recordId());
                    count(connection, target.runId(), deleted, seen.gone(), kept.size());
                    connection.commit();
                }
                outcome = finish(connection, target.runId(), outcome);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
        return outcome;
    }

    /**
     * Records the undo as begun (kept when it is run again), makes the run's unfinished executions impossible to
     * restart (a restart would load the rows again), and frees its run key, so the same key imports anew.
     */
    private static void begin(Connection connection, UndoTarget target) throws SQLException {
        update(connection, "INSERT INTO usage_backfill.run_undo (job_instance_id, target_table) VALUES (?, ?)"
                + " ON CONFLICT (job_instance_id) DO NOTHING", target.runId(), target.table());
        update(connection, "UPDATE usage_backfill.batch_job_execution SET status = 'ABANDONED', exit_code ="
                + " 'ABANDONED', exit_message = 'undone', end_time = coalesce(end_time, now()) WHERE job_instance_id = ?"
                + " AND status NOT IN ('COMPLETED', 'ABANDONED')", target.runId());
        update(connection, "UPDATE usage_backfill.batch_job_instance SET job_key = md5('undone ' || job_key)"
                + " WHERE job_instance_id = ? AND EXISTS (SELECT 1 FROM usage_backfill.batch_job_execution e JOIN"
                + " usage_backfill.batch_job_execution_params p ON p.job_execution_id = e.job_execution_id WHERE"
                + " e.job_instance_id = ? AND p.parameter_name = 'runKey' AND p.identifying = 'Y')"
                + " AND NOT EXISTS (SELECT 1 FROM usage_backfill.run_undo WHERE job_instance_id = ?"
                + " AND finished_at IS NOT NULL)", target.runId(), target.runId(), target.runId());
    }

    private static void count(Connection connection, long runId, long removed, long gone, long changed)
            throws SQLException {
        update(connection, "UPDATE usage_backfill.run_undo SET removed = removed + ?, gone = gone + ?,"
                + " changed = changed + ? WHERE job_instance_id = ?", removed, gone, changed, runId);
    }

    /**
     * The undo's last transaction: the ledger forgets the run's files (the next incremental run reads them again)
     * and the run's rejected lines go (reading them again rejects them again); the totals are the run_undo row's,
     * which an earlier, interrupted undo of the same run added to.
     */
    private static UndoOutcome finish(Connection connection, long runId, UndoOutcome outcome) throws SQLException {
        JdbcTemplate jdbc = new JdbcTemplate(new SingleConnectionDataSource(connection, true));
        int forgotten = FileLedger.forgetRun(jdbc, runId);
        int rejects = jdbc.update("DELETE FROM usage_backfill.rejected_line WHERE job_instance_id = ?", runId);
        update(connection, "UPDATE usage_backfill.run_undo SET finished_at = coalesce(finished_at, now())"
                + " WHERE job_instance_id = ?", runId);
        try (PreparedStatement st = connection.prepareStatement(
                "SELECT removed, gone, changed FROM usage_backfill.run_undo WHERE job_instance_id = ?")) {
            st.setLong(1, runId);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return outcome.withTotals(rs.getLong(1), rs.getLong(2), rs.getLong(3)).finished(forgotten, rejects);
            }
        }
    }

    private static void update(Connection connection, String sql, Object... values) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                st.setObject(i + 1, values[i]);
            }
            st.executeUpdate();
        }
    }
}
