package io.usagebackfill.load;

import java.nio.ByteBuffer;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * What a run recorded of the rows it inserted ({@link RunInserts}), read back one chunk's record at a time, and
 * compared with what the table holds for them now: still as written, changed since (by the app, a person, a later
 * load that replaced it) or gone. Stateless; each method works in the caller's transaction.
 */
public final class InsertedRows {

    private InsertedRows() {
    }

    /** One chunk's record: the rows it inserted into {@code table}, each id with the digest of what it wrote. */
    public record Record(long recordId, TargetTable table, UUID[] ids, long[] digests) {
    }

    /**
     * A record compared with the table.
     *
     * @param asWritten the ids whose rows hold what the run wrote
     * @param changed the ids whose rows hold other values now
     * @param gone how many of the rows are no longer in the table
     * @param perDay of the rows as written, how many per UTC day of {@code created_at}
     * @param perModel of the rows as written, how many per model
     */
    public record Examined(List<UUID> asWritten, List<UUID> changed, long gone, Map<String, Long> perDay,
            Map<String, Long> perModel) {
    }

    /** Whether the run recorded anything: a run of a version before these records has none. */
    public static boolean anyRecord(Connection connection, long jobInstanceId) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(
                "SELECT EXISTS (SELECT 1 FROM usage_backfill.run_insert WHERE job_instance_id = ?)")) {
            st.setLong(1, jobInstanceId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** SQL for the ids of a record's {@code ids} column {@code column}, one row each, as {@code u (id)}. */
    public static String unnestIds(String column) {
        return "(SELECT encode(substring(" + column + " FROM 16 * g + 1 FOR 16), 'hex')::uuid FROM"
                + " generate_series(0, length(" + column + ") / 16 - 1) AS g) AS u (id)";
    }

    /**
     * The run's next record after {@code afterRecordId}, or null when there is none; {@code lock} holds it for the
     * caller's transaction, so two undos never take the same chunk.
     */
    public static Record next(Connection connection, long jobInstanceId, long afterRecordId, boolean lock)
            throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("SELECT record_id, target_table, ids, digests"
                + " FROM usage_backfill.run_insert WHERE job_instance_id = ? AND record_id > ? ORDER BY record_id"
                + " LIMIT 1" + (lock ? " FOR UPDATE" : ""))) {
            st.setLong(1, jobInstanceId);
            st.setLong(2, afterRecordId);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                ByteBuffer idBytes = ByteBuffer.wrap(rs.getBytes(3));
                ByteBuffer digestBytes = ByteBuffer.wrap(rs.getBytes(4));
                UUID[] ids = new UUID[idBytes.remaining() / 16];
                long[] digests = new long[ids.length];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = new UUID(idBytes.getLong(), idBytes.getLong());
                    digests[i] = digestBytes.getLong();
                }
                return new Record(rs.getLong(1), TargetTable.parse(rs.getString(2)), ids, digests);
            }
        }
    }

    /**
     * Compares the record's rows with the table; {@code lock} takes their row locks, so nobody changes one between
     * this look and the caller's delete.
     */
    public static Examined examine(Connection connection, Record record, boolean lock) throws SQLException {
        return examine(connection, record, lock, false);
    }

    /** @param countChanged whether changed rows count in the per-day and per-model counts too (they go as well) */
    public static Examined examine(Connection connection, Record record, boolean lock, boolean countChanged)
            throws SQLException {
        Map<UUID, Long> written = new HashMap<>();
        for (int i = 0; i < record.ids().length; i++) {
            written.put(record.ids()[i], record.digests()[i]);
        }
        List<UUID> asWritten = new ArrayList<>();
        List<UUID> changed = new ArrayList<>();
        Map<String, Long> perDay = new TreeMap<>();
        Map<String, Long> perModel = new TreeMap<>();
        try (PreparedStatement st = connection.prepareStatement("SELECT t.id, " + RowValues.COLUMNS + " FROM "
                + record.table().sql() + " t WHERE t.id = ANY (?::uuid[]) ORDER BY t.id"
                + (lock ? " FOR UPDATE" : ""))) {
            st.setArray(1, connection.createArrayOf("uuid", record.ids()));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject(1, UUID.class);
                    RowValues values = RowValues.read(rs, 2);
                    Long digest = written.remove(id);
                    if (digest == null) {
                        continue;
                    }
                    if (digest != values.digest()) {
                        changed.add(id);
                        if (!countChanged) {
                            continue;
                        }
                    } else {
                        asWritten.add(id);
                    }
                    perDay.merge(day(Long.parseLong(values.text().get(0))), 1L, Long::sum);
                    perModel.merge(String.valueOf(values.text().get(1)), 1L, Long::sum);
                }
            }
        }
        return new Examined(asWritten, changed, written.size(), perDay, perModel);
    }

    /** Deletes these rows of the record's table; returns how many went. */
    public static long delete(Connection connection, TargetTable table, List<UUID> ids) throws SQLException {
        if (ids.isEmpty()) {
            return 0;
        }
        try (PreparedStatement st = connection.prepareStatement("DELETE FROM " + table.sql()
                + " WHERE id = ANY (?::uuid[])")) {
            Array array = connection.createArrayOf("uuid", ids.toArray());
            st.setArray(1, array);
            return st.executeUpdate();
        }
    }

    /** Deletes the rows of these ids from the table; returns the ids of those there were. */
    static Set<UUID> deleteReturningIds(Connection connection, TargetTable table, List<UUID> ids)
            throws SQLException {
        Set<UUID> deleted = new HashSet<>();
        if (ids.isEmpty()) {
            return deleted;
        }
        try (PreparedStatement st = connection.prepareStatement("DELETE FROM " + table.sql()
                + " WHERE id = ANY (?::uuid[]) RETURNING id")) {
            st.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    deleted.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return deleted;
    }

    /** Drops a record once its rows are dealt with. */
    public static void forget(Connection connection, long recordId) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(
                "DELETE FROM usage_backfill.run_insert WHERE record_id = ?")) {
            st.setLong(1, recordId);
            st.executeUpdate();
        }
    }

    private static String day(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS).atOffset(ZoneOffset.UTC).toLocalDate().toString();
    }
}
