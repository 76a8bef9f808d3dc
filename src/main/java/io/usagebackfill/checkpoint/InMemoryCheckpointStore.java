package io.usagebackfill.checkpoint;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** Checkpoints for a run without a database ({@code --csv-out}): kept for the report, gone with the process. */
public final class InMemoryCheckpointStore implements CheckpointStore {

    /** By run, then by partition in partition order. */
    private final Map<Long, Map<Integer, Checkpoint>> checkpoints = new ConcurrentHashMap<>();

    @Override
    public Optional<Checkpoint> load(long jobInstanceId, int partition) {
        return Optional.ofNullable(checkpoints.getOrDefault(jobInstanceId, Map.of()).get(partition));
    }

    @Override
    public List<Checkpoint> loadAll(long jobInstanceId) {
        return List.copyOf(checkpoints.getOrDefault(jobInstanceId, Map.of()).values());
    }

    @Override
    public void save(long jobInstanceId, int partition, Checkpoint checkpoint) {
        checkpoints.computeIfAbsent(jobInstanceId, run -> new ConcurrentSkipListMap<>()).put(partition, checkpoint);
    }
}
