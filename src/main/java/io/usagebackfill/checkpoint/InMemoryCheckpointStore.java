package io.usagebackfill.checkpoint;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** Checkpoints for a run without a database ({@code --csv-out}): kept for the report, gone with the process. */
public final class InMemoryCheckpointStore implements CheckpointStore {

    private final Map<String, Checkpoint> checkpoints = new ConcurrentSkipListMap<>();

    @Override
    public Optional<Checkpoint> load(long jobInstanceId, int partition) {
        return Optional.ofNullable(checkpoints.get(key(jobInstanceId, partition)));
    }

    @Override
    public List<Checkpoint> loadAll(long jobInstanceId) {
        String prefix = jobInstanceId + "/";
        return checkpoints.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).map(Map.Entry::getValue)
                .toList();
    }

    @Override
    public void save(long jobInstanceId, int partition, Checkpoint checkpoint) {
        checkpoints.put(key(jobInstanceId, partition), checkpoint);
    }

    /** Sorts by run, then partition number. */
    private static String key(long jobInstanceId, int partition) {
        return jobInstanceId + "/" + String.format("%06d", partition);
    }
}
