package io.usagebackfill.undo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;

import io.usagebackfill.load.InsertedRows;
import io.usagebackfill.run.JobSchema;

/**
 * The run an undo is asked for, as the job's schema knows it.
 *
 * @param table the table the run loaded
 * @param dryRun whether it was a dry run (which changed nothing)
 * @param running whether its latest execution is marked running (alive if the run lock is held, else crashed)
 * @param recorded whether it kept a record of the rows it inserted (runs of versions before that have none)
 * @param undoneAt when an earlier undo of it finished, or null
 * @param undoneRows the rows that earlier undo removed
 */
public record UndoTarget(long runId, String table, boolean dryRun, boolean running, boolean recorded,
        OffsetDateTime undoneAt, long undoneRows) {

    /** The run with this id, or null when there is none. */
    public static UndoTarget find(Connection connection, long runId) throws SQLException {
        if (!JobSchema.hasTable(connection, "batch_job_instance") || !JobSchema.hasTable(connection, "run_undo")) {
            return null;
        }
        try (PreparedStatement st = connection.prepareStatement("SELECT"
                + " (SELECT p.parameter_value FROM usage_backfill.batch_job_execution_params p WHERE"
                + " p.job_execution_id = e.job_execution_id AND p.parameter_name = 'table'),"
                + " (SELECT p.parameter_value FROM usage_backfill.batch_job_execution_params p WHERE"
                + " p.job_execution_id = e.job_execution_id AND p.parameter_name = 'dryRun'),"
                + " e.status IN ('STARTING', 'STARTED', 'STOPPING', 'UNKNOWN'), u.finished_at, u.removed"
                + " FROM usage_backfill.batch_job_execution e LEFT JOIN usage_backfill.run_undo u"
                + " ON u.job_instance_id = e.job_instance_id WHERE e.job_instance_id = ?"
                + " ORDER BY e.job_execution_id DESC LIMIT 1")) {
            st.setLong(1, runId);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                String table = rs.getString(1) == null || rs.getString(1).isEmpty() ? "token_usage" : rs.getString(1);
                return new UndoTarget(runId, table, Boolean.parseBoolean(rs.getString(2)), rs.getBoolean(3),
                        InsertedRows.anyRecord(connection, runId), rs.getObject(4, OffsetDateTime.class),
                        rs.getLong(5));
            }
        }
    }

    /** The run of this job file's paths under this run key, newest first; null when there is none. */
    public static Long runIdOf(Connection connection, String paths, String runKey) throws SQLException {
        if (!JobSchema.hasTable(connection, "batch_job_instance")) {
            return null;
        }
        try (PreparedStatement st = connection.prepareStatement("SELECT e.job_instance_id FROM"
                + " usage_backfill.batch_job_execution e WHERE EXISTS (SELECT 1 FROM"
                + " usage_backfill.batch_job_execution_params k WHERE k.job_execution_id = e.job_execution_id"
                + " AND k.parameter_name = 'runKey' AND k.parameter_value = ?) AND (?::text IS NULL OR EXISTS"
                + " (SELECT 1 FROM usage_backfill.batch_job_execution_params p WHERE p.job_execution_id ="
                + " e.job_execution_id AND p.parameter_name = 'paths' AND p.parameter_value = ?))"
                + " ORDER BY e.job_execution_id DESC LIMIT 1")) {
            st.setString(1, runKey);
            st.setString(2, paths);
            st.setString(3, paths);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }
}
