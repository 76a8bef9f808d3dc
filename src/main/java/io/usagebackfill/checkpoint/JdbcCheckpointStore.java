package io.usagebackfill.checkpoint;

import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checkpoints in {@code usage_backfill.partition_checkpoint}, one row per run and partition, as JSON. Uses the
 * transaction-bound connection, so each save commits with its chunk; partitions write rows of their own, so they
 * never wait on each other's checkpoint. Thread-safe.
 */
public final class JdbcCheckpointStore implements CheckpointStore {

    private final JdbcTemplate jdbc;
    private final JsonMapper json = StateJson.MAPPER;

    public JdbcCheckpointStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<Checkpoint> load(long jobInstanceId, int partition) {
        List<String> state = jdbc.queryForList("SELECT state FROM usage_backfill.partition_checkpoint"
                + " WHERE job_instance_id = ? AND partition_no = ?", String.class, jobInstanceId, partition);
        return state.stream().findFirst().map(text -> json.readValue(text, Checkpoint.class));
    }

    @Override
    public List<Checkpoint> loadAll(long jobInstanceId) {
        return jdbc.queryForList("SELECT state FROM usage_backfill.partition_checkpoint WHERE job_instance_id = ?"
                + " ORDER BY partition_no", String.class, jobInstanceId).stream()
                .map(text -> json.readValue(text, Checkpoint.class)).toList();
    }

    @Override
    public void save(long jobInstanceId, int partition, Checkpoint checkpoint) {
        jdbc.update("""
                INSERT INTO usage_backfill.partition_checkpoint (job_instance_id, partition_no, state, updated_at)
                VALUES (?, ?, ?, now())
                ON CONFLICT (job_instance_id, partition_no) DO UPDATE SET state = excluded.state, updated_at = now()""",
                jobInstanceId, partition, json.writeValueAsString(checkpoint));
    }
}
