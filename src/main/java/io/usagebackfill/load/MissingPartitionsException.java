package io.usagebackfill.load;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * The logs hold events whose {@code created_at} no partition of the table takes, and the run was not asked to make
 * them ({@code --create-partitions}): found before any row is written, so nothing was. A configuration error: the
 * partitions, made by hand or by the tool, fix it; a retry alone never does.
 */
public final class MissingPartitionsException extends RuntimeException {

    public MissingPartitionsException(PartitionLayout layout, Map<PartitionRange, Long> missing) {
        super(message(layout, missing));
    }

    private static String message(PartitionLayout layout, Map<PartitionRange, Long> missing) {
        long events = missing.values().stream().mapToLong(Long::longValue).sum();
        String ranges = missing.entrySet().stream()
                .map(e -> e.getKey().describe() + " (" + e.getValue() + (e.getValue() == 1 ? " event)" : " events)"))
                .collect(Collectors.joining(", "));
        return "table " + layout.table().display() + " has no partition for " + events + " of the logs' events, in "
                + ranges + ", and no DEFAULT partition, so nothing was written; make "
                + (missing.size() == 1 ? "it" : "them") + " (" + layout.ddl(missing.keySet()) + ") and `restart`,"
                + " or import again with --create-partitions to have the tool make "
                + (missing.size() == 1 ? "it" : "them") + " like the table's other partitions"
                + (layout.partman() != null ? ", through pg_partman" : "");
    }
}
