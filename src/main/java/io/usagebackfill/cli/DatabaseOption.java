package io.usagebackfill.cli;

import java.nio.file.Path;
import java.util.function.Function;

import io.usagebackfill.config.DatabaseUrl;
import io.usagebackfill.config.EmbeddedDatabase;
import io.usagebackfill.config.EnvironmentFile;
import picocli.CommandLine.Option;

/** {@code --db} and {@code --env-file}, shared by every command that talks to a database. */
final class DatabaseOption {

    /** What a command that must not fall back on the embedded database says when none is named. */
    static final String THREE_WAYS = "give --db URL, or set POSTGRES_URL or DATABASE_URL (in the environment or in"
            + " the file of --env-file)";

    @Option(names = "--db", paramLabel = "URL", description = "PostgreSQL URL, postgres://user@host:5432/db"
            + " or jdbc:postgresql://host:5432/db (the password from PGPASSWORD or ~/.pgpass). Default:"
            + " $POSTGRES_URL, else $DATABASE_URL; without either, only `import` (and `restart`, `status` of its"
            + " runs) use the embedded PostgreSQL in $USAGE_BACKFILL_HOME (else $HOME/.usage-backfill), which"
            + " `status` and `restart` never create; a job file must name its database.")
    String url;

    @Option(names = "--env-file", paramLabel = "FILE", description = "KEY=value lines (POSTGRES_URL, DATABASE_URL,"
            + " PGPASSWORD, USAGE_BACKFILL_HOME) read by the tool itself, over the environment; no `export`, no"
            + " quoting needed for & in a URL.")
    Path envFile;

    /** The environment as this command sees it: the process's, with the --env-file's values over it. */
    Function<String, String> env() {
        return EnvironmentFile.over(envFile, System::getenv);
    }

    /** Whether a database is named at all (option or environment); otherwise the embedded one would be used. */
    boolean named() {
        return DatabaseUrl.resolve(url, env()) != null;
    }

    /** The database to use, or null for the embedded one; {@code PGPASSWORD} fills a password the URL leaves out. */
    DatabaseUrl resolve() {
        Function<String, String> env = env();
        DatabaseUrl resolved = DatabaseUrl.resolve(url, env);
        return resolved == null ? null : resolved.withPassword(env.apply("PGPASSWORD"));
    }

    /**
     * The named database, for a command that must never fall back on the embedded one silently (a job file's).
     *
     * @throws UsageException naming the three ways to give one
     */
    DatabaseUrl required(String what) {
        DatabaseUrl resolved = resolve();
        if (resolved == null) {
            throw new UsageException(what + " names no database, and would otherwise load into the embedded one in "
                    + EmbeddedDatabase.defaultDataDirectory(env()).getParent() + ": " + THREE_WAYS
                    + ", or put database=embedded in the job file if that is what you want");
        }
        return resolved;
    }
}
