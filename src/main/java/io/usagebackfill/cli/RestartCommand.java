package io.usagebackfill.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.usagebackfill.config.BackfillContext;
import io.usagebackfill.run.NothingToRestartException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code restart}: resumes a failed or crashed run from its last committed chunk. */
@Command(name = "restart", mixinStandardHelpOptions = true,
        description = "Resumes a failed run, or one left running by a crash, from its last committed chunk;"
                + " nothing is loaded twice.")
final class RestartCommand implements Callable<Integer> {

    @Mixin
    DatabaseOption database;

    @Option(names = "--execution-id", paramLabel = "N",
            description = "The execution to resume (see `status`). Default: the latest run that did not complete.")
    Long executionId;

    @Option(names = "--skip-limit", paramLabel = "N", description = "Raise (or lower) the failed run's"
            + " limit of rejected lines, for a run that failed on it. Default: the run's own.")
    Long skipLimit;

    @Option(names = "--report-json", paramLabel = "FILE", description = "Also write the report as JSON.")
    Path reportJson;

    @Override
    public Integer call() throws Exception {
        if (skipLimit != null && skipLimit < 0) {
            throw new UsageException("--skip-limit " + skipLimit + " is negative; use 0 or more");
        }
        try (BackfillContext context = BackfillContext.withDatabase(database.resolve(), System::getenv)) {
            io.usagebackfill.run.JobSchema.ensure(context.bean(javax.sql.DataSource.class));
            return RunSession.locked(context, runs -> runs.restart(executionId, skipLimit), reportJson, System.out);
        } catch (NothingToRestartException e) {
            if (executionId != null) {
                throw e;
            }
            // A scheduler's "restart what failed" step has done its job when nothing failed.
            System.out.println("restart: " + e.getMessage());
            return ExitCodes.OK;
        }
    }
}
