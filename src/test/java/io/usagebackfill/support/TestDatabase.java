package io.usagebackfill.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

import io.usagebackfill.config.DatabaseUrl;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A database of its own for one test class, on the server in {@code TEST_DATABASE_URL} when set, else on an
 * embedded PostgreSQL started once per test JVM. Dropped when closed.
 */
public final class TestDatabase implements AutoCloseable {

    private static DatabaseUrl server;

    private final DatabaseUrl admin;
    private final DatabaseUrl url;
    private final String name;

    private TestDatabase(DatabaseUrl admin, DatabaseUrl url, String name) {
        this.admin = admin;
        this.url = url;
        this.name = name;
    }

    public static TestDatabase create() throws SQLException {
        return createOn(server());
    }

    /** A database of its own on the server {@code admin} reaches (another than the tests' own). */
    public static TestDatabase createOn(DatabaseUrl admin) throws SQLException {
        String name = "ub_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
                .toLowerCase(Locale.ROOT);
        try (Connection c = connect(admin); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        String jdbc = named(admin.jdbcUrl(), name);
        return new TestDatabase(admin, new DatabaseUrl(jdbc, admin.user(), admin.password()), name);
    }

    /**
     * This database as {@code --db} takes it through {@code serverUrl}, another way to the same server (a pooler in
     * front of it): that URL with this database's name.
     */
    public String cliUrlAt(String serverUrl) {
        return named(serverUrl, name);
    }

    /** {@code jdbcUrl} with {@code database} in place of the database it names. */
    private static String named(String jdbcUrl, String database) {
        return jdbcUrl.replaceFirst("/[^/?]*(\\?|$)", "/" + database + "$1");
    }

    /** The URL as a user would pass it to {@code --db}. */
    public String cliUrl() {
        String jdbc = url.jdbcUrl();
        if (url.user() == null) {
            return jdbc;
        }
        return jdbc + (jdbc.contains("?") ? "&" : "?") + "user=" + url.user()
                + (url.password() == null ? "" : "&password=" + url.password());
    }

    /**
     * This database as {@code postgres://user:password@host:port/db}, the form apps keep in .env, for a login role
     * made here that owns the database, so the password is real whatever the server's authentication.
     */
    public String postgresUrlWithOwner(String role, String password) throws SQLException {
        execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'", "ALTER DATABASE " + name + " OWNER TO "
                + role, "ALTER SCHEMA public OWNER TO " + role);
        java.net.URI uri = java.net.URI.create(url.jdbcUrl().substring("jdbc:".length()));
        return "postgres://" + role + ":" + password + "@" + uri.getHost() + ":"
                + (uri.getPort() < 0 ? 5432 : uri.getPort()) + "/" + name;
    }

    /** Drops a role made by {@link #postgresUrlWithOwner}, after the database is gone. */
    public static void dropRole(String role) throws SQLException {
        try (Connection c = connect(server()); Statement st = c.createStatement()) {
            st.execute("DROP ROLE IF EXISTS " + role);
        }
    }

    public String name() {
        return name;
    }

    public Connection connect() throws SQLException {
        return connect(url);
    }

    /** The first column of the first row of a query such as {@code SELECT count(*) …}. */
    public long count(String query) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public void execute(String... statements) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            for (String statement : statements) {
                st.execute(statement);
            }
        }
    }

    /**
     * A {@code BEFORE INSERT} trigger on {@code token_usage} named {@code name}, running the PL/pgSQL {@code body}
     * for each row (which ends in {@code RETURN NEW;} or drops the row with {@code RETURN NULL;}).
     */
    public void beforeInsert(String name, String body) throws SQLException {
        execute("CREATE OR REPLACE FUNCTION " + name + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN " + body
                + " END $$", "CREATE TRIGGER " + name + " BEFORE INSERT ON token_usage FOR EACH ROW EXECUTE FUNCTION "
                + name + "()");
    }

    private static Connection connect(DatabaseUrl target) throws SQLException {
        return target.user() == null ? DriverManager.getConnection(target.jdbcUrl())
                : DriverManager.getConnection(target.jdbcUrl(), target.user(), target.password());
    }

    private static synchronized DatabaseUrl server() {
        if (server == null) {
            String env = System.getenv("TEST_DATABASE_URL");
            if (env != null && !env.isBlank()) {
                server = DatabaseUrl.parse(env, "TEST_DATABASE_URL");
            } else {
                try {
                    EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                        try {
                            postgres.close();
                        } catch (Exception ignored) {
                            // the JVM is exiting; the temporary server's directory goes with it
                        }
                    }));
                    server = new DatabaseUrl("jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres",
                            "postgres", null);
                } catch (Exception e) {
                    throw new IllegalStateException("no TEST_DATABASE_URL and the embedded PostgreSQL did not start",
                            e);
                }
            }
        }
        return server;
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = connect(admin); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }
}
