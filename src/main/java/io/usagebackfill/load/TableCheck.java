package io.usagebackfill.load;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import io.usagebackfill.normalize.TokenUsage;

/**
 * Compares events read from logs with the table, reading only: which are missing, which rows hold other values,
 * and which rows the given runs inserted that no event read gives. The ids read are kept in a temporary table of
 * the session (a role that may only read the table may still make those), so the logs' size costs no memory. Not
 * thread-safe: one per connection, in one transaction (which also gives the comparison one snapshot).
 */
public final class TableCheck {

    private static final String SEEN = "pg_temp.usage_backfill_verify_seen";

    private final Connection connection;
    private final TargetTable table;
    private long compared;

    /**
     * A row that is not as the logs say.
     *
     * @param kind {@code missing}, {@code changed} or {@code unexpected}
     * @param createdAt the event's time (for a missing one) or the row's
     * @param detail what differs, for a person
     */
    public record Mismatch(String kind, UUID id, Instant createdAt, String detail) {
    }

    public TableCheck(Connection connection, TargetTable table) throws SQLException {
        this.connection = connection;
        this.table = table;
        try (Statement st = connection.createStatement()) {
            st.execute("CREATE TEMP TABLE IF NOT EXISTS usage_backfill_verify_seen (id UUID PRIMARY KEY)"
                    + " ON COMMIT DROP");
        }
    }

    /**
     * Compares a chunk of events with their rows; an event met before (a rotated copy, a repeat) is compared once.
     */
    public List<Mismatch> compare(List<? extends TokenUsage> rows) throws SQLException {
        Map<UUID, TokenUsage> fresh = firstSeen(rows);
        compared += fresh.size();
        List<Mismatch> found = new ArrayList<>();
        if (fresh.isEmpty()) {
            return found;
        }
        Map<UUID, RowValues> stored = new HashMap<>();
        try (PreparedStatement st = connection.prepareStatement("SELECT t.id, " + RowValues.COLUMNS + " FROM "
                + table.sql() + " t WHERE t.id = ANY (?::uuid[])")) {
            st.setArray(1, connection.createArrayOf("uuid", fresh.keySet().toArray()));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    stored.put(rs.getObject(1, UUID.class), RowValues.read(rs, 2));
                }
            }
        }
        for (TokenUsage row : fresh.values()) {
            RowValues held = stored.get(row.id());
            RowValues read = RowValues.of(row);
            if (held == null) {
                found.add(new Mismatch("missing", row.id(), row.createdAt(), row.model() + ", " + read.numbersText()));
            } else if (!held.sameNumbers(read)) {
                found.add(new Mismatch("changed", row.id(), row.createdAt(), "the logs say " + read.numbersText()
                        + ", the table holds " + held.numbersText()));
            } else if (!held.sameAs(read)) {
                found.add(new Mismatch("changed", row.id(), row.createdAt(), "the logs say " + read.columnsText()
                        + ", the table holds " + held.columnsText()));
            }
        }
        return found;
    }

    /** How many distinct events were compared so far. */
    public long compared() {
        return compared;
    }

    /**
     * The rows that the runs {@code runIds} recorded inserting, with {@code created_at} in {@code [from, to]}, that
     * no event compared gave; each handed to {@code sink}, streamed.
     */
    public void unexpected(long[] runIds, Instant from, Instant to, Consumer<Mismatch> sink) throws SQLException {
        if (runIds.length == 0 || from == null) {
            return;
        }
        try (PreparedStatement st = connection.prepareStatement("SELECT DISTINCT t.id, t.created_at::timestamptz,"
                + " t.model::text FROM usage_backfill.run_insert r CROSS JOIN LATERAL " + InsertedRows.unnestIds("r.ids")
                + " JOIN " + table.sql() + " t ON t.id = u.id WHERE r.job_instance_id = ANY (?)"
                + " AND r.target_table = ? AND t.created_at::timestamptz BETWEEN ? AND ?"
                + " AND NOT EXISTS (SELECT 1 FROM " + SEEN + " s WHERE s.id = t.id)")) {
            st.setFetchSize(1000);
            Long[] boxed = new Long[runIds.length];
            for (int i = 0; i < runIds.length; i++) {
                boxed[i] = runIds[i];
            }
            st.setArray(1, connection.createArrayOf("bigint", boxed));
            st.setString(2, table.display());
            st.setTimestamp(3, Timestamp.from(from));
            st.setTimestamp(4, Timestamp.from(to.plus(1, ChronoUnit.MICROS)));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    sink.accept(new Mismatch("unexpected", rs.getObject(1, UUID.class),
                            rs.getTimestamp(2).toInstant(), rs.getString(3) + ": no line of these logs gives it"));
                }
            }
        }
    }

    /** The events of the chunk not met before, by id, remembered now. */
    private Map<UUID, TokenUsage> firstSeen(List<? extends TokenUsage> rows) throws SQLException {
        Set<UUID> ids = new HashSet<>();
        for (TokenUsage row : rows) {
            ids.add(row.id());
        }
        Set<UUID> fresh = new HashSet<>();
        try (PreparedStatement st = connection.prepareStatement("INSERT INTO " + SEEN + " SELECT u.id FROM"
                + " unnest(?::uuid[]) AS u (id) ON CONFLICT DO NOTHING RETURNING id")) {
            st.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    fresh.add(rs.getObject(1, UUID.class));
                }
            }
        }
        Map<UUID, TokenUsage> first = new HashMap<>();
        for (TokenUsage row : rows) {
            if (fresh.contains(row.id())) {
                first.putIfAbsent(row.id(), row);
            }
        }
        return first;
    }
}
