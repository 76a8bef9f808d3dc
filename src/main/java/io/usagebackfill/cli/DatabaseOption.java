package io.usagebackfill.cli;

import io.usagebackfill.config.DatabaseUrl;
import picocli.CommandLine.Option;

/** {@code --db}, shared by every command that talks to a database. */
final class DatabaseOption {

    @Option(names = "--db", paramLabel = "URL", description = "PostgreSQL URL, postgres://user:pass@host:5432/db"
            + " or jdbc:postgresql://host:5432/db. Default: $POSTGRES_URL, else $DATABASE_URL, else the embedded"
            + " PostgreSQL in ~/.usage-backfill (or $USAGE_BACKFILL_HOME).")
    String url;

    /** The database to use, or null for the embedded one. */
    DatabaseUrl resolve() {
        return DatabaseUrl.resolve(url, System::getenv);
    }
}
