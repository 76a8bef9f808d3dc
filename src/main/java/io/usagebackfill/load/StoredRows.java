package io.usagebackfill.load;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.usagebackfill.normalize.TokenUsage;

/**
 * Reads back what the table holds for a chunk's events, inside the chunk's transaction, so the reconciliation
 * compares what was read with what the database stored, never with what was sent: a trigger that drops or changes
 * rows shows here. A table with no trigger costs one catalog look per chunk (see {@link #triggersMayChange}); one
 * with a trigger, a read of the rows the chunk inserted, compared one by one. Stateless and thread-safe.
 */
final class StoredRows {

    private StoredRows() {
    }

    /**
     * Whether a trigger on the table or any of its partitions could drop, change or delete what a COPY inserts.
     * Without one the server stores exactly the rows COPY counted (COPY invokes no rules, and every value was
     * checked against its column's type before), so reading them back would only repeat what was sent.
     */
    static boolean triggersMayChange(Connection connection, TargetTable table) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_trigger t WHERE"
                + " NOT t.tgisinternal AND t.tgenabled <> 'D' AND (t.tgrelid = ?::regclass OR t.tgrelid IN"
                + " (SELECT relid FROM pg_partition_tree(?::regclass))))")) {
            st.setString(1, table.sql());
            st.setString(2, table.sql());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /**
     * Each event compared with its row; an event read twice is compared (and counted) once.
     *
     * @param missing the ids of the events that have no row
     * @param stored the tokens and cost the rows hold, each event once
     */
    record Compared(Differences differences, Set<UUID> missing, ChunkLoad.Totals stored) {
    }

    /**
     * Each event compared with its row, every column a trigger could change (the time, model, provider and ids as
     * well as the counts and cost); an event read twice is compared (and counted) once.
     */
    static Compared compare(Connection connection, TargetTable table, List<? extends TokenUsage> rows)
            throws SQLException {
        Map<UUID, RowValues> stored = new HashMap<>();
        try (PreparedStatement st = connection.prepareStatement("SELECT t.id, " + RowValues.COLUMNS + " FROM "
                + table.sql() + " t WHERE t.id = ANY (?::uuid[])")) {
            st.setArray(1, connection.createArrayOf("uuid", ids(rows)));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    stored.put(rs.getObject(1, UUID.class), RowValues.read(rs, 2));
                }
            }
        }
        Set<UUID> missing = new HashSet<>();
        Set<UUID> compared = new HashSet<>();
        ChunkLoad.Totals totals = ChunkLoad.Totals.ZERO;
        long changed = 0;
        List<String> examples = new ArrayList<>();
        for (TokenUsage row : rows) {
            if (!compared.add(row.id())) {
                continue;
            }
            RowValues held = stored.get(row.id());
            RowValues read = RowValues.of(row);
            if (held != null) {
                long[] n = held.numbers();
                totals = totals.plus(new ChunkLoad.Totals(n[0], n[1], n[2], Math.max(n[3], 0)));
            }
            String example;
            if (held == null) {
                missing.add(row.id());
                example = describe(row) + " has no row after its insert (a trigger or rule on the table dropped it)";
            } else if (!held.sameNumbers(read)) {
                changed++;
                example = describe(row) + ": read " + read.numbersText() + ", the table holds " + held.numbersText();
            } else if (!held.sameAs(read)) {
                changed++;
                example = describe(row) + ": read " + read.columnsText() + ", the table holds " + held.columnsText();
            } else {
                continue;
            }
            if (examples.size() < Differences.MAX_EXAMPLES) {
                examples.add(example);
            }
        }
        return new Compared(new Differences(missing.size(), changed, List.copyOf(examples)), missing, totals);
    }

    private static String describe(TokenUsage row) {
        return "event " + row.id() + " (" + row.model() + " at " + row.createdAt() + ")";
    }

    private static Object[] ids(List<? extends TokenUsage> rows) {
        Object[] ids = new Object[rows.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = rows.get(i).id();
        }
        return ids;
    }
}
