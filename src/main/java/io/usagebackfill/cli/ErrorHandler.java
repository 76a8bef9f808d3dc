package io.usagebackfill.cli;

import java.io.UncheckedIOException;

import io.usagebackfill.config.DatabaseRefusedException;
import io.usagebackfill.config.BrokerUnavailableException;
import io.usagebackfill.config.DatabaseUnavailableException;
import io.usagebackfill.config.DatabaseUrl;
import io.usagebackfill.report.FailureMessages;
import io.usagebackfill.run.NothingToRestartException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * The one place exceptions become exit codes: a sentence on stderr, never a stack trace
 * ({@code USAGE_BACKFILL_DEBUG=1} prints it for a bug report).
 */
final class ErrorHandler implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine command, ParseResult parseResult) {
        String name = command.getCommandName();
        command.getErr().println(name + ": " + DatabaseUrl.mask(message(e, name)));
        if (System.getenv("USAGE_BACKFILL_DEBUG") != null) {
            java.io.StringWriter trace = new java.io.StringWriter();
            e.printStackTrace(new java.io.PrintWriter(trace));
            command.getErr().print(DatabaseUrl.mask(trace.toString()));
        }
        return exitCode(e);
    }

    static int exitCode(Throwable e) {
        if (e instanceof RunSession.BusyException) {
            return ExitCodes.BUSY;
        }
        if (e instanceof UsageException || e instanceof IllegalArgumentException
                || e instanceof NothingToRestartException || e instanceof DatabaseRefusedException
                || FailureMessages.insufficientPrivilege(e) != null) {
            return ExitCodes.USAGE;
        }
        return ExitCodes.FAILED;
    }

    /** The commands that run chunks, whose failures a {@code restart} may resume. */
    private static final java.util.Set<String> RUNS = java.util.Set.of("import", "restart", "run", "worker");

    private static String message(Throwable e, String command) {
        if (e instanceof UsageException || e instanceof IllegalArgumentException
                || e instanceof NothingToRestartException || e instanceof UncheckedIOException
                || e instanceof RunSession.BusyException || e instanceof DatabaseUnavailableException
                || e instanceof DatabaseRefusedException || e instanceof BrokerUnavailableException) {
            return e.getMessage();
        }
        return RUNS.contains(command) ? FailureMessages.describe(e) : FailureMessages.describeOutsideRun(e);
    }
}
