package io.usagebackfill.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;
import java.util.concurrent.Callable;

import javax.sql.DataSource;

import io.usagebackfill.config.BackfillContext;
import io.usagebackfill.config.DatabaseUrl;
import io.usagebackfill.config.EmbeddedDatabase;
import io.usagebackfill.run.JobSchema;
import io.usagebackfill.run.RunLock;
import io.usagebackfill.undo.RunUndo;
import io.usagebackfill.undo.UndoOutcome;
import io.usagebackfill.undo.UndoTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code undo}: removes exactly the rows one run inserted, and nothing else. */
@Command(name = "undo", mixinStandardHelpOptions = true,
        description = "Removes exactly the rows one run inserted (all its executions and partitions), and only those"
                + " still as it wrote them; never a row that was in the table before it or that the app wrote."
                + " Try --dry-run first.")
final class UndoCommand implements Callable<Integer> {

    @Mixin
    DatabaseOption database;

    @Parameters(index = "0", arity = "0..1", paramLabel = "JOBFILE", description = "With --run-key: the job file"
            + " whose run to undo, on its database.")
    Path jobFile;

    @Option(names = "--run", paramLabel = "N", description = "The run to undo: its run id, as `status` shows it.")
    Long runId;

    @Option(names = "--run-key", paramLabel = "KEY", description = "The run to undo by its run key (with JOBFILE,"
            + " the run of that file's paths), e.g. nightly-2026-12-06.")
    String runKey;

    @Option(names = "--dry-run", description = "Say how many rows would be removed, per day and per model, and"
            + " change nothing.")
    boolean dryRun;

    @Option(names = "--include-changed", description = "Also remove the run's rows whose values changed since it"
            + " wrote them (by default they are kept and counted).")
    boolean includeChanged;

    @Override
    public Integer call() throws Exception {
        if ((runId == null) == (runKey == null)) {
            throw new UsageException("name the run to undo: --run N (its run id, as `status` shows it), or JOBFILE"
                    + " --run-key KEY");
        }
        if (jobFile != null && runKey == null) {
            throw new UsageException("JOBFILE " + jobFile + " names the job, not the run: add --run-key KEY");
        }
        JobDefinition job = jobFile == null ? null : JobDefinition.read(jobFile);
        DatabaseUrl url = JobDatabase.of(job, database);
        Path embedded = EmbeddedDatabase.defaultDataDirectory(database.env());
        if (url == null && !Files.isDirectory(embedded)) {
            throw new UsageException("there is no embedded database in " + embedded + " yet, so no run to undo; to"
                    + " undo another database's run " + DatabaseOption.THREE_WAYS);
        }
        try (BackfillContext context = BackfillContext.withDatabase(url, database.env())) {
            DataSource dataSource = context.bean(DataSource.class);
            UndoTarget target = target(dataSource, job, context);
            if (target.undoneAt() != null) {
                System.out.printf("undo: run %d was undone at %s (%,d rows removed); nothing to do%n",
                        target.runId(), target.undoneAt(), target.undoneRows());
                return ExitCodes.OK;
            }
            if (dryRun) {
                print(System.out, new RunUndo(dataSource).plan(target, includeChanged), true);
                return ExitCodes.OK;
            }
            JobSchema.ensure(dataSource);
            try (RunLock lock = RunLock.tryAcquire(dataSource)) {
                if (lock == null) {
                    throw new RunSession.BusyException(target.running() ? "run " + target.runId() + " is still"
                            + " running; stop it (`kill -TERM`, or wait for it to end) and undo it then"
                            : RunSession.busy(context));
                }
                print(System.out, new RunUndo(dataSource).undo(target, includeChanged), false);
                return ExitCodes.OK;
            }
        }
    }

    private UndoTarget target(DataSource dataSource, JobDefinition job, BackfillContext context) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            Long id = runId;
            if (id == null) {
                id = UndoTarget.runIdOf(connection, job == null ? null : job.recordedPaths(), runKey);
                if (id == null) {
                    throw new UsageException("there is no run with run key " + runKey + (job == null ? ""
                            : " of " + jobFile) + " in " + context.describeDatabase() + "; `status` lists the runs");
                }
            }
            UndoTarget target = UndoTarget.find(connection, id);
            if (target == null) {
                throw new UsageException("there is no run " + id + " in " + context.describeDatabase()
                        + "; `status` lists the runs and their ids");
            }
            if (target.dryRun()) {
                throw new UsageException("run " + id + " was a dry run, which inserted nothing; there is nothing to"
                        + " undo");
            }
            if (target.running() && RunLock.isHeld(connection) && !dryRun) {
                throw new RunSession.BusyException("run " + id + " is still running; stop it (`kill -TERM`, or"
                        + " wait for it to end) and undo it then");
            }
            if (!target.recorded() && target.undoneAt() == null) {
                throw new UsageException("run " + id + " has no record of the rows it inserted (it ran before"
                        + " usage-backfill kept one, or it inserted nothing), so they cannot be told apart from"
                        + " others; nothing was removed");
            }
            return target;
        }
    }

    private static void print(PrintStream out, UndoOutcome outcome, boolean dryRun) {
        String run = "run " + outcome.runId();
        if (dryRun) {
            out.printf("undo --dry-run: %s would remove %s from %s; nothing was changed%n", run,
                    rows(outcome.removed()), outcome.table());
        } else {
            out.printf("undo: removed %s that %s inserted into %s%n", rows(outcome.removed()), run, outcome.table());
        }
        if (outcome.gone() > 0) {
            out.printf("  %s of the run were no longer in the table (deleted since); nothing to do for them%n",
                    rows(outcome.gone()));
        }
        if (outcome.changed() > 0) {
            // Once undone, the run's record is gone: only a dry run can still point to --include-changed.
            out.printf("  %s of the run changed since it wrote them and %s (e.g. id %s)%s%n", rows(outcome.changed()),
                    dryRun ? "would be kept" : "were kept, and are the table's now",
                    outcome.changedExamples().isEmpty() ? "?" : outcome.changedExamples().get(0),
                    dryRun ? "; undo with --include-changed removes them too" : "");
        }
        long now = outcome.perDay().values().stream().mapToLong(Long::longValue).sum();
        // An undo run again after one that was stopped: its totals are the whole undo's, its breakdown its own.
        String ofWhich = !dryRun && now != outcome.removed() ? String.format(", of the %,d removed now (the other"
                + " %,d went in the undo that was stopped)", now, outcome.removed() - now) : "";
        printCounts(out, "per day (UTC)" + ofWhich, outcome.perDay());
        printCounts(out, "per model" + ofWhich, outcome.perModel());
        if (!dryRun) {
            out.printf("  the file ledger forgot %d files, so the next incremental run reads them again; %,d rejected"
                    + " lines of the run were deleted from usage_backfill.rejected_line%n",
                    outcome.ledgerFilesForgotten(), outcome.rejectsDeleted());
            out.println("  `status` shows the run as UNDONE; importing the same logs again loads these rows again");
        }
    }

    private static String rows(long n) {
        return String.format("%,d row%s", n, n == 1 ? "" : "s");
    }

    private static void printCounts(PrintStream out, String heading, Map<String, Long> counts) {
        if (counts.isEmpty()) {
            return;
        }
        out.println("  " + heading + ":");
        counts.forEach((key, count) -> out.printf("    %-24s %,12d%n", key, count));
    }
}
