package io.usagebackfill.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Function;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The zero-setup database: a PostgreSQL server run from the jar's own binaries, its data kept in
 * {@code $USAGE_BACKFILL_HOME/postgres} (default {@code $HOME/.usage-backfill/postgres}) so that {@code status} and
 * {@code restart} see what {@code import} did. While one command has it running, another one (a second import,
 * {@code status}) connects to the same server instead of failing on its lock file, so the run lock and its exit
 * code 3 work as with any server; only the command that started the server stops it. Not thread-safe; one per
 * process.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private final EmbeddedPostgres postgres;
    private final int port;
    private final Path dataDirectory;

    private EmbeddedDatabase(EmbeddedPostgres postgres, int port, Path dataDirectory) {
        this.postgres = postgres;
        this.port = port;
        this.dataDirectory = dataDirectory;
    }

    /**
     * The data directory: {@code USAGE_BACKFILL_HOME}, else {@code .usage-backfill} in {@code HOME} (the variable, so
     * a service account's environment decides, not its passwd entry), else in the JVM's {@code user.home}.
     */
    public static Path defaultDataDirectory(Function<String, String> env) {
        String home = env.apply("USAGE_BACKFILL_HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home).resolve("postgres");
        }
        String userHome = env.apply("HOME");
        return Path.of(userHome != null && !userHome.isBlank() ? userHome : System.getProperty("user.home"),
                ".usage-backfill", "postgres");
    }

    /** The server already running on {@code dataDirectory} (another command's), else a new one started here. */
    public static EmbeddedDatabase open(Path dataDirectory) {
        Integer running = runningPort(dataDirectory);
        return running != null ? new EmbeddedDatabase(null, running, dataDirectory) : start(dataDirectory);
    }

    /**
     * @throws IllegalStateException with the data directory in the message when the server cannot start
     */
    public static EmbeddedDatabase start(Path dataDirectory) {
        try {
            Files.createDirectories(dataDirectory);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .start();
            return new EmbeddedDatabase(postgres, postgres.getPort(), dataDirectory);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("the embedded PostgreSQL in " + dataDirectory + " did not start ("
                    + e.getMessage() + "); give --db to use your database instead", e);
        }
    }

    /**
     * The port of a live server on the directory: its {@code postmaster.pid} names a running process and the port it
     * listens on (line 4), and a connection there succeeds. Null otherwise, a stale lock file included.
     */
    static Integer runningPort(Path dataDirectory) {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        try {
            List<String> lines = Files.isRegularFile(pidFile)
                    ? Files.readAllLines(pidFile, StandardCharsets.UTF_8) : List.of();
            if (lines.size() < 4 || ProcessHandle.of(Long.parseLong(lines.get(0).strip())).isEmpty()) {
                return null;
            }
            int port = Integer.parseInt(lines.get(3).strip());
            try (Connection ignored = DriverManager.getConnection(url(port).jdbcUrl(), "postgres", null)) {
                return port;
            }
        } catch (IOException | NumberFormatException | SQLException e) {
            return null;
        }
    }

    private static DatabaseUrl url(int port) {
        return new DatabaseUrl("jdbc:postgresql://localhost:" + port + "/postgres?connectTimeout=10", "postgres",
                null);
    }

    public DatabaseUrl url() {
        return new DatabaseUrl("jdbc:postgresql://localhost:" + port + "/postgres", "postgres", null);
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    @Override
    public void close() {
        if (postgres == null) {
            return;
        }
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
