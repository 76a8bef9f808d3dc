package io.usagebackfill.cli;

import io.usagebackfill.config.DatabaseUrl;

/**
 * The database a command given a job file uses, in the order {@code run} takes it: {@code --db}, the job file's
 * {@code db}, then the environment's; none at all is an error unless the file says {@code database=embedded}.
 * Stateless.
 */
final class JobDatabase {

    private JobDatabase() {
    }

    /** @return the database, or null for the embedded one (no job file, or one that allows it) */
    static DatabaseUrl of(JobDefinition job, DatabaseOption option) {
        if (job == null || option.url != null) {
            return option.resolve();
        }
        if (job.db() != null) {
            return DatabaseUrl.parse(job.db(), "job file " + job.file() + " db").withPassword(
                    option.env().apply("PGPASSWORD"));
        }
        DatabaseUrl named = option.resolve();
        return named != null || job.embedded() ? named : option.required("job file " + job.file());
    }
}
