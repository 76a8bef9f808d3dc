package io.usagebackfill.reject;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.usagebackfill.normalize.RejectedLineException;
import org.springframework.batch.core.step.skip.SkipLimitExceededException;
import org.springframework.batch.core.step.skip.SkipPolicy;

/**
 * {@code --skip-limit} for a whole execution, however many partitions share it: a partition may skip a rejected
 * line while all partitions' skips together stay under the limit. With one partition it is Spring Batch's
 * limit-checking policy. Thread-safe.
 */
public final class RunSkipLimit {

    private final long limit;
    private final Map<Integer, Long> skipsByPartition = new ConcurrentHashMap<>();

    public RunSkipLimit(long limit) {
        this.limit = limit;
    }

    /** The policy partition {@code partition} asks, telling it that partition's own skips so far. */
    public SkipPolicy forPartition(int partition) {
        return (Throwable t, long skipCount) -> {
            if (!(t instanceof RejectedLineException)) {
                return false;
            }
            skipsByPartition.put(partition, skipCount);
            long total = skipsByPartition.values().stream().mapToLong(Long::longValue).sum();
            if (total >= limit) {
                throw new SkipLimitExceededException(limit, t);
            }
            return true;
        };
    }
}
