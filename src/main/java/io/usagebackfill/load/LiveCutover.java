package io.usagebackfill.load;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * Where the app's own writes to the table begin, for {@code --until auto}. The backfill's ids are name-based UUIDs
 * (version 5); rows the app inserts get the table's default {@code gen_random_uuid()} (version 4). The earliest
 * {@code created_at} among rows that are not version 5 is the cut-over: a backfill reaching past it would count
 * those calls twice, once from the logs and once from the app.
 */
public final class LiveCutover {

    private LiveCutover() {
    }

    /** The earliest {@code created_at} of a row the backfill did not write, or null when there is none. */
    public static Instant find(Connection connection, TargetTable table) throws SQLException {
        // The version is the first digit of the third group: character 15 of the text form.
        String sql = "SELECT min(created_at) FROM " + table.sql() + " WHERE substr(id::text, 15, 1) <> '5'";
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            OffsetDateTime earliest = rs.getObject(1, OffsetDateTime.class);
            return earliest == null ? null : earliest.toInstant();
        }
    }
}
