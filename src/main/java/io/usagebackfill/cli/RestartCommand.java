package io.usagebackfill.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.usagebackfill.config.BackfillContext;
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

    @Option(names = "--report-json", paramLabel = "FILE", description = "Also write the report as JSON.")
    Path reportJson;

    @Override
    public Integer call() throws Exception {
        try (BackfillContext context = BackfillContext.withDatabase(database.resolve(), System::getenv)) {
            io.usagebackfill.run.JobSchema.ensure(context.bean(javax.sql.DataSource.class));
            return RunSession.locked(context, runs -> runs.restart(executionId), reportJson, System.out);
        }
    }
}
