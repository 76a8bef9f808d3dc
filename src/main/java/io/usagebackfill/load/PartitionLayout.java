package io.usagebackfill.load;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * How the target table is partitioned, read from the catalog: not at all; by RANGE on {@code created_at} alone
 * (the partitioning the tool can check rows against, and make partitions for); or otherwise (LIST, HASH, other
 * columns), where the database alone places rows. With the range partitions, the DEFAULT partition if there is one
 * (it takes the rows no other partition fits) and whether pg_partman manages the table (its {@code part_config}
 * names it), in which case new partitions are made through pg_partman's own function so that its configuration
 * stays the truth. Immutable and thread-safe.
 *
 * @param how {@code RANGE (created_at)}, {@code HASH (id)}, …, or null when the table is not partitioned
 * @param keyColumns the partition key's columns (null for an expression), empty when the table is not partitioned
 * @param byTime whether it is partitioned by RANGE on {@code created_at} alone
 * @param withZone whether {@code created_at} is a {@code timestamptz} (else a {@code timestamp}, holding UTC)
 * @param ranges the range partitions (empty unless {@code byTime})
 * @param defaultPartition the DEFAULT partition, or null
 * @param partman the schema pg_partman is installed in when it manages the table, else null
 * @param partmanParent the table as pg_partman's {@code part_config} names it ({@code public.token_usage})
 * @param schema the schema the table is in
 */
public record PartitionLayout(TargetTable table, String how, List<String> keyColumns, boolean byTime,
        boolean withZone, List<PartitionRange> ranges, PartitionRange defaultPartition, String partman,
        String partmanParent, String schema) {

    public static final PartitionLayout NONE = new PartitionLayout(null, null, List.of(), false, true, List.of(),
            null, null, null, null);

    /** A partition's name as a person types it: with its schema only where it is not the table's. */
    public String typed(PartitionRange partition) {
        return partition.schema().equals(schema) && table.schema() == null ? TargetTable.typed(partition.name())
                : partition.typed();
    }

    /**
     * The unique key that loads each event once and that PostgreSQL allows on this table, as SQL lists it:
     * {@code id} for a table not partitioned or partitioned by {@code id}, {@code id, created_at} for one
     * partitioned by {@code created_at} (or both); null when the partition key has another column, which every
     * unique key of the table must then hold.
     */
    public String uniqueKeyAllowed() {
        if (keyColumns.stream().anyMatch(c -> !"id".equals(c) && !"created_at".equals(c))) {
            return null;
        }
        return keyColumns.contains("created_at") ? "id, created_at" : "id";
    }

    public boolean partitioned() {
        return how != null;
    }

    /**
     * Whether a row's time may have no partition, which the run must find out before it writes any: the table is
     * partitioned by time with no DEFAULT partition to take such rows.
     */
    public boolean needsEveryTime() {
        return byTime && defaultPartition == null;
    }

    /** The partitions there, and those a time with none would need. */
    public PartitionGrid grid() {
        return new PartitionGrid(table.name(), schema, ranges);
    }

    public static PartitionLayout inspect(Connection connection, TargetTable table) throws SQLException {
        String how;
        List<String> keyColumns;
        boolean byTime;
        boolean withZone;
        try (PreparedStatement st = connection.prepareStatement("""
                SELECT pg_get_partkeydef(p.partrelid), p.partstrat = 'r' AND p.partnatts = 1 AND a.attname = 'created_at'
                    AND a.atttypid IN ('timestamptz'::regtype, 'timestamp'::regtype), a.atttypid = 'timestamptz'::regtype,
                    (SELECT array_agg(k.attname::text) FROM unnest(p.partattrs::int2[]) AS u (attnum)
                        LEFT JOIN pg_attribute k ON k.attrelid = p.partrelid AND k.attnum = u.attnum)
                FROM pg_partitioned_table p
                LEFT JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
                WHERE p.partrelid = to_regclass(?)""")) {
            st.setString(1, table.sql());
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return NONE;
                }
                how = rs.getString(1);
                byTime = rs.getBoolean(2);
                withZone = rs.getBoolean(3);
                keyColumns = java.util.Arrays.asList((String[]) rs.getArray(4).getArray());
            }
        }
        List<PartitionRange> ranges = new ArrayList<>();
        PartitionRange defaultPartition = null;
        // The bounds as the server writes them, cast back by the server: no date format to parse here.
        String bound = "(regexp_match(pg_get_expr(c.relpartbound, c.oid), 'FROM \\((.*)\\) TO \\((.*)\\)'))";
        String time = withZone ? "::timestamptz" : "::timestamp AT TIME ZONE 'UTC'";
        try (PreparedStatement st = connection.prepareStatement("SELECT n.nspname, c.relname,"
                + " pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT', "
                + (byTime ? "CASE WHEN " + bound + "[1] = 'MINVALUE' THEN NULL ELSE trim(both '''' FROM " + bound
                        + "[1])" + time + " END, CASE WHEN " + bound + "[2] = 'MAXVALUE' THEN NULL ELSE trim(both ''''"
                        + " FROM " + bound + "[2])" + time + " END" : "NULL::timestamptz, NULL::timestamptz")
                + " FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE i.inhparent = to_regclass(?)")) {
            st.setString(1, table.sql());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    OffsetDateTime from = rs.getObject(4, OffsetDateTime.class);
                    OffsetDateTime to = rs.getObject(5, OffsetDateTime.class);
                    PartitionRange range = new PartitionRange(rs.getString(1), rs.getString(2),
                            from == null ? null : from.toInstant(), to == null ? null : to.toInstant());
                    if (rs.getBoolean(3)) {
                        defaultPartition = range;
                    } else if (byTime) {
                        ranges.add(range);
                    }
                }
            }
        }
        String[] partman = partman(connection, table);
        return new PartitionLayout(table, how, keyColumns, byTime, withZone, List.copyOf(ranges), defaultPartition,
                partman[0], partman[1], partman[2]);
    }

    /**
     * pg_partman's schema and the table as its part_config names it, or nulls when pg_partman does not manage the
     * table; and the table's schema.
     */
    private static String[] partman(Connection connection, TargetTable table) throws SQLException {
        String partman;
        String schema;
        String parent;
        try (PreparedStatement st = connection.prepareStatement("SELECT (SELECT n.nspname FROM pg_extension e"
                + " JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_partman'), n.nspname,"
                + " n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE c.oid = to_regclass(?)")) {
            st.setString(1, table.sql());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                partman = rs.getString(1);
                schema = rs.getString(2);
                parent = rs.getString(3);
            }
        }
        if (partman == null) {
            return new String[] {null, null, schema};
        }
        try (PreparedStatement st = connection.prepareStatement("SELECT EXISTS (SELECT 1 FROM "
                + TargetTable.quote(partman) + ".part_config WHERE parent_table = ?)")) {
            st.setString(1, parent);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getBoolean(1) ? new String[] {partman, parent, schema} : new String[] {null, null, schema};
            }
        }
    }

    /**
     * The statement that makes {@code range}'s partition, as a person would type it: {@code CREATE TABLE …
     * PARTITION OF …}, so the table's indexes and constraints follow; or pg_partman's {@code create_partition_time}
     * where it manages the table.
     */
    public String ddl(PartitionRange range) {
        return ddl(range, false);
    }

    /** {@link #ddl(PartitionRange)}, with every name quoted and qualified where {@code exact}, to run. */
    private String ddl(PartitionRange range, boolean exact) {
        if (partman != null) {
            return "SELECT " + (exact ? TargetTable.quote(partman) : TargetTable.typed(partman))
                    + ".create_partition_time(p_parent_table => '" + partmanParent.replace("'", "''")
                    + "', p_partition_times => ARRAY[" + PartitionRange.literal(range.from(), true)
                    + "]::timestamptz[])";
        }
        return "CREATE TABLE " + (exact ? range.sql() : typed(range)) + " PARTITION OF "
                + (exact ? table.sql() : table.typed()) + " FOR VALUES FROM ("
                + PartitionRange.literal(range.from(), withZone) + ") TO (" + PartitionRange.literal(range.to(), withZone)
                + ")";
    }

    /** The statements for {@code ranges}, one after the other, as a message quotes them. */
    public String ddl(Collection<PartitionRange> ranges) {
        return ranges.stream().map(this::ddl).collect(Collectors.joining("; "));
    }

    /**
     * Makes the partitions, in the caller's transaction.
     *
     * @throws SQLException when the database refuses one (a name taken, a right missing, rows of that range in a
     *     DEFAULT partition)
     */
    public void create(Connection connection, Collection<PartitionRange> ranges) throws SQLException {
        try (Statement st = connection.createStatement()) {
            for (PartitionRange range : ranges) {
                st.execute(ddl(range, true));
            }
        }
    }
}
