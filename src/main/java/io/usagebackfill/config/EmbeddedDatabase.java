package io.usagebackfill.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The zero-setup database: a PostgreSQL server run from the jar's own binaries, its data kept in
 * {@code $USAGE_BACKFILL_HOME/postgres} (default {@code ~/.usage-backfill/postgres}) so that {@code status} and
 * {@code restart} see what {@code import} did. Not thread-safe; one per process.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
    }

    /** The data directory used when {@code USAGE_BACKFILL_HOME} is not set. */
    public static Path defaultDataDirectory(java.util.function.Function<String, String> env) {
        String home = env.apply("USAGE_BACKFILL_HOME");
        Path base = home != null && !home.isBlank() ? Path.of(home)
                : Path.of(System.getProperty("user.home"), ".usage-backfill");
        return base.resolve("postgres");
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
            return new EmbeddedDatabase(postgres, dataDirectory);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("the embedded PostgreSQL in " + dataDirectory + " did not start ("
                    + e.getMessage() + "); is another usage-backfill using it? Or give --db to use your database", e);
        }
    }

    public DatabaseUrl url() {
        return new DatabaseUrl("jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres", "postgres", null);
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
