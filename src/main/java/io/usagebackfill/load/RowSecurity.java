package io.usagebackfill.load;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Whether row-level security applies to the current role on the target table, why, and what its policies let the
 * role do: PostgreSQL refuses {@code COPY FROM} into such a table, so the rows go in through a staging table and an
 * {@code INSERT}, which the policies check; and a role that sees none of the rows cannot tell which events are there
 * already. Immutable.
 *
 * @param active whether row-level security applies to the role (PostgreSQL's {@code row_security_active})
 * @param role the current role
 * @param why for an active one, why it applies (enabled, and the role neither bypasses it nor owns the table, or
 *     owns it under FORCE); null otherwise
 * @param mayInsert whether a permissive INSERT (or ALL) policy names the role or PUBLIC
 * @param maySee whether a permissive SELECT (or ALL) policy does
 * @param seesAny whether the role sees any row of the table
 * @param rowsEstimated how many rows the table holds by the statistics, which every role may read
 */
public record RowSecurity(boolean active, String role, String why, boolean mayInsert, boolean maySee,
        boolean seesAny, long rowsEstimated) {

    public static RowSecurity inspect(Connection connection, TargetTable table) throws SQLException {
        String role;
        boolean active;
        String why = null;
        try (PreparedStatement st = connection.prepareStatement("SELECT current_user, row_security_active(c.oid),"
                + " c.relrowsecurity, c.relforcerowsecurity, pg_has_role(current_user, c.relowner, 'USAGE'),"
                + " c.relowner::regrole::text FROM pg_class c WHERE c.oid = ?::regclass")) {
            st.setString(1, table.sql());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                role = rs.getString(1);
                active = rs.getBoolean(2);
                if (active) {
                    why = "row-level security is enabled on " + table.display() + " and applies to role " + role
                            + (rs.getBoolean(5) ? ", its owner, since FORCE ROW LEVEL SECURITY is set"
                                    : " (no superuser, no BYPASSRLS, not the owner " + rs.getString(6) + ")");
                }
            }
        }
        if (!active) {
            return new RowSecurity(false, role, null, true, true, true, 0);
        }
        boolean mayInsert;
        boolean maySee;
        try (PreparedStatement st = connection.prepareStatement("SELECT coalesce(bool_or(p.polcmd IN ('a', '*')),"
                + " false), coalesce(bool_or(p.polcmd IN ('r', '*')), false) FROM pg_policy p"
                + " WHERE p.polrelid = ?::regclass AND p.polpermissive AND (p.polroles = '{0}'"
                + " OR EXISTS (SELECT 1 FROM unnest(p.polroles) AS r (oid) WHERE pg_has_role(current_user, r.oid,"
                + " 'USAGE')))")) {
            st.setString(1, table.sql());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                mayInsert = rs.getBoolean(1);
                maySee = rs.getBoolean(2);
            }
        }
        boolean seesAny;
        try (PreparedStatement st = connection.prepareStatement("SELECT EXISTS (SELECT 1 FROM " + table.sql() + ")")) {
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                seesAny = rs.getBoolean(1);
            }
        }
        long estimated;
        // A table and, when it is partitioned, its partitions (pg_partition_tree has no row for a plain table).
        try (PreparedStatement st = connection.prepareStatement("SELECT greatest(coalesce(sum(greatest(c.reltuples,"
                + " 0)), 0), coalesce(sum(s.n_live_tup), 0))::bigint FROM pg_class c"
                + " LEFT JOIN pg_stat_all_tables s ON s.relid = c.oid WHERE c.oid = ?::regclass"
                + " OR c.oid IN (SELECT relid FROM pg_partition_tree(?::regclass))")) {
            st.setString(1, table.sql());
            st.setString(2, table.sql());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                estimated = rs.getLong(1);
            }
        }
        return new RowSecurity(true, role, why, mayInsert, maySee, seesAny, estimated);
    }

    /**
     * Why the role cannot load the table exactly once, or null when it can: no policy lets it insert, or none lets
     * it see the rows, or it sees none of the rows the table holds. Each names what would fix it.
     */
    public String refusal(TargetTable table) {
        if (!active) {
            return null;
        }
        String instead = "; or load as the table's owner (without FORCE ROW LEVEL SECURITY) or a role with BYPASSRLS";
        if (!mayInsert) {
            return why + ", and no INSERT policy names that role (or PUBLIC), so every row would be refused; add one"
                    + " (CREATE POLICY … ON " + table.typed() + " FOR INSERT TO " + TargetTable.typed(role)
                    + " WITH CHECK (…))" + instead;
        }
        if (!maySee || !seesAny && rowsEstimated > 0) {
            return why + ", and its policies let it see " + (maySee ? "none of the table's ~" + rowsEstimated
                    + " rows" : "no row (no SELECT policy names it)") + ", so it cannot tell which events are in the"
                    + " table already, nor read back what it loads; nothing was loaded: give it a SELECT policy that"
                    + " shows it the rows it loads (CREATE POLICY … ON " + table.typed() + " FOR SELECT TO "
                    + TargetTable.typed(role) + " USING (…))" + instead;
        }
        return null;
    }

    /** How the rows go into the table, and why, as the run's report says it. */
    public static String loadPath(TableShape shape, RowSecurity security) {
        if (security.active()) {
            return "every chunk copied into a transaction-local staging table, then INSERT … SELECT … ON CONFLICT"
                    + " DO NOTHING, which the policies check: " + security.why() + ", and PostgreSQL refuses COPY"
                    + " FROM under it";
        }
        return "COPY straight into the table, a chunk with rows already there through a staging table and INSERT …"
                + " ON CONFLICT " + shape.conflictTarget() + " DO NOTHING";
    }
}
