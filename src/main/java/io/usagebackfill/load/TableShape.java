package io.usagebackfill.load;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What the target table looks like in the database: whether it exists, its columns and their types, and which
 * tables its {@code user_id}/{@code session_id} foreign keys point at (read from the catalog, so renamed parent
 * tables work).
 *
 * @param columnTypes column name to the oid of its type, in the table's order
 * @param references column name to the referenced table and column, as SQL ({@code public.users}, {@code id})
 * @param uniqueKey the columns of the unique index (a primary key or unique constraint, checked at once) that lets
 *     the database refuse a row already there, which is what loads each event once: {@code id}, or {@code id} and
 *     {@code created_at} (what a table partitioned by RANGE on {@code created_at} can have: an event's id and time
 *     both come from its line, so either key refuses its second copy); empty when the table has neither
 * @param costType the SQL type of {@code cost_usd} when it cannot hold whole micro-dollars as they are (a numeric
 *     with decimals, a float, money, text: a table made for dollars), else null
 * @param rowSecurity whether row-level security applies to the current role on the table (it is enabled there, and
 *     the role is no superuser, has no BYPASSRLS, and is not the owner of a table without FORCE): PostgreSQL then
 *     refuses COPY into it, and checks the policies on each row an INSERT adds
 */
public record TableShape(boolean exists, Map<String, Integer> columnTypes, Map<String, Reference> references,
        List<String> uniqueKey, String costType, boolean rowSecurity) {

    /** Columns the loader writes; the table may have more. */
    public static final List<String> REQUIRED = List.of("id", "user_id", "session_id", "provider", "model",
            "prompt_tokens", "completion_tokens", "total_tokens", "cost_usd", "created_at");

    // The built-in types' oids (pg_type.dat), fixed since PostgreSQL's first releases.
    private static final int INT8 = 20;
    private static final int INT2 = 21;
    private static final int NUMERIC = 1700;
    private static final int INT4 = 23;
    private static final int TEXT = 25;
    private static final int VARCHAR = 1043;
    private static final int TIMESTAMP = 1114;
    private static final int TIMESTAMPTZ = 1184;
    private static final int UUID = 2950;

    /** @param checkedAtCommit whether the foreign key is {@code INITIALLY DEFERRED}: checked at commit, not by the COPY */
    public record Reference(String table, String column, boolean checkedAtCommit) {
    }

    public static TableShape inspect(Connection connection, TargetTable table) throws SQLException {
        Map<String, Integer> columns = new LinkedHashMap<>();
        try (PreparedStatement st = connection.prepareStatement(
                "SELECT attname, atttypid::int4 FROM pg_attribute WHERE attrelid = to_regclass(?) AND attnum > 0"
                        + " AND NOT attisdropped ORDER BY attnum")) {
            st.setString(1, table.sql());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    columns.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        Map<String, Reference> references = new HashMap<>();
        try (PreparedStatement st = connection.prepareStatement("""
                SELECT a.attname, c.confrelid::regclass::text, fa.attname, c.condeferred
                FROM pg_constraint c
                JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
                JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = c.confkey[1]
                WHERE c.conrelid = to_regclass(?) AND c.contype = 'f' AND array_length(c.conkey, 1) = 1""")) {
            st.setString(1, table.sql());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    references.put(rs.getString(1), new Reference(rs.getString(2), rs.getString(3),
                            rs.getBoolean(4)));
                }
            }
        }
        boolean rowSecurity = false;
        if (!columns.isEmpty()) {
            try (PreparedStatement st = connection.prepareStatement("SELECT row_security_active(?::regclass)")) {
                st.setString(1, table.sql());
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    rowSecurity = rs.getBoolean(1);
                }
            }
        }
        return new TableShape(!columns.isEmpty(), columns, references, uniqueKey(connection, table),
                costType(connection, table), rowSecurity);
    }

    /**
     * The narrowest unique key among those on {@code (id)} and {@code (id, created_at)}, in either order; a
     * partial, deferred or unfinished index refuses nothing at once, so it does not count.
     */
    private static List<String> uniqueKey(Connection connection, TargetTable table) throws SQLException {
        List<String> found = List.of();
        try (PreparedStatement st = connection.prepareStatement("""
                SELECT array_agg(a.attname::text ORDER BY k.n)
                FROM pg_index i
                CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k (attnum, n)
                LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                WHERE i.indrelid = to_regclass(?) AND i.indisunique AND i.indimmediate AND i.indisvalid
                    AND i.indpred IS NULL AND k.n <= i.indnkeyatts
                GROUP BY i.indexrelid""")) {
            st.setString(1, table.sql());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    List<String> key = java.util.Arrays.asList((String[]) rs.getArray(1).getArray());
                    if (key.equals(List.of("id"))) {
                        return List.of("id");
                    }
                    if (key.size() == 2 && key.containsAll(List.of("id", "created_at"))) {
                        found = List.of("id", "created_at");
                    }
                }
            }
        }
        return found;
    }

    /** Whether a unique key refuses a second copy of a row (see {@link #uniqueKey}). */
    public boolean uniqueId() {
        return !uniqueKey.isEmpty();
    }

    /** The unique key's columns as {@code ON CONFLICT} names them: {@code (id)} or {@code (id, created_at)}. */
    String conflictTarget() {
        return "(" + String.join(", ", uniqueKey) + ")";
    }

    /**
     * The guide stores {@code cost_usd} as an INT of micro-dollars, which is what the rows carry; a column of
     * another scale would hold them a million times too large (0.5 USD as 500000.000000), the reconciliation none
     * the wiser, since it reads the column back in the same unit. Integer types, and numeric without decimals,
     * are whole micro-dollars; a domain counts as its base type.
     */
    private static String costType(Connection connection, TargetTable table) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("""
                SELECT format_type(a.atttypid, a.atttypmod), coalesce(nullif(t.typbasetype, 0), a.atttypid)::int4,
                    CASE WHEN t.typbasetype <> 0 THEN t.typtypmod ELSE a.atttypmod END
                FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
                WHERE a.attrelid = to_regclass(?) AND a.attname = 'cost_usd' AND NOT a.attisdropped""")) {
            st.setString(1, table.sql());
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                int base = rs.getInt(2);
                int modifier = rs.getInt(3);
                boolean whole = base == INT2 || base == INT4 || base == INT8
                        || (base == NUMERIC && modifier >= 4 && ((modifier - 4) & 0xffff) == 0);
                return whole ? null : rs.getString(1);
            }
        }
    }

    /** Whether a reference is checked only at commit, where a failure would fail the chunk instead of one COPY. */
    boolean checksReferencesAtCommit() {
        return references.values().stream().anyMatch(Reference::checkedAtCommit);
    }

    public Set<String> columns() {
        return columnTypes.keySet();
    }

    /** The required columns the table lacks; empty when it can be loaded. */
    public List<String> missingColumns() {
        return REQUIRED.stream().filter(c -> !columnTypes.containsKey(c)).toList();
    }

    /**
     * How the rows go into the table in COPY's binary format, when each required column has the guide's type or
     * one stored alike (varchar for text, bigint for integer, timestamp without time zone); null when one has
     * another (a domain, numeric, char(n)), and the rows then go as CSV, which the server converts to any type.
     */
    BinaryCopyRows.Layout binaryLayout() {
        boolean binary = Stream.of("id", "user_id", "session_id").allMatch(c -> typeOf(c) == UUID)
                && Stream.of("provider", "model").allMatch(c -> typeOf(c) == TEXT || typeOf(c) == VARCHAR)
                && Stream.of("prompt_tokens", "completion_tokens", "total_tokens", "cost_usd")
                        .allMatch(c -> typeOf(c) == INT4 || typeOf(c) == INT8)
                && (typeOf("created_at") == TIMESTAMPTZ || typeOf("created_at") == TIMESTAMP);
        return binary ? new BinaryCopyRows.Layout(bytes("prompt_tokens"), bytes("completion_tokens"),
                bytes("total_tokens"), bytes("cost_usd")) : null;
    }

    private int typeOf(String column) {
        return columnTypes.getOrDefault(column, 0);
    }

    private int bytes(String integerColumn) {
        return typeOf(integerColumn) == INT8 ? Long.BYTES : Integer.BYTES;
    }
}
