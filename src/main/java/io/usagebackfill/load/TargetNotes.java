package io.usagebackfill.load;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a run found out about its table before loading, for its report: how the rows go in and why, how the table is
 * partitioned, the partitions the logs' events need that are not there (a dry run lists them; a run with
 * {@code --create-partitions} made them) and the DEFAULT partition, if any. Immutable.
 *
 * @param loadPath how the rows go into the table, and why
 * @param rowLevelSecurity whether row-level security applies to the run's role
 * @param partitioning the partition key ({@code RANGE (created_at)}), or null for a table that is not partitioned
 * @param missingPartitions the partitions the events need that are not there (a dry run's plan)
 * @param createdPartitions the partitions the run made before loading ({@code --create-partitions})
 * @param defaultPartition the DEFAULT partition, or null
 */
public record TargetNotes(String loadPath, boolean rowLevelSecurity, String partitioning,
        List<Partition> missingPartitions, List<Partition> createdPartitions, String defaultPartition) {

    /**
     * One partition the events need.
     *
     * @param events how many of the events read fall in it
     * @param ddl the statement that makes it
     */
    public record Partition(String name, Instant from, Instant to, long events, String ddl) {
    }

    /** The partitions of {@code missing}, with their statements, in time order. */
    public static List<Partition> partitions(PartitionLayout layout, Map<PartitionRange, Long> missing) {
        return missing.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(java.util.Comparator.comparing(PartitionRange::from)))
                .map(e -> new Partition(layout.typed(e.getKey()), e.getKey().from(), e.getKey().to(), e.getValue(),
                        layout.ddl(e.getKey()))).toList();
    }
}
