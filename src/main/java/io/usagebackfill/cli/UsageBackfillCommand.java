package io.usagebackfill.cli;

import java.util.List;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The root command: lists the subcommands and runs the one asked for. The subcommands are added here, not named in
 * the annotation, so that a command that runs builds the options of none but its own: picocli reflects on every
 * option of every subcommand it is given, a tenth of a CPU-second of each start.
 */
@Command(name = "usage-backfill", mixinStandardHelpOptions = true, version = "usage-backfill 0.1.0",
        description = "Backfills the token_usage table from application logs, exactly once.",
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

    /** Every subcommand, in the order the help lists them. */
    private static final List<Class<?>> SUBCOMMANDS = List.of(ImportCommand.class, RunJobCommand.class,
            RestartCommand.class, StatusCommand.class, SchemaCommand.class, WorkerCommand.class, FieldsCommand.class,
            ExplainCommand.class, UndoCommand.class, VerifyCommand.class, CompletionCommand.class,
            CommandLine.HelpCommand.class);

    /** Runs the command line and returns the exit code. */
    public static int execute(String... args) {
        return commandLine(args.length == 0 ? SUBCOMMANDS : needed(args[0])).execute(args);
    }

    /** The whole command line, every subcommand included: what the help, completion and reference show. */
    public static CommandLine commandLine() {
        return commandLine(SUBCOMMANDS);
    }

    /**
     * What a command line starting with {@code first} needs: the subcommand so named alone ({@code run} with
     * {@code import}, which it runs); every subcommand for anything else ({@code help}, {@code completion}, an
     * option, a misspelt name), whose help or error lists them all.
     */
    static List<Class<?>> needed(String first) {
        for (Class<?> command : SUBCOMMANDS) {
            if (command == CommandLine.HelpCommand.class || command == CompletionCommand.class
                    || !command.getAnnotation(Command.class).name().equals(first)) {
                continue;
            }
            return command == RunJobCommand.class ? List.of(ImportCommand.class, RunJobCommand.class)
                    : List.of(command);
        }
        return SUBCOMMANDS;
    }

    private static CommandLine commandLine(List<Class<?>> subcommands) {
        CommandLine cli = new CommandLine(new UsageBackfillCommand());
        // A loop, not a method reference to CommandLine: the class-data archive's training links the classes a
        // lambda names, and picocli's CommandLine, of an old class-file version, is then left out of the archive.
        for (Class<?> subcommand : subcommands) {
            cli.addSubcommand(subcommand);
        }
        // Set after the subcommands are added: picocli hands a setting down to the subcommands it has by then.
        cli.setExecutionExceptionHandler(new ErrorHandler());
        CommandLine run = cli.getSubcommands().get("run");
        if (run != null) {
            // `run JOBFILE --rejects F`: import options after the job file pass through to the import.
            run.setUnmatchedOptionsArePositionalParams(true);
        }
        return cli;
    }
}
