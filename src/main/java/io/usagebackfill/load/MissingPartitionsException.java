package io.usagebackfill.load;

import java.sql.SQLException;
import java.util.Comparator;
import java.util.Locale;
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

    private MissingPartitionsException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * {@code --create-partitions} was refused making them (a role that does not own the table, a name taken): as much
     * a configuration error, with the statements to run as the table's owner.
     */
    public static MissingPartitionsException notMade(PartitionLayout layout, Map<PartitionRange, Long> missing,
            SQLException refused) {
        String reason = refused.getMessage() == null ? refused.getClass().getSimpleName()
                : refused.getMessage().lines().findFirst().orElse("").replaceFirst("^ERROR: ", "");
        return new MissingPartitionsException("--create-partitions could not make the partition"
                + (missing.size() == 1 ? "" : "s") + " table " + layout.table().display() + " needs for "
                + ranges(missing) + " (" + reason + "), so nothing was written; make "
                + (missing.size() == 1 ? "it" : "them") + " as the table's owner (" + layout.ddl(missing.keySet())
                + ") and `restart`", refused);
    }

    private static String message(PartitionLayout layout, Map<PartitionRange, Long> missing) {
        long events = missing.values().stream().mapToLong(Long::longValue).sum();
        return "table " + layout.table().display() + " has no partition for " + String.format(Locale.ROOT, "%,d",
                events) + " of the logs' events, in " + ranges(missing) + ", and no DEFAULT partition, so nothing was"
                + " written; make " + (missing.size() == 1 ? "it" : "them") + " (" + layout.ddl(missing.keySet())
                + ") and `restart`, or import again with --create-partitions to have the tool make "
                + (missing.size() == 1 ? "it" : "them") + " like the table's other partitions"
                + (layout.partman() != null ? ", through pg_partman" : "");
    }

    /** The ranges in time order, each with its events. */
    private static String ranges(Map<PartitionRange, Long> missing) {
        return missing.entrySet().stream()
                .sorted(Comparator.comparing(e -> e.getKey().from(), Comparator.nullsFirst(Comparator.naturalOrder())))
                .map(e -> e.getKey().describe() + " (" + String.format(Locale.ROOT, "%,d", e.getValue())
                        + (e.getValue() == 1 ? " event)" : " events)"))
                .collect(Collectors.joining(", "));
    }
}
