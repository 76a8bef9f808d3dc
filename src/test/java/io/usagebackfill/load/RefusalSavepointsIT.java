package io.usagebackfill.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import io.usagebackfill.normalize.TokenUsage;
import io.usagebackfill.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rows of a chunk that row-level security refuses are sorted out by halves, each in a savepoint. PostgreSQL keeps
 * a savepoint rolled back to until it is released, and every savepoint set after it nests inside it: one left behind
 * per refusal makes the chunk's transaction hundreds of subtransactions deep, and every row the server looks at then
 * walks that stack (bench/row-security.sh: a 5,000-row chunk with one row in six refused took 437 s). The bisection
 * must nest no deeper than its own halving.
 */
class RefusalSavepointsIT {

    private static final int ROWS = 1_000;

    private static TestDatabase database;
    private static final String ROLE = "ub_sp_" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);

    @BeforeAll
    static void aTableWithRowLevelSecurityAndARoleUnderIt() throws SQLException {
        database = TestDatabase.create();
        database.execute("CREATE TABLE token_usage (id UUID PRIMARY KEY, user_id UUID, session_id UUID,"
                + " provider TEXT NOT NULL, model TEXT NOT NULL, prompt_tokens INT, completion_tokens INT,"
                + " total_tokens INT, cost_usd INT, created_at TIMESTAMPTZ)",
                "ALTER TABLE token_usage ENABLE ROW LEVEL SECURITY", "CREATE ROLE " + ROLE + " LOGIN",
                "GRANT SELECT, INSERT ON token_usage TO " + ROLE,
                "CREATE POLICY see_all ON token_usage FOR SELECT TO " + ROLE + " USING (true)",
                "CREATE POLICY no_fives ON token_usage FOR INSERT TO " + ROLE
                        + " WITH CHECK (completion_tokens % 5 <> 0)");
    }

    @AfterAll
    static void dropDatabaseAndRole() throws SQLException {
        database.close();
        TestDatabase.dropRole(ROLE);
    }

    @Test
    void aChunkWithManyRefusedRowsNestsNoDeeperThanItsHalvingAndLoadsTheRest() throws SQLException {
        List<TokenUsage> rows = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            rows.add(new TokenUsage(UUID.nameUUIDFromBytes(("row-" + i).getBytes()), null, null, "openai", "gpt-4o",
                    10, i, 10 + i, null, Instant.parse("2025-11-09T10:00:00Z").plusSeconds(i)));
        }
        Map<UUID, String> refused = new LinkedHashMap<>();
        SavepointDepth depth = new SavepointDepth();

        try (Connection real = DriverManager.getConnection(database.cliUrl().replaceFirst("user=[^&]*",
                "user=" + ROLE))) {
            Connection connection = depth.watching(real);
            connection.setAutoCommit(false);
            TargetTable table = TargetTable.parse("token_usage");
            ChunkLoad load = new TokenUsageLoader(table, TableShape.inspect(connection, table))
                    .refusingTo((row, reason) -> refused.put(row.id(), reason)).load(connection, rows);
            connection.commit();
            assertThat(load.inserted()).isEqualTo(ROWS - ROWS / 5);
        }

        assertThat(refused).hasSize(ROWS / 5);
        assertThat(database.count("SELECT count(*) FROM token_usage")).isEqualTo(ROWS - ROWS / 5);
        // The merge's own savepoint, then one per halving of 1,000 ids down to one (10), and the check of a single
        // row: a few more than 12 at most, where one left behind per refusal reaches hundreds.
        assertThat(depth.deepest).as("savepoints open at once").isLessThanOrEqualTo(16);
    }

    /** Counts the savepoints open at once on a connection, as PostgreSQL keeps them. */
    private static final class SavepointDepth {

        private final Deque<Savepoint> open = new ArrayDeque<>();
        int deepest;

        Connection watching(Connection real) {
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                    new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                        Object result;
                        try {
                            result = method.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                        switch (method.getName()) {
                            case "setSavepoint" -> {
                                open.push((Savepoint) result);
                                deepest = Math.max(deepest, open.size());
                            }
                            // Released: it and every savepoint set after it are gone.
                            case "releaseSavepoint" -> popThrough((Savepoint) args[0], true);
                            // Rolled back to: the savepoints set after it are gone, it stays.
                            case "rollback" -> {
                                if (args == null) {
                                    open.clear();
                                } else {
                                    popThrough((Savepoint) args[0], false);
                                }
                            }
                            case "commit" -> open.clear();
                            default -> {
                                // nothing to count
                            }
                        }
                        return result;
                    });
        }

        private void popThrough(Savepoint savepoint, boolean inclusive) {
            while (!open.isEmpty() && open.peek() != savepoint) {
                open.pop();
            }
            if (inclusive && !open.isEmpty()) {
                open.pop();
            }
        }
    }
}
