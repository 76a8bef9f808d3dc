package io.usagebackfill.reject;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.usagebackfill.catalog.RejectedLineException;
import org.springframework.batch.core.step.skip.SkipLimitExceededException;
import org.springframework.batch.core.step.skip.SkipPolicy;

/**
 * {@code --skip-limit} for a whole execution, however many partitions share it and wherever they run: a partition
 * may skip a rejected line while all partitions' skips together stay under the limit. A partition running in this
 * process counts with its skips so far; one running elsewhere (a remote worker) with the skips its committed chunks
 * recorded, read again before each chunk. With one partition it is Spring Batch's limit-checking policy.
 * Thread-safe.
 */
public final class RunSkipLimit {

    private final long limit;
    private final Supplier<Map<Integer, Long>> committed;
    private final Map<Integer, Long> skipsByPartition = new ConcurrentHashMap<>();
    private volatile Map<Integer, Long> committedByPartition = Map.of();

    public RunSkipLimit(long limit) {
        this(limit, Map::of);
    }

    /** @param committed the skips by partition that the execution's partitions have committed, wherever they ran */
    public RunSkipLimit(long limit, Supplier<Map<Integer, Long>> committed) {
        this.limit = limit;
        this.committed = committed;
    }

    /** Reads the committed skips of all partitions again; a partition calls it before each chunk. */
    public void refresh() {
        committedByPartition = Map.copyOf(committed.get());
    }

    /** The policy partition {@code partition} asks, telling it that partition's own skips so far. */
    public SkipPolicy forPartition(int partition) {
        return (Throwable t, long skipCount) -> {
            if (!(t instanceof RejectedLineException)) {
                return false;
            }
            skipsByPartition.put(partition, skipCount);
            if (total() >= limit) {
                throw new SkipLimitExceededException(limit, t);
            }
            return true;
        };
    }

    private long total() {
        Map<Integer, Long> elsewhere = committedByPartition;
        Set<Integer> partitions = new HashSet<>(skipsByPartition.keySet());
        partitions.addAll(elsewhere.keySet());
        long total = 0;
        for (int p : partitions) {
            total += Math.max(skipsByPartition.getOrDefault(p, 0L), elsewhere.getOrDefault(p, 0L));
        }
        return total;
    }
}
