package io.usagebackfill.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The root command: lists the subcommands and runs the one asked for. */
@Command(name = "usage-backfill", mixinStandardHelpOptions = true, version = "usage-backfill 0.1.0",
        description = "Backfills the token_usage table from application logs, exactly once.",
        subcommands = {ImportCommand.class, RunJobCommand.class, RestartCommand.class, StatusCommand.class,
            SchemaCommand.class, WorkerCommand.class, FieldsCommand.class, ExplainCommand.class, UndoCommand.class,
            VerifyCommand.class, CompletionCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:completed (rejected lines within the skip limit included)",
            "1:failed; `restart` resumes from the last committed chunk",
            "2:usage or configuration error; nothing was loaded and no run recorded; a retry cannot help",
            "3:another run holds this database's lock, or another export writes the same --csv-out file; try again"
                + " later",
            "4:completed, but the table does not hold what the logs say (the report names the events); a retry cannot"
                + " help",
            "130:stopped by SIGINT (Ctrl-C); `restart` resumes it",
            "143:stopped by SIGTERM; `restart` resumes it"})
public final class UsageBackfillCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "name a command: import, run, restart, status, undo, verify, schema, fields, explain, worker or completion (--help lists them)");
    }

    /** Runs the command line and returns the exit code. */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new UsageBackfillCommand());
        cli.setExecutionExceptionHandler(new ErrorHandler());
        // `run JOBFILE --rejects F`: import options after the job file pass through to the import.
        cli.getSubcommands().get("run").setUnmatchedOptionsArePositionalParams(true);
        return cli.execute(args);
    }
}
