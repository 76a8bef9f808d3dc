package io.usagebackfill.load;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.usagebackfill.normalize.TokenUsage;
import org.postgresql.util.PSQLException;

/**
 * A chunk merged into the table through a staging table: COPY into a temporary table its transaction makes and
 * drops, then {@code INSERT … SELECT … ON CONFLICT (key) DO NOTHING}, which skips the rows already there and, on a
 * table with row-level security, is checked by the policies (where COPY into the table is refused). Rows go in id
 * order, so partitions merging at once take row locks in one order; a deadlock between them is retried.
 *
 * <p>When a policy's {@code WITH CHECK} refuses a row (SQLSTATE 42501 from the policy check), the whole set insert
 * fails; that chunk's rows are then inserted in halves, each in a savepoint, down to the single rows refused, which
 * are handed back with the server's message and the policies that apply: the rest of the chunk loads. Not
 * thread-safe: one per loader.
 */
final class StagingMerge {

    private static final String DEADLOCK = "40P01";
    private static final String INSUFFICIENT_PRIVILEGE = "42501";
    /** The executor's routine that raises a policy's refusal, whatever language the server speaks. */
    private static final String POLICY_CHECK = "ExecWithCheckOptions";
    private static final int MERGE_ATTEMPTS = 5;
    private static final String STAGING = "usage_backfill_staging";

    /**
     * @param ids the ids inserted
     * @param totals their tokens and cost, as the database returned them
     * @param refused the ids a policy refused, each with the reason
     */
    record Merged(Set<UUID> ids, ChunkLoad.Totals totals, Map<UUID, String> refused) {
    }

    private final TargetTable table;
    private final RowCopy copy;
    private final String insert;
    private final boolean separateRefusals;
    /** The INSERT policies that apply to the role, described once, at the first refusal. */
    private String policies;

    /** @param separateRefusals whether rows a policy refuses are sorted out (else the refusal fails the chunk) */
    StagingMerge(TargetTable table, TableShape shape, RowCopy copy, boolean separateRefusals) {
        this.table = table;
        this.copy = copy;
        this.separateRefusals = separateRefusals;
        this.insert = "INSERT INTO " + table.sql() + " (" + RowCopy.COLUMNS + ") SELECT " + RowCopy.COLUMNS + " FROM "
                + STAGING + " %s ORDER BY id ON CONFLICT " + shape.conflictTarget() + " DO NOTHING RETURNING id,"
                + " prompt_tokens, completion_tokens, total_tokens, cost_usd";
    }

    /**
     * Partitions loading at once can insert the same event (a rotated copy read by another partition) and wait on
     * each other; PostgreSQL then cancels one of them, which merges again once the other has moved on.
     */
    Merged merge(Connection connection, List<TokenUsage> rows) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            Savepoint savepoint = connection.setSavepoint();
            try {
                Merged merged = mergeOnce(connection, rows);
                connection.releaseSavepoint(savepoint);
                return merged;
            } catch (SQLException e) {
                if (!DEADLOCK.equals(e.getSQLState()) || attempt == MERGE_ATTEMPTS) {
                    throw e;
                }
                undo(connection, savepoint);
            }
        }
    }

    /**
     * Rolls back to {@code savepoint} and releases it: PostgreSQL keeps a savepoint rolled back to, and every one set
     * after it would nest inside, one subtransaction deeper each time, which every row the server looks at in this
     * transaction then walks through (a chunk with hundreds of refused rows took minutes).
     */
    private static void undo(Connection connection, Savepoint savepoint) throws SQLException {
        connection.rollback(savepoint);
        connection.releaseSavepoint(savepoint);
    }

    private Merged mergeOnce(Connection connection, List<TokenUsage> rows) throws SQLException {
        try (Statement st = connection.createStatement()) {
            // Made and dropped by the chunk's transaction: a pooler may run the next one on another server session.
            st.execute("CREATE TEMP TABLE IF NOT EXISTS " + STAGING + " (LIKE " + table.sql()
                    + " INCLUDING DEFAULTS) ON COMMIT DROP");
            st.execute("TRUNCATE " + STAGING);
        }
        copy.into(connection, STAGING, rows);
        Inserted done = new Inserted();
        if (!separateRefusals) {
            insert(connection, null, done);
            return done.merged();
        }
        Set<UUID> ids = new LinkedHashSet<>();
        rows.forEach(row -> ids.add(row.id()));
        insertSorting(connection, new ArrayList<>(ids), done, true);
        return done.merged();
    }

    /** What the inserts of one chunk returned, and the rows refused. */
    private static final class Inserted {
        final Set<UUID> ids = new HashSet<>();
        final Map<UUID, String> refused = new LinkedHashMap<>();
        long prompt;
        long completion;
        long tokens;
        long cost;

        Merged merged() {
            return new Merged(ids, new ChunkLoad.Totals(prompt, completion, tokens, cost), refused);
        }
    }

    /**
     * Inserts the staged rows of {@code ids} in one statement, in a savepoint; when a policy refuses one of them,
     * each half on its own, down to the rows refused.
     */
    private void insertSorting(Connection connection, List<UUID> ids, Inserted done, boolean whole)
            throws SQLException {
        Savepoint savepoint = connection.setSavepoint();
        try {
            insert(connection, whole ? null : ids, done);
            connection.releaseSavepoint(savepoint);
        } catch (SQLException e) {
            if (!refusedByPolicy(e)) {
                throw e;
            }
            undo(connection, savepoint);
            if (ids.size() == 1) {
                done.refused.put(ids.get(0), insertsUnseen(connection, ids) ? "row-level security lets the role insert"
                        + " the row but not see it: its SELECT policies hide it, so the insert that skips rows already"
                        + " there and reads back what it adds is refused (" + message(e) + "); give the role a SELECT"
                        + " policy that shows the rows it loads" : reason(connection, e));
                return;
            }
            int half = ids.size() / 2;
            insertSorting(connection, ids.subList(0, half), done, false);
            insertSorting(connection, ids.subList(half, ids.size()), done, false);
        }
    }

    /** Inserts the staged rows (those of {@code ids}, or all for null) that are not in the table yet. */
    private void insert(Connection connection, List<UUID> ids, Inserted done) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(String.format(insert,
                ids == null ? "" : "WHERE id = ANY (?::uuid[])"))) {
            if (ids != null) {
                st.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
            }
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    done.ids.add(rs.getObject(1, UUID.class));
                    done.prompt += rs.getLong(2);
                    done.completion += rs.getLong(3);
                    done.tokens += rs.getLong(4);
                    done.cost += rs.getLong(5);
                }
            }
        }
    }

    /**
     * Whether the row of {@code ids} goes in without {@code RETURNING} and without a conflict target (undone at
     * once): then what refused it was a SELECT policy, which PostgreSQL checks on the rows an INSERT returns or
     * infers its arbiter index with, not an INSERT policy.
     */
    private boolean insertsUnseen(Connection connection, List<UUID> ids) throws SQLException {
        Savepoint savepoint = connection.setSavepoint();
        try (PreparedStatement st = connection.prepareStatement("INSERT INTO " + table.sql() + " ("
                + RowCopy.COLUMNS + ") SELECT " + RowCopy.COLUMNS + " FROM " + STAGING
                + " WHERE id = ANY (?::uuid[]) ON CONFLICT DO NOTHING")) {
            st.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
            st.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (!refusedByPolicy(e)) {
                throw e;
            }
            return false;
        } finally {
            undo(connection, savepoint);
        }
    }

    private static String message(SQLException e) {
        return ((PSQLException) e).getServerErrorMessage().getMessage();
    }

    /** A row-level security policy's refusal, told from a missing privilege (the same SQLSTATE) by its routine. */
    static boolean refusedByPolicy(SQLException e) {
        return INSUFFICIENT_PRIVILEGE.equals(e.getSQLState()) && e instanceof PSQLException psql
                && psql.getServerErrorMessage() != null
                && POLICY_CHECK.equals(psql.getServerErrorMessage().getRoutine());
    }

    /** The server's message (which names a restrictive policy, not a permissive one) and the policies that apply. */
    private String reason(Connection connection, SQLException e) throws SQLException {
        if (policies == null) {
            try (PreparedStatement st = connection.prepareStatement("SELECT coalesce(string_agg(p.polname"
                    + " || CASE WHEN p.polpermissive THEN '' ELSE ' (restrictive)' END || ' WITH CHECK ('"
                    + " || coalesce(pg_get_expr(p.polwithcheck, p.polrelid), pg_get_expr(p.polqual, p.polrelid),"
                    + " 'true') || ')', '; ' ORDER BY p.polname), 'none') FROM pg_policy p"
                    + " WHERE p.polrelid = ?::regclass AND p.polcmd IN ('a', '*') AND (p.polroles = '{0}'"
                    + " OR EXISTS (SELECT 1 FROM unnest(p.polroles) AS r (oid)"
                    + " WHERE pg_has_role(current_user, r.oid, 'USAGE')))")) {
                st.setString(1, table.sql());
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    policies = rs.getString(1);
                }
            }
        }
        return "row-level security refused the row: " + message(e) + " (the INSERT policies for the role: " + policies
                + ")";
    }
}
