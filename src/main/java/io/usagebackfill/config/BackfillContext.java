package io.usagebackfill.config;

import java.util.HashMap;
import java.util.Map;

import io.usagebackfill.UsageBackfillApplication;
import io.usagebackfill.metrics.RunMetrics;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Starts the Spring context for one command: with a database (the one given, or the embedded one started here), or
 * with none for {@code --csv-out}. Closing it stops the embedded server too. Not thread-safe.
 */
public final class BackfillContext implements AutoCloseable {

    private static final String NO_DATABASE = String.join(",",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceInitializationAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration",
            "org.springframework.boot.batch.jdbc.autoconfigure.BatchJdbcAutoConfiguration");

    /** Held, so that the level set on it is not lost with a logger collected in between. */
    private static final java.util.logging.Logger DRIVER_LOG = java.util.logging.Logger.getLogger("org.postgresql");

    private final ConfigurableApplicationContext context;
    private final EmbeddedDatabase embedded;
    private final DatabaseUrl database;

    private BackfillContext(ConfigurableApplicationContext context, EmbeddedDatabase embedded, DatabaseUrl database) {
        this.context = context;
        this.embedded = embedded;
        this.database = database;
    }

    /** A context on {@code url}, or on the embedded database when {@code url} is null. */
    public static BackfillContext withDatabase(DatabaseUrl url, java.util.function.Function<String, String> env) {
        return withDatabase(url, env, Map.of(), null);
    }

    /**
     * The same, with more properties for the context (a broker's, for remote partitioning) and the run's metrics
     * (null without {@code --metrics-push}), which Spring Batch's observations then go to.
     */
    public static BackfillContext withDatabase(DatabaseUrl url, java.util.function.Function<String, String> env,
            Map<String, Object> more, RunMetrics metrics) {
        EmbeddedDatabase embedded = url == null ? EmbeddedDatabase.open(EmbeddedDatabase.defaultDataDirectory(env))
                : null;
        DatabaseUrl database = url != null ? url : embedded.url();
        if (url != null) {
            probe(url);
        }
        Map<String, Object> properties = new HashMap<>();
        properties.put("spring.datasource.url", driverUrl(database));
        if (database.user() != null) {
            properties.put("spring.datasource.username", database.user());
        }
        if (database.password() != null) {
            properties.put("spring.datasource.password", database.password());
        }
        database.secrets().forEach((name, value) ->
                properties.put("spring.datasource.hikari.data-source-properties." + name, value));
        properties.putAll(more);
        try {
            return new BackfillContext(start(properties, metrics), embedded, database);
        } catch (RuntimeException e) {
            if (embedded != null) {
                embedded.close();
            }
            throw e;
        }
    }

    /**
     * Connects once before Spring starts, so a down server gives one sentence within the connect timeout rather
     * than a failed application context.
     */
    private static void probe(DatabaseUrl url) {
        try (java.sql.Connection ignored = connect(url)) {
            // reachable, and the credentials are accepted
        } catch (java.sql.SQLException e) {
            throw new DatabaseUnavailableException("cannot close a probe connection to " + url.redacted(), e);
        }
    }

    /**
     * A plain connection, for the little a command checks before starting the job.
     *
     * @throws DatabaseUnavailableException in one sentence, within the connect timeout, when the server cannot be
     *     reached or refuses the credentials
     */
    public static java.sql.Connection connect(DatabaseUrl url) {
        // Before Spring routes the driver's java.util.logging lines, a refused certificate would print its own
        // SEVERE line beside the sentence that says it.
        java.util.logging.Level level = DRIVER_LOG.getLevel();
        DRIVER_LOG.setLevel(java.util.logging.Level.OFF);
        try {
            return java.sql.DriverManager.getConnection(driverUrl(url), url.connectionProperties());
        } catch (java.sql.SQLException e) {
            throw refusal(url, e);
        } finally {
            DRIVER_LOG.setLevel(level);
        }
    }

    /** The URL the driver gets: the user's, with the timeouts and the pooler-safe settings it does not make itself. */
    private static String driverUrl(DatabaseUrl url) {
        return PoolerSafety.apply(ConnectionTimeouts.apply(url.jdbcUrl()));
    }

    /**
     * A refusal that retrying cannot fix (SQLSTATE class 28, invalid authorization, 3D000, no such database, a
     * server without the SSL the URL requires, and a certificate that fails the URL's sslmode check) is a
     * configuration error; anything else (network, server down or starting) may heal, so a retry can help.
     */
    static RuntimeException refusal(DatabaseUrl url, java.sql.SQLException e) {
        String state = String.valueOf(e.getSQLState());
        if (state.startsWith("28")) {
            return new DatabaseRefusedException("the database " + url.redacted() + " refused the login ("
                    + firstLine(e.getMessage()) + "); check the user and password (in --db, PGPASSWORD, ~/.pgpass or"
                    + " the --env-file); retrying will not help", e);
        }
        if (state.equals("08004") && String.valueOf(e.getMessage()).contains("no password was provided")) {
            return new DatabaseRefusedException("the database " + url.redacted() + " asks for a password and none was"
                    + " given: put it in PGPASSWORD (the environment or the --env-file) or in " + pgpassFile()
                    + ", the password file searched (PGPASSFILE names another); retrying will not help", e);
        }
        if (state.equals("08004") && String.valueOf(e.getMessage()).contains("does not support SSL")) {
            return new DatabaseRefusedException("the database server at " + url.redacted() + " does not support SSL,"
                    + " which the URL's sslmode asks for; turn SSL on in the server, or drop sslmode from the URL"
                    + " where the network is trusted; retrying will not help", e);
        }
        String certificate = CertificateRefusal.describe(url, e);
        if (certificate != null) {
            return new DatabaseRefusedException(certificate, e);
        }
        if (state.equals("3D000")) {
            return new DatabaseRefusedException("there is no database " + url.databaseName() + " at "
                    + url.redacted() + "; check the name in --db (or POSTGRES_URL / DATABASE_URL), or create it", e);
        }
        return new DatabaseUnavailableException("cannot connect to the database " + url.redacted() + " ("
                + firstLine(e.getMessage()) + "); check --db (or POSTGRES_URL / DATABASE_URL) and that the server"
                + " is running", e);
    }

    /**
     * The password file PgJDBC reads: {@code PGPASSFILE}, else {@code .pgpass} in the account's home directory as
     * Java knows it (from the password database, not {@code $HOME}: under cron or sudo the two can differ).
     */
    static String pgpassFile() {
        String named = System.getenv("PGPASSFILE");
        if (named != null && !named.isBlank()) {
            return named;
        }
        String home = System.getProperty("user.home");
        String shellHome = System.getenv("HOME");
        return java.nio.file.Path.of(home, ".pgpass")
                + (shellHome != null && !shellHome.equals(home) ? " (not $HOME=" + shellHome + ")" : "");
    }

    private static String firstLine(String message) {
        return message == null ? "no reason given" : DatabaseUrl.mask(message.lines().findFirst().orElse("").strip());
    }

    /** A context with no database, for {@code --csv-out}; {@code metrics} as {@link #withDatabase}'s. */
    public static BackfillContext withoutDatabase(RunMetrics metrics) {
        return new BackfillContext(start(Map.of("spring.autoconfigure.exclude", NO_DATABASE), metrics), null, null);
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /** The database in use, or null without one. */
    public DatabaseUrl database() {
        return database;
    }

    public boolean isEmbedded() {
        return embedded != null;
    }

    /**
     * Which database this is, for the summary, {@code status} and the report: {@code host:port/database}, or the
     * embedded one's data directory; never the password. Null without a database.
     */
    public String describeDatabase() {
        if (embedded != null) {
            return "embedded PostgreSQL in " + embedded.dataDirectory();
        }
        return database == null ? null : database.location() + (database.user() != null
                ? " (user " + database.user() + ")" : "");
    }

    private static ConfigurableApplicationContext start(Map<String, Object> properties, RunMetrics metrics) {
        SpringApplicationBuilder builder = new SpringApplicationBuilder(UsageBackfillApplication.class)
                .environment(environment(properties, System.getenv()));
        if (metrics != null) {
            // Spring Boot's batch observation support finds the ObservationRegistry and gives it to the job, its
            // steps and the job operator; the job's own listener finds the run's metrics to push while it runs.
            builder.initializers(context -> {
                context.getBeanFactory().registerSingleton("observationRegistry", metrics.observations());
                context.getBeanFactory().registerSingleton("runMetrics", metrics);
            });
        }
        return builder.run();
    }

    /**
     * The context's settings: the run's own first, over everything else, and of the process environment only
     * {@code LOGGING_*} (how the frameworks' log lines are brought back). A shell that exports an app's own
     * {@code SPRING_DATASOURCE_URL} must not send the rows to another database than the one the run names and
     * reports; as Spring Boot's default properties, the run's settings lost to any such variable.
     */
    static ConfigurableEnvironment environment(Map<String, Object> properties, Map<String, String> processEnvironment) {
        StandardEnvironment environment = new StandardEnvironment();
        Map<String, Object> logging = new HashMap<>();
        processEnvironment.forEach((name, value) -> {
            if (name.startsWith("LOGGING_")) {
                logging.put(name, value);
            }
        });
        MutablePropertySources sources = environment.getPropertySources();
        sources.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, logging));
        sources.addFirst(new MapPropertySource("usage-backfill", properties));
        return environment;
    }

    @Override
    public void close() {
        try {
            context.close();
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }
}
