package io.usagebackfill.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.EncodedResource;
import org.springframework.jdbc.datasource.init.ScriptUtils;

/**
 * Creates the job's own schema, {@code usage_backfill}, on first use: Spring Batch's metadata tables (its
 * PostgreSQL script with the table prefix put in) and our checkpoint table. Idempotent, and serialised with an
 * advisory lock so two first runs do not race; a schema already made by this version's scripts (its comment says
 * so) is left alone, so the nightly's role needs only rights in it, not to own it. Stateless.
 */
public final class JobSchema {

    public static final String SCHEMA = "usage_backfill";
    public static final String TABLE_PREFIX = SCHEMA + ".BATCH_";
    private static final long INIT_LOCK = 0x75625f736368656dL;
    /** The schema's comment names the scripts that made it, which tells a current schema from an older one. */
    private static final String MARK = "usage-backfill job schema " + scriptsHash();

    private JobSchema() {
    }

    public static void ensure(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            if (current(connection)) {
                // Made as this version makes it: no DDL, so a run needs no CREATE right nor to own the tables.
                return;
            }
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (Statement st = connection.createStatement()) {
                st.execute("SELECT pg_advisory_xact_lock(" + INIT_LOCK + ")");
                st.execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
                if (!exists(connection, SCHEMA + ".batch_job_instance")) {
                    ScriptUtils.executeSqlScript(connection, springBatchScript());
                }
                ScriptUtils.executeSqlScript(connection, ownScript());
                markCurrent(connection);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        }
    }

    private static EncodedResource springBatchScript() {
        try {
            String script = new ClassPathResource("org/springframework/batch/core/schema-postgresql.sql")
                    .getContentAsString(StandardCharsets.UTF_8)
                    .replaceAll("\\bBATCH_", TABLE_PREFIX);
            return new EncodedResource(new ByteArrayResource(script.getBytes(StandardCharsets.UTF_8)),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Spring Batch's PostgreSQL schema script is missing from the jar", e);
        }
    }

    private static EncodedResource ownScript() {
        return new EncodedResource(new ClassPathResource("db/usage_backfill.sql"), StandardCharsets.UTF_8);
    }

    private static boolean current(Connection connection) throws SQLException {
        try (var st = connection.prepareStatement("SELECT obj_description(to_regnamespace(?), 'pg_namespace')")) {
            st.setString(1, SCHEMA);
            try (var rs = st.executeQuery()) {
                return rs.next() && MARK.equals(rs.getString(1));
            }
        }
    }

    /** Only the schema's owner may comment on it; one who may not still ran the scripts, and the next run does. */
    private static void markCurrent(Connection connection) throws SQLException {
        java.sql.Savepoint before = connection.setSavepoint();
        try (Statement st = connection.createStatement()) {
            st.execute("COMMENT ON SCHEMA " + SCHEMA + " IS '" + MARK + "'");
            connection.releaseSavepoint(before);
        } catch (SQLException e) {
            connection.rollback(before);
        }
    }

    private static String scriptsHash() {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            sha.update(springBatchScript().getResource().getContentAsByteArray());
            sha.update(ownScript().getResource().getContentAsByteArray());
            return java.util.HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (IOException e) {
            throw new UncheckedIOException("the job schema's scripts are missing from the jar", e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime ships SHA-256", e);
        }
    }

    /**
     * Whether the job's schema has this table (e.g. {@code run_insert}): a schema made by an older version, or none
     * at all, lacks it; asked without creating anything, so a read-only role can ask.
     */
    public static boolean hasTable(Connection connection, String table) throws SQLException {
        return exists(connection, SCHEMA + "." + table);
    }

    private static boolean exists(Connection connection, String table) throws SQLException {
        try (var st = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            st.setString(1, table);
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
