package io.usagebackfill.load;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import io.usagebackfill.normalize.TokenUsage;

/**
 * Nulls user and session ids that the parent tables do not have, as the foreign keys' ON DELETE SET NULL would
 * have: one unknown id must not fail a whole COPY. One query per parent table per chunk. Stateless.
 */
final class KnownReferences {

    private KnownReferences() {
    }

    /**
     * @param nulledUsers the ids of the rows whose user id was nulled; {@code nulledSessions} the same for sessions
     */
    record Filtered(List<TokenUsage> rows, Set<UUID> nulledUsers, Set<UUID> nulledSessions) {

        /** Of {@code inserted}, the rows whose user id was nulled (a row already in the table nulled none). */
        long nulledUserIds(List<? extends TokenUsage> inserted) {
            return nulledUsers.isEmpty() ? 0 : inserted.stream().filter(r -> nulledUsers.contains(r.id())).count();
        }

        long nulledSessionIds(List<? extends TokenUsage> inserted) {
            return nulledSessions.isEmpty() ? 0
                    : inserted.stream().filter(r -> nulledSessions.contains(r.id())).count();
        }
    }

    /** The rows as they are, not looked up. */
    static Filtered unchecked(List<? extends TokenUsage> rows) {
        return new Filtered(List.copyOf(rows), Set.of(), Set.of());
    }

    static Filtered filter(Connection connection, TableShape shape, List<? extends TokenUsage> rows)
            throws SQLException {
        Set<UUID> unknownUsers = unknown(connection, shape.references().get("user_id"), rows, TokenUsage::userId);
        Set<UUID> unknownSessions = unknown(connection, shape.references().get("session_id"), rows,
                TokenUsage::sessionId);
        if (unknownUsers.isEmpty() && unknownSessions.isEmpty()) {
            return unchecked(rows);
        }
        List<TokenUsage> out = new ArrayList<>(rows.size());
        Set<UUID> users = new HashSet<>();
        Set<UUID> sessions = new HashSet<>();
        for (TokenUsage row : rows) {
            boolean dropUser = row.userId() != null && unknownUsers.contains(row.userId());
            boolean dropSession = row.sessionId() != null && unknownSessions.contains(row.sessionId());
            if (dropUser) {
                users.add(row.id());
            }
            if (dropSession) {
                sessions.add(row.id());
            }
            out.add(dropUser || dropSession ? row.withoutUnknownReferences(dropUser, dropSession) : row);
        }
        return new Filtered(out, users, sessions);
    }

    private static Set<UUID> unknown(Connection connection, TableShape.Reference reference,
            List<? extends TokenUsage> rows, Function<TokenUsage, UUID> id) throws SQLException {
        if (reference == null) {
            return Set.of();
        }
        Set<UUID> wanted = new LinkedHashSet<>();
        for (TokenUsage row : rows) {
            UUID value = id.apply(row);
            if (value != null) {
                wanted.add(value);
            }
        }
        if (wanted.isEmpty()) {
            return Set.of();
        }
        Set<UUID> missing = new HashSet<>(wanted);
        String sql = "SELECT " + TargetTable.quote(reference.column()) + " FROM " + reference.table()
                + " WHERE " + TargetTable.quote(reference.column()) + " = ANY(?)";
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            Array array = connection.createArrayOf("uuid", wanted.toArray());
            st.setArray(1, array);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    missing.remove(rs.getObject(1, UUID.class));
                }
            }
        }
        return missing;
    }
}
