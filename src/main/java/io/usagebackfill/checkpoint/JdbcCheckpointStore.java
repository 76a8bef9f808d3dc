package io.usagebackfill.checkpoint;

import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checkpoints in {@code usage_backfill.checkpoint}, one row per run, as JSON. Uses the transaction-bound
 * connection, so each save commits with its chunk. Thread-safe.
 */
public final class JdbcCheckpointStore implements CheckpointStore {

    private final JdbcTemplate jdbc;
    private final JsonMapper json = StateJson.MAPPER;

    public JdbcCheckpointStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<Checkpoint> load(long jobInstanceId) {
        List<String> state = jdbc.queryForList(
                "SELECT state FROM usage_backfill.checkpoint WHERE job_instance_id = ?", String.class, jobInstanceId);
        return state.stream().findFirst().map(text -> json.readValue(text, Checkpoint.class));
    }

    @Override
    public void save(long jobInstanceId, Checkpoint checkpoint) {
        jdbc.update("""
                INSERT INTO usage_backfill.checkpoint (job_instance_id, state, updated_at) VALUES (?, ?, now())
                ON CONFLICT (job_instance_id) DO UPDATE SET state = excluded.state, updated_at = now()""",
                jobInstanceId, json.writeValueAsString(checkpoint));
    }
}
