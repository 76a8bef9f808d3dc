package io.usagebackfill.load;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the target table looks like in the database: whether it exists, its columns, and which tables its
 * {@code user_id}/{@code session_id} foreign keys point at (read from the catalog, so renamed parent tables work).
 *
 * @param references column name to the referenced table and column, as SQL ({@code public.users}, {@code id})
 */
public record TableShape(boolean exists, Set<String> columns, Map<String, Reference> references) {

    /** Columns the loader writes; the table may have more. */
    public static final List<String> REQUIRED = List.of("id", "user_id", "session_id", "provider", "model",
            "prompt_tokens", "completion_tokens", "total_tokens", "cost_usd", "created_at");

    /** @param checkedAtCommit whether the foreign key is {@code INITIALLY DEFERRED}: checked at commit, not by the COPY */
    public record Reference(String table, String column, boolean checkedAtCommit) {
    }

    public static TableShape inspect(Connection connection, TargetTable table) throws SQLException {
        Set<String> columns = new LinkedHashSet<>();
        try (PreparedStatement st = connection.prepareStatement(
                "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(?) AND attnum > 0"
                        + " AND NOT attisdropped ORDER BY attnum")) {
            st.setString(1, table.sql());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    columns.add(rs.getString(1));
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
        return new TableShape(!columns.isEmpty(), columns, references);
    }

    /** Whether a reference is checked only at commit, where a failure would fail the chunk instead of one COPY. */
    boolean checksReferencesAtCommit() {
        return references.values().stream().anyMatch(Reference::checkedAtCommit);
    }

    /** The required columns the table lacks; empty when it can be loaded. */
    public List<String> missingColumns() {
        return REQUIRED.stream().filter(c -> !columns.contains(c)).toList();
    }
}
