package io.usagebackfill.checkpoint;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Checkpoints for a run without a database ({@code --csv-out}): kept for the report, gone with the process. */
public final class InMemoryCheckpointStore implements CheckpointStore {

    private final Map<Long, Checkpoint> checkpoints = new ConcurrentHashMap<>();

    @Override
    public Optional<Checkpoint> load(long jobInstanceId) {
        return Optional.ofNullable(checkpoints.get(jobInstanceId));
    }

    @Override
    public void save(long jobInstanceId, Checkpoint checkpoint) {
        checkpoints.put(jobInstanceId, checkpoint);
    }
}
