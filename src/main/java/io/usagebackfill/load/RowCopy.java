package io.usagebackfill.load;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import io.usagebackfill.normalize.TokenUsage;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * One chunk's rows streamed with {@code COPY … FROM STDIN} into the table or a staging table, in COPY's binary
 * format where the table's column types allow, else as UTF-8 CSV bytes (never a Reader, which corrupts characters
 * beyond the BMP). Immutable; each call works on the caller's connection.
 */
final class RowCopy {

    /** The columns written, in {@link TableShape#REQUIRED}'s order, as SQL lists them. */
    static final String COLUMNS = String.join(", ", TableShape.REQUIRED);

    /** Null where the table's column types take only CSV. */
    private final BinaryCopyRows.Layout binary;

    RowCopy(TableShape shape) {
        this.binary = shape.binaryLayout();
    }

    /**
     * Copies {@code rows} into {@code target} (SQL, quoted); a failed COPY is cancelled so the connection is never
     * left in it.
     *
     * @return the rows the server says it stored ("COPY n"), not the rows sent: a trigger returning NULL stores fewer
     * @throws SQLException the server's refusal of a row, or of COPY itself
     */
    long into(Connection connection, String target, List<TokenUsage> rows) throws SQLException {
        String sql = "COPY " + target + " (" + COLUMNS + ") FROM STDIN (FORMAT " + (binary == null ? "csv" : "binary")
                + ")";
        CopyIn op = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
        PGCopyOutputStream out = new PGCopyOutputStream(op, 1 << 16);
        try {
            if (binary != null) {
                try (BinaryCopyRows copy = new BinaryCopyRows(out, binary)) {
                    for (TokenUsage row : rows) {
                        copy.row(row);
                    }
                }
            } else {
                try (TokenUsageCsv csv = new TokenUsageCsv(out)) {
                    for (TokenUsage row : rows) {
                        csv.row(row, true);
                    }
                }
            }
        } catch (IOException e) {
            if (e.getCause() instanceof SQLException refused) {
                throw refused;
            }
            throw new SQLException("COPY failed: " + e.getMessage(), e);
        } finally {
            if (op.isActive()) {
                op.cancelCopy();
            }
        }
        return op.getHandledRowCount();
    }
}
