package io.usagebackfill.checkpoint;

import java.util.List;
import java.util.Optional;

/**
 * Saves and loads checkpoints, keyed by the Spring Batch job instance (the run, across its restarts) and the
 * partition of the load step (0 when the run is not split).
 */
public interface CheckpointStore {

    Optional<Checkpoint> load(long jobInstanceId, int partition);

    /** Every partition's checkpoint of the run, in partition order. */
    List<Checkpoint> loadAll(long jobInstanceId);

    /** Saves within the caller's transaction where there is one. */
    void save(long jobInstanceId, int partition, Checkpoint checkpoint);
}
