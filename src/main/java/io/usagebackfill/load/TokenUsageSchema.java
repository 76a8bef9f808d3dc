package io.usagebackfill.load;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The migration guide's {@code token_usage} DDL (section 1), applied idempotently. A foreign key is only declared
 * when its parent table ({@code users}, {@code sessions}) exists, as on a fresh or embedded database it does not.
 * Stateless.
 */
public final class TokenUsageSchema {

    private TokenUsageSchema() {
    }

    /** The statements for {@code table}, with or without each foreign key. */
    public static List<String> statements(TargetTable table, boolean usersExist, boolean sessionsExist) {
        String t = table.sql();
        String indexPrefix = "idx_" + table.name();
        List<String> sql = new ArrayList<>();
        sql.add("CREATE TABLE IF NOT EXISTS " + t + " (\n"
                + "  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),\n"
                + "  user_id UUID" + (usersExist ? " REFERENCES users(id) ON DELETE SET NULL" : "") + ",\n"
                + "  session_id UUID" + (sessionsExist ? " REFERENCES sessions(id) ON DELETE SET NULL" : "") + ",\n"
                + "  provider TEXT NOT NULL,\n"
                + "  model TEXT NOT NULL,\n"
                + "  prompt_tokens INT DEFAULT 0,\n"
                + "  completion_tokens INT DEFAULT 0,\n"
                + "  total_tokens INT DEFAULT 0,\n"
                + "  cost_usd INT, -- stored as micro-dollars (1e-6 USD)\n"
                + "  created_at TIMESTAMPTZ DEFAULT NOW()\n"
                + ")");
        sql.add("CREATE INDEX IF NOT EXISTS " + TargetTable.quote(indexPrefix + "_provider") + " ON " + t
                + "(provider)");
        sql.add("CREATE INDEX IF NOT EXISTS " + TargetTable.quote(indexPrefix + "_model") + " ON " + t + "(model)");
        sql.add("CREATE INDEX IF NOT EXISTS " + TargetTable.quote(indexPrefix + "_user") + " ON " + t
                + "(user_id)");
        return sql;
    }

    /** Whether a table of that name is visible on the search path. */
    public static boolean tableExists(Connection connection, String name) throws SQLException {
        try (var st = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            st.setString(1, name);
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** What {@link #apply} did, for the command to tell the user. */
    public record Applied(List<String> statements, boolean userForeignKey, boolean sessionForeignKey) {
    }

    public static Applied apply(Connection connection, TargetTable table) throws SQLException {
        boolean users = tableExists(connection, "users");
        boolean sessions = tableExists(connection, "sessions");
        List<String> statements = statements(table, users, sessions);
        try (Statement st = connection.createStatement()) {
            for (String statement : statements) {
                st.execute(statement);
            }
        }
        return new Applied(statements, users, sessions);
    }
}
