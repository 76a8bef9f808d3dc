package io.usagebackfill.load;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.usagebackfill.normalize.TokenUsage;
import org.apache.commons.csv.CSVPrinter;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * Loads one chunk of rows with COPY, exactly once, inside the caller's transaction.
 *
 * <p>A chunk of new rows is copied straight into the table inside a savepoint, which costs no more than a plain
 * COPY. When that hits a row already present (a re-run, a rotated copy, a restart), the savepoint is rolled back and
 * the chunk goes through a temporary staging table and {@code INSERT ... ON CONFLICT (id) DO NOTHING}, which counts
 * the duplicates. After a chunk that had duplicates the next one goes straight to the merge, since re-runs tend to
 * be duplicates throughout. Not thread-safe: one loader per step.
 */
public final class TokenUsageLoader implements ChunkLoader {

    private static final String UNIQUE_VIOLATION = "23505";
    private static final String FOREIGN_KEY_VIOLATION = "23503";
    private static final String STAGING = "usage_backfill_staging";

    private final TargetTable table;
    private final TableShape shape;
    private final String columns = String.join(", ", TableShape.REQUIRED);
    private boolean expectDuplicates;

    public TokenUsageLoader(TargetTable table, TableShape shape) {
        this.table = table;
        this.shape = shape;
    }

    /**
     * @throws SQLException when the database refuses the chunk for any reason other than rows already present;
     *     the caller's transaction is then to be rolled back
     */
    @Override
    public ChunkLoad load(Connection connection, List<? extends TokenUsage> chunk) throws SQLException {
        KnownReferences.Filtered filtered = KnownReferences.filter(connection, shape, chunk);
        List<TokenUsage> rows = filtered.rows();
        if (!expectDuplicates) {
            Savepoint savepoint = connection.setSavepoint();
            try {
                copy(connection, "COPY " + table.sql() + " (" + columns + ") FROM STDIN (FORMAT csv)", rows);
                connection.releaseSavepoint(savepoint);
                return new ChunkLoad(rows.size(), 0, filtered.nulledUserIds(), filtered.nulledSessionIds(),
                        ModelTotals.of(rows));
            } catch (SQLException e) {
                if (!UNIQUE_VIOLATION.equals(e.getSQLState()) && !FOREIGN_KEY_VIOLATION.equals(e.getSQLState())) {
                    throw e;
                }
                connection.rollback(savepoint);
            }
        }
        Map<String, ModelTotals> perModel = merge(connection, rows);
        long inserted = perModel.values().stream().mapToLong(ModelTotals::calls).sum();
        expectDuplicates = inserted < rows.size();
        return new ChunkLoad(inserted, rows.size() - inserted, filtered.nulledUserIds(),
                filtered.nulledSessionIds(), perModel);
    }

    private Map<String, ModelTotals> merge(Connection connection, List<TokenUsage> rows) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("CREATE TEMP TABLE IF NOT EXISTS " + STAGING + " (LIKE " + table.sql()
                    + " INCLUDING DEFAULTS) ON COMMIT DELETE ROWS");
            st.execute("TRUNCATE " + STAGING);
        }
        copy(connection, "COPY " + STAGING + " (" + columns + ") FROM STDIN (FORMAT csv)", rows);
        Map<String, ModelTotals> perModel = new HashMap<>();
        String sql = "WITH inserted AS (INSERT INTO " + table.sql() + " (" + columns + ") SELECT " + columns
                + " FROM " + STAGING + " ON CONFLICT (id) DO NOTHING RETURNING model, total_tokens, cost_usd)"
                + " SELECT model, count(*), coalesce(sum(total_tokens), 0), coalesce(sum(cost_usd), 0)"
                + " FROM inserted GROUP BY model";
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                perModel.put(rs.getString(1), new ModelTotals(rs.getLong(2), rs.getLong(3), rs.getLong(4)));
            }
        }
        return perModel;
    }

    /** Streams the rows as UTF-8 CSV bytes; a failed COPY is cancelled so the connection is never left in it. */
    private static void copy(Connection connection, String sql, List<TokenUsage> rows) throws SQLException {
        PGCopyOutputStream out = new PGCopyOutputStream(connection.unwrap(PGConnection.class), sql, 1 << 16);
        try {
            try (CSVPrinter printer = new CSVPrinter(
                    new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16),
                    TokenUsageCsv.FORMAT)) {
                for (TokenUsage row : rows) {
                    TokenUsageCsv.print(printer, row, true);
                }
            }
        } catch (IOException e) {
            if (e.getCause() instanceof SQLException refused) {
                throw refused;
            }
            throw new SQLException("COPY failed: " + e.getMessage(), e);
        } finally {
            if (out.isActive()) {
                out.cancelCopy();
            }
        }
    }

}
