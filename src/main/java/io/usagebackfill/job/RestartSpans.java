package io.usagebackfill.job;

import static io.usagebackfill.job.JobParameterNames.RUN_XIDS;
import static io.usagebackfill.job.JobParameterNames.START_XID;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import javax.sql.DataSource;

import io.usagebackfill.load.RunXids;
import io.usagebackfill.load.TokenUsageLoader;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.beans.factory.ObjectProvider;

/**
 * When a run is restarted, closes the span of transactions its earlier execution inserted in (from its start to
 * its last committed chunk, the youngest {@code xmin} of its checkpoints, which each chunk's transaction updates)
 * and starts a new one, so rows another run inserted while this one was stopped count as already in the table, not
 * as this run's repeats. A first execution has no span yet: discovery starts it. Thread-safe.
 */
final class RestartSpans implements JobExecutionListener {

    private final ObjectProvider<DataSource> dataSource;
    private final JobRepository repository;

    RestartSpans(ObjectProvider<DataSource> dataSource, JobRepository repository) {
        this.dataSource = dataSource;
        this.repository = repository;
    }

    @Override
    public void beforeJob(JobExecution execution) {
        ExecutionContext context = execution.getExecutionContext();
        RunXids before = of(context);
        DataSource ds = dataSource.getIfAvailable();
        if (before == null || ds == null) {
            return;
        }
        try (Connection connection = ds.getConnection()) {
            RunXids now = before.restartedAt(TokenUsageLoader.currentXid(connection),
                    lastChunk(connection, execution.getJobInstance().getInstanceId()));
            context.putString(RUN_XIDS, now.write());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read where the run's earlier execution ended: " + e.getMessage(),
                    e);
        }
        // Saved now: remote workers read the run's context from the database.
        repository.updateExecutionContext(execution);
    }

    /** The spans the run's context holds (a run started by an earlier version kept only its start), or null. */
    static RunXids of(ExecutionContext context) {
        if (context.containsKey(RUN_XIDS)) {
            return RunXids.read(context.getString(RUN_XIDS));
        }
        return context.containsKey(START_XID) ? RunXids.startingAt(context.getLong(START_XID)) : null;
    }

    private static Long lastChunk(Connection connection, long jobInstanceId) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("SELECT xmin::text::bigint FROM"
                + " usage_backfill.partition_checkpoint WHERE job_instance_id = ? ORDER BY age(xmin) LIMIT 1")) {
            st.setLong(1, jobInstanceId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }
}
