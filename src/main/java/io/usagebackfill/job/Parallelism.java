package io.usagebackfill.job;

/**
 * How many partitions a run loads at once when {@code --threads} is not given: one per CPU for an input large
 * enough to split, one for a small input, where a second partition's connection, thread and rejects merge cost
 * more than they save. Measured on two CPUs with the database on the same machine: a 120 MB log loads about 10%
 * faster in two partitions, a 400 MB one about 25%. Stateless.
 */
public final class Parallelism {

    /** The input a partition should have at least before the run is split for it. */
    public static final long BYTES_PER_PARTITION = 32L << 20;

    private Parallelism() {
    }

    /**
     * @param inputBytes bytes the run's files hold (compressed files count as they are stored)
     * @param cpus the CPUs this process may use
     * @param max the most partitions a run may have
     */
    public static int byDefault(long inputBytes, int cpus, int max) {
        long bySize = Math.max(1, inputBytes / BYTES_PER_PARTITION);
        return (int) Math.max(1, Math.min(Math.min(bySize, cpus), max));
    }
}
