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

    record Filtered(List<TokenUsage> rows, long nulledUserIds, long nulledSessionIds) {
    }

    /** The rows as they are, not looked up. */
    static Filtered unchecked(List<? extends TokenUsage> rows) {
        return new Filtered(List.copyOf(rows), 0, 0);
    }

    static Filtered filter(Connection connection, TableShape shape, List<? extends TokenUsage> rows)
            throws SQLException {
        Set<UUID> unknownUsers = unknown(connection, shape.references().get("user_id"), rows, TokenUsage::userId);
        Set<UUID> unknownSessions = unknown(connection, shape.references().get("session_id"), rows,
                TokenUsage::sessionId);
        if (unknownUsers.isEmpty() && unknownSessions.isEmpty()) {
            return new Filtered(List.copyOf(rows), 0, 0);
        }
        List<TokenUsage> out = new ArrayList<>(rows.size());
        long users = 0;
        long sessions = 0;
        for (TokenUsage row : rows) {
            boolean dropUser = row.userId() != null && unknownUsers.contains(row.userId());
            boolean dropSession = row.sessionId() != null && unknownSessions.contains(row.sessionId());
            users += dropUser ? 1 : 0;
            sessions += dropSession ? 1 : 0;
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
