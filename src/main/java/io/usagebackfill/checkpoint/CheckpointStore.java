package io.usagebackfill.checkpoint;

import java.util.Optional;

/** Saves and loads a run's checkpoint, keyed by the Spring Batch job instance (the run, across its restarts). */
public interface CheckpointStore {

    Optional<Checkpoint> load(long jobInstanceId);

    /** Saves within the caller's transaction where there is one. */
    void save(long jobInstanceId, Checkpoint checkpoint);
}
