package io.usagebackfill.cli;

import static io.usagebackfill.job.JobParameterNames.CSV_OUT;
import static io.usagebackfill.job.JobParameterNames.DRY_RUN;
import static io.usagebackfill.job.JobParameterNames.FIXES;
import static io.usagebackfill.job.JobParameterNames.LOG_TIMEZONE;
import static io.usagebackfill.job.JobParameterNames.MANIFEST;
import static io.usagebackfill.job.JobParameterNames.PATHS;
import static io.usagebackfill.job.JobParameterNames.PROGRESS;
import static io.usagebackfill.job.JobParameterNames.REJECTS;
import static io.usagebackfill.job.JobParameterNames.REPLACE_FIXED;
import static io.usagebackfill.job.JobParameterNames.SINCE;
import static io.usagebackfill.job.JobParameterNames.TARGET_NOTES;
import static io.usagebackfill.job.JobParameterNames.UNCHANGED;
import static io.usagebackfill.job.JobParameterNames.UNTIL;

import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Locale;

import javax.sql.DataSource;

import io.usagebackfill.checkpoint.Checkpoint;
import io.usagebackfill.config.BackfillContext;
import io.usagebackfill.load.LiveCutover;
import io.usagebackfill.load.MissingPartitionsException;
import io.usagebackfill.load.PartitionLayout;
import io.usagebackfill.load.RowSecurity;
import io.usagebackfill.load.TargetNotes;
import io.usagebackfill.checkpoint.StateJson;
import io.usagebackfill.load.TableShape;
import io.usagebackfill.load.TargetTable;
import io.usagebackfill.load.TokenUsageSchema;
import io.usagebackfill.normalize.TimeWindow;
import io.usagebackfill.normalize.LogZone;
import io.usagebackfill.reject.Corrections;
import io.usagebackfill.report.FailureMessages;
import io.usagebackfill.report.Progress;
import io.usagebackfill.report.ReportPrinter;
import io.usagebackfill.report.RunReport;
import io.usagebackfill.job.RunPartitions;
import io.usagebackfill.run.BackfillRuns;
import io.usagebackfill.run.JobSchema;
import io.usagebackfill.run.RunLock;
import io.usagebackfill.run.SignalStop;
import io.usagebackfill.run.StopRequest;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import io.usagebackfill.source.SourceFile;
import io.usagebackfill.source.Manifest;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** What {@code import} and {@code restart} share: preparing the database, holding the lock, reporting the run. */
final class RunSession {

    interface Launch {
        JobExecution run(BackfillRuns runs) throws Exception;
    }

    private RunSession() {
    }

    /** Prepares the job schema and checks the target table; the embedded database gets the table created. */
    static void prepare(BackfillContext context, TargetTable table) throws SQLException {
        DataSource dataSource = context.bean(DataSource.class);
        try (Connection connection = dataSource.getConnection()) {
            if (table.schema() != null && !schemaExists(connection, table.schema())) {
                throw new UsageException("--table " + table.display() + " names the schema " + table.schema()
                        + ", which does not exist in " + context.describeDatabase() + "; create it (CREATE SCHEMA "
                        + TargetTable.typed(table.schema()) + ") or fix the name");
            }
        }
        JobSchema.ensure(dataSource);
        try (Connection connection = dataSource.getConnection()) {
            if (context.isEmbedded()) {
                TokenUsageSchema.apply(connection, table);
            }
            checkTable(context, connection, table);
            checkPrivileges(connection, table);
            checkRowSecurity(connection, table);
        }
    }

    /**
     * Refuses, before a run is recorded, a role that could not load: one that lacks SELECT or INSERT on the table,
     * SELECT on the parent tables it references, or a right in the job's schema would fail at its first chunk with
     * a run left behind that no {@code restart} can finish. Names the exact GRANT.
     */
    static void checkPrivileges(Connection connection, TargetTable table) throws SQLException {
        List<String> grants = new java.util.ArrayList<>();
        String role;
        try (var st = connection.prepareStatement("SELECT current_user, has_table_privilege(?::regclass, 'SELECT'),"
                + " has_table_privilege(?::regclass, 'INSERT'), has_schema_privilege(?, 'USAGE'),"
                + " coalesce((SELECT bool_and(has_table_privilege(c.oid, 'SELECT, INSERT, UPDATE, DELETE'))"
                + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ?"
                + " AND c.relkind IN ('r', 'p')), true), coalesce((SELECT bool_and(has_sequence_privilege(c.oid,"
                + " 'USAGE, SELECT, UPDATE')) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND c.relkind = 'S'), true), coalesce((SELECT string_agg(f.confrelid::regclass"
                + "::text, ', ') FROM pg_constraint f WHERE f.conrelid = ?::regclass AND f.contype = 'f'"
                + " AND NOT has_table_privilege(f.confrelid, 'SELECT')), '')")) {
            st.setString(1, table.sql());
            st.setString(2, table.sql());
            st.setString(3, JobSchema.SCHEMA);
            st.setString(4, JobSchema.SCHEMA);
            st.setString(5, JobSchema.SCHEMA);
            st.setString(6, table.sql());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                role = rs.getString(1);
                String rights = (rs.getBoolean(2) ? "" : "SELECT") + (rs.getBoolean(2) || rs.getBoolean(3) ? "" : ", ")
                        + (rs.getBoolean(3) ? "" : "INSERT");
                if (!rights.isEmpty()) {
                    grants.add("GRANT " + rights + " ON " + table.typed() + " TO " + TargetTable.typed(role));
                }
                if (!rs.getBoolean(4)) {
                    grants.add("GRANT USAGE ON SCHEMA " + JobSchema.SCHEMA + " TO " + TargetTable.typed(role));
                }
                if (!rs.getBoolean(5)) {
                    grants.add("GRANT ALL ON ALL TABLES IN SCHEMA " + JobSchema.SCHEMA + " TO "
                            + TargetTable.typed(role));
                }
                if (!rs.getBoolean(6)) {
                    grants.add("GRANT ALL ON ALL SEQUENCES IN SCHEMA " + JobSchema.SCHEMA + " TO "
                            + TargetTable.typed(role));
                }
                if (!rs.getString(7).isEmpty()) {
                    grants.add("GRANT SELECT ON " + rs.getString(7) + " TO " + TargetTable.typed(role));
                }
            }
        }
        if (!grants.isEmpty()) {
            throw new UsageException("the role " + role + " lacks privileges a run needs, so nothing was started;"
                    + " as the table's owner: " + String.join("; ", grants));
        }
    }

    /**
     * Refuses a table the rows cannot go into exactly once and as they are: missing, lacking columns, in dollars
     * where the rows carry micro-dollars, or without the unique id that refuses a second copy of a row.
     */
    static void checkTable(BackfillContext context, Connection connection, TargetTable table) throws SQLException {
        TableShape shape = TableShape.inspect(connection, table);
        if (!shape.exists()) {
            throw new UsageException("table " + table.display() + " does not exist in database "
                    + context.database().databaseName() + "; create it with `usage-backfill schema --apply"
                    + (table.equals(TargetTable.DEFAULT) ? "" : " --table " + table.display()) + "`"
                    + " (the migration guide's DDL)");
        }
        if (!shape.missingColumns().isEmpty()) {
            throw new UsageException("table " + table.display() + " lacks the columns "
                    + shape.missingColumns() + "; compare it with `usage-backfill schema` (the guide's DDL)");
        }
        if (shape.costType() != null) {
            throw new UsageException("table " + table.display() + " has cost_usd as " + shape.costType()
                    + ", but the rows carry micro-dollars (the guide's INT: 0.5 USD is 500000), which that"
                    + " column would store a million times too large; make it an integer of micro-dollars"
                    + " (ALTER TABLE " + table.typed() + " ALTER COLUMN cost_usd TYPE integer USING"
                    + " round(cost_usd * 1000000)) or load into a table of the guide's DDL");
        }
        if (!shape.uniqueId()) {
            throw new UsageException(noUniqueKey(table, PartitionLayout.inspect(connection, table)));
        }
    }

    /**
     * Why a table without a unique key on {@code (id)} or {@code (id, created_at)} is refused, and the key to add:
     * one PostgreSQL allows on it (a partitioned table's unique keys hold its partition key's columns).
     */
    private static String noUniqueKey(TargetTable table, PartitionLayout layout) {
        String refusal = "table " + table.display() + (layout.partitioned() ? " (partitioned by " + layout.how() + ")"
                : "") + " has no primary key or unique constraint on id, or on id and created_at, so a re-run or a"
                + " rotated copy would load its events again; ";
        String key = layout.uniqueKeyAllowed();
        if (key == null) {
            return refusal + "PostgreSQL allows a unique key on a partitioned table only with its partition key's"
                    + " columns, and the tool needs one of (id) or (id, created_at): partition it by RANGE (created_at)"
                    + " with PRIMARY KEY (id, created_at), or by HASH (id) with PRIMARY KEY (id)";
        }
        return refusal + "add one (ALTER TABLE " + table.typed() + " ADD PRIMARY KEY (" + key + "))"
                + (key.equals("id") ? ", as the guide's DDL has" : ", which a table partitioned by created_at allows"
                        + " (an event's id and time both come from its line, so it still loads each event once)");
    }

    /**
     * Refuses, before a run is recorded, a role under row-level security that could not load the table exactly
     * once: no policy lets it insert, or it sees none of the rows, so it cannot tell what is already there.
     */
    static void checkRowSecurity(Connection connection, TargetTable table) throws SQLException {
        String refusal = RowSecurity.inspect(connection, table).refusal(table);
        if (refusal != null) {
            throw new UsageException(refusal);
        }
    }

    /**
     * Refuses {@code --replace-fixed} where it could lose a row, before a run is recorded: it deletes the rows of
     * earlier corrections before loading their new ones, so the role must be allowed to DELETE, and no row-level security may
     * apply (a policy that refused a corrected row would leave neither it nor the row it replaced).
     */
    static void checkReplacing(BackfillContext context, TargetTable table) throws SQLException {
        try (Connection connection = context.bean(DataSource.class).getConnection()) {
            RowSecurity security = RowSecurity.inspect(connection, table);
            if (security.active()) {
                throw new UsageException("--replace-fixed deletes the rows of earlier corrections before loading their"
                        + " new ones, which is not done where row-level security applies (" + security.why() + "): a"
                        + " policy refusing a corrected row would leave neither; nothing was loaded: run it as the"
                        + " table's owner (without FORCE ROW LEVEL SECURITY) or a role with BYPASSRLS, or leave"
                        + " --replace-fixed out to keep the earlier corrections");
            }
            try (var st = connection.prepareStatement("SELECT current_user, has_table_privilege(?::regclass,"
                    + " 'DELETE')")) {
                st.setString(1, table.sql());
                try (var rs = st.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(2)) {
                        throw new UsageException("--replace-fixed deletes the rows of earlier corrections before"
                                + " loading their new ones, but role " + rs.getString(1) + " may not DELETE from "
                                + table.display() + "; nothing was loaded: GRANT DELETE ON " + table.typed() + " TO "
                                + TargetTable.typed(rs.getString(1)) + ", or leave --replace-fixed out to keep the"
                                + " earlier corrections");
                    }
                }
            }
        }
    }

    private static boolean schemaExists(Connection connection, String schema) throws SQLException {
        try (var st = connection.prepareStatement("SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
            st.setString(1, schema);
            try (var rs = st.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Where {@code --until auto} stops: the app's first own row in the table, or null (no end) when it has none.
     * Looked up in a transaction of the tool's, with its {@code statement_timeout}: on a large table the scan can
     * outlast a role's.
     */
    static Instant liveCutover(BackfillContext context, TargetTable table) {
        return new TransactionTemplate(context.bean(PlatformTransactionManager.class)).execute(status ->
                new JdbcTemplate(context.bean(DataSource.class)).execute((ConnectionCallback<Instant>) connection ->
                        LiveCutover.find(connection, table)));
    }

    /**
     * Runs under the database's run lock, SIGINT and SIGTERM stopping it gracefully; returns the exit code: the
     * run's, or 130/143 when a signal stopped it.
     */
    static int locked(BackfillContext context, Launch launch, RunOutputs outputs, PrintStream out) throws Exception {
        try (RunLock lock = RunLock.tryAcquire(context.bean(DataSource.class))) {
            if (lock == null) {
                throw new BusyException(busy(context));
            }
            // Without its lock the run no longer keeps a second one out: it stops after the chunk in flight.
            StopRequest stop = context.bean(StopRequest.class);
            lock.onLost(() -> stop.request(StopRequest.LOST_LOCK));
            refuseWhileHalfUndone(context);
            return stoppable(context, launch, lastExecutionId(context), outputs, out);
        }
    }

    /**
     * An undo stopped half-way (killed, or the database lost) must finish before anything loads: a run now would
     * count the rows still to be undone as already in the table, and the undo, finished later, would remove them.
     */
    private static void refuseWhileHalfUndone(BackfillContext context) {
        JdbcTemplate jdbc = new JdbcTemplate(context.bean(DataSource.class));
        if (!Boolean.TRUE.equals(jdbc.execute((ConnectionCallback<Boolean>) connection ->
                JobSchema.hasTable(connection, "run_undo")))) {
            return;
        }
        List<Long> halfUndone = jdbc.queryForList("SELECT job_instance_id FROM usage_backfill.run_undo"
                + " WHERE finished_at IS NULL ORDER BY job_instance_id", Long.class);
        if (!halfUndone.isEmpty()) {
            long run = halfUndone.get(0);
            throw new BusyException("the undo of run " + run + " was stopped before it finished (status shows it"
                    + " UNDOING): finish it first with `usage-backfill undo --run " + run + "`; a run now would"
                    + " count the rows still to be undone as already in the table, and the undo would then remove"
                    + " them");
        }
    }

    /** A run with no database ({@code --csv-out}), so no lock to take; signals stop it as they stop any run. */
    static int unlocked(BackfillContext context, Launch launch, RunOutputs outputs, PrintStream out)
            throws Exception {
        return stoppable(context, launch, 0, outputs, out);
    }

    private static int stoppable(BackfillContext context, Launch launch, long executionsBefore, RunOutputs outputs,
            PrintStream out) throws Exception {
        StopRequest stop = context.bean(StopRequest.class);
        JobExecution execution;
        try (SignalStop signals = SignalStop.install(stop, context.bean(JobOperator.class),
                context.bean(JobRepository.class), executionsBefore)) {
            execution = launch.run(context.bean(BackfillRuns.class));
        }
        if (stop.requested()) {
            execution = context.bean(BackfillRuns.class).settleStopped(execution);
        }
        RunReport report = report(context, execution);
        int exit = exitCode(execution, report);
        // A signal that came as the last chunk committed stopped nothing: the run's own outcome stands.
        if (execution.getStatus() == BatchStatus.STOPPED && stop.requested()) {
            exit = SignalStop.exitCode(stop.signal());
        }
        outputs.write(report, execution.getJobParameters(), exit, out);
        return exit;
    }

    private static long lastExecutionId(BackfillContext context) {
        Long last = new JdbcTemplate(context.bean(DataSource.class)).queryForObject(
                "SELECT coalesce(max(job_execution_id), 0) FROM usage_backfill.batch_job_execution", Long.class);
        return last == null ? 0 : last;
    }

    /** The one sentence a run that finds the lock taken prints, with a server or the embedded database alike. */
    static String busy(BackfillContext context) {
        return "another usage-backfill run is using database " + context.describeDatabase()
                + "; nothing was done, try again when it ends (`status` shows it)";
    }

    /** The run's report; a run that completed without reconciling is recorded as such first. */
    static RunReport report(BackfillContext context, JobExecution execution) {
        BackfillRuns runs = context.bean(BackfillRuns.class);
        BatchStatus status = execution.getStatus();
        String manifest = execution.getExecutionContext().containsKey(MANIFEST)
                ? execution.getExecutionContext().getString(MANIFEST) : null;
        List<SourceFile> read = manifest == null ? List.of() : Manifest.read(manifest);
        int files = read.size();
        long fileBytes = read.stream().mapToLong(SourceFile::size).sum();
        int unchanged = execution.getExecutionContext().containsKey(UNCHANGED)
                ? Manifest.read(execution.getExecutionContext().getString(UNCHANGED)).size() : 0;
        String error = status == BatchStatus.COMPLETED ? null : status == BatchStatus.STOPPED ? stopped(context)
                : FailureMessages.naming(FailureMessages.describe(execution.getAllFailureExceptions()),
                        rejectsFile(execution));
        String csvOut = execution.getJobParameters().getString(CSV_OUT);
        if (error != null && csvOut != null && !csvOut.isEmpty()) {
            error = unfinishedExport(status == BatchStatus.STOPPED ? stoppedBy(context) : error, csvOut);
        }
        Checkpoint checkpoint = runs.checkpoint(execution);
        boolean reconciles = checkpoint.load().reconciles();
        boolean notReconciled = status == BatchStatus.COMPLETED && !reconciles;
        boolean keepsEarlierCorrections = keepsEarlierCorrections(execution.getJobParameters(), read);
        if (notReconciled) {
            error = notReconciled(keepsEarlierCorrections);
            runs.recordNotReconciled(execution, error);
        }
        RunReport report = RunReport.of(notReconciled ? BackfillRuns.NOT_RECONCILED : status.name(),
                Boolean.parseBoolean(execution.getJobParameters().getString(DRY_RUN)), context.describeDatabase(),
                execution.getId(),
                execution.getJobInstance().getInstanceId(),
                List.of(execution.getJobParameters().getString(PATHS, "").split("\n")), files, fileBytes, unchanged,
                checkpoint,
                TimeWindow.saved(execution.getJobParameters().getString(SINCE),
                        execution.getJobParameters().getString(UNTIL)),
                duration(execution), rejectsFile(execution), error,
                LogZone.describe(execution.getJobParameters().getString(LOG_TIMEZONE)),
                status == BatchStatus.COMPLETED ? null : reached(execution), targetNotes(execution));
        // A correction's values that did not go in are said, even where they differ only in the model or the time,
        // which the reconciliation of counts and cost does not see.
        if (keepsEarlierCorrections && report.alreadyInTable() > 0) {
            report = report.withNotice(String.format(Locale.ROOT, "%,d corrected line%s found the row of an earlier"
                    + " correction of the same line and left it as it is; `import --replace-fixed` with the same file"
                    + " replaces such rows with these corrections", report.alreadyInTable(),
                    report.alreadyInTable() == 1 ? "" : "s"));
        }
        long replaced = checkpoint.load().replaced();
        if (replaced > 0) {
            report = report.withNotice(String.format(Locale.ROOT, "%,d of the rows inserted replaced the row of an"
                    + " earlier correction of the same line (--replace-fixed), so the table grew by %,d rows",
                    replaced, report.inserted() - replaced));
        }
        return report;
    }

    /** Whether the run read corrected rejects (fed back, or named by {@code --fixes}) without replacing. */
    private static boolean keepsEarlierCorrections(JobParameters parameters, List<SourceFile> read) {
        return !Boolean.parseBoolean(parameters.getString(REPLACE_FIXED)) && (!parameters.getString(FIXES, "").isEmpty()
                || read.stream().anyMatch(file -> Corrections.isRejectsFile(Path.of(file.path()))));
    }

    /**
     * Why a completed run did not reconcile, and what to do. Corrected rejects fed back again with other counts than
     * an earlier correction find that correction's row under their id: the likeliest cause there, so it comes first.
     */
    private static String notReconciled(boolean keepsEarlierCorrections) {
        String cause = keepsEarlierCorrections
                ? " (these logs are corrected rejects: a line corrected before with other values keeps the row of"
                        + " that correction, which `import --replace-fixed` with the same file replaces; else a trigger"
                        + " or rule on the table that drops or changes rows, or rows changed since)"
                : " (a trigger or rule on the table that drops or changes rows, or rows loaded before under other"
                        + " rules or changed since)";
        return "the totals do not reconcile: the database holds other tokens or costs for these events than the"
                + " logs say" + cause + "; compare the events the reconciliation names with their rows, then decide"
                + " which is right; a retry cannot change this";
    }

    private static int exitCode(JobExecution execution, RunReport report) {
        if (execution.getStatus() == BatchStatus.COMPLETED) {
            return BackfillRuns.NOT_RECONCILED.equals(report.status()) ? ExitCodes.NOT_RECONCILED : ExitCodes.OK;
        }
        return execution.getAllFailureExceptions().stream().anyMatch(f -> FailureMessages.insufficientPrivilege(f)
                != null || FailureMessages.noPartition(f) != null || missingPartitions(f)) ? ExitCodes.USAGE
                : ExitCodes.FAILED;
    }

    private static boolean missingPartitions(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof MissingPartitionsException) {
                return true;
            }
        }
        return false;
    }

    /** What the run found out about its table before loading, or null when it did not get that far. */
    private static TargetNotes targetNotes(JobExecution execution) {
        var context = execution.getExecutionContext();
        return context.containsKey(TARGET_NOTES)
                ? StateJson.MAPPER.readValue(context.getString(TARGET_NOTES), TargetNotes.class) : null;
    }

    /** How far the run's reader got, as its progress last showed, or null when no step said. */
    private static RunReport.Reached reached(JobExecution execution) {
        var context = execution.getExecutionContext();
        if (!context.containsKey(Progress.LINES_REACHED)) {
            return null;
        }
        return new RunReport.Reached(context.getLong(Progress.LINES_REACHED), context.getLong(Progress.BYTES_REACHED),
                context.getLong(Progress.BYTES_IN_ALL));
    }

    private static String stopped(BackfillContext context) {
        return stoppedBy(context) + ": every committed chunk is kept (the counts above), the chunk in flight was"
                + " rolled back; `restart` resumes from there";
    }

    private static String stoppedBy(BackfillContext context) {
        String signal = context.bean(StopRequest.class).signal();
        if (StopRequest.LOST_LOCK.equals(signal)) {
            return "stopped: " + StopRequest.LOST_LOCK + " (the server or a pooler ended its transaction: PgBouncer's"
                    + " idle_transaction_timeout must be 0), so it no longer kept a second run out";
        }
        return "stopped" + (signal == null ? "" : " by SIG" + signal);
    }

    /**
     * An export keeps no checkpoint (no database holds its run), so what a database run's message advises, a
     * {@code restart}, cannot help it: the advice is to run it again, and the file it was to replace is untouched.
     */
    static String unfinishedExport(String error, String csvOut) {
        List<String> kept = new java.util.ArrayList<>();
        for (String clause : error.split("; ")) {
            if (!clause.contains("restart") && !clause.contains("committed chunk")) {
                kept.add(clause);
            }
        }
        String cause = kept.isEmpty() ? error.split("; ")[0] : String.join("; ", kept);
        return cause + "; the export did not finish, so " + csvOut + " was left as it was (the rows written so far"
                + " are in its .part-N.csv files); an export has no restart: run the same command again";
    }

    /** Where the rejects are: a partitioned run keeps them in one file per partition until it completes. */
    private static String rejectsFile(JobExecution execution) {
        String rejects = execution.getJobParameters().getString(REJECTS);
        boolean split = RunPartitions.of(execution.getExecutionContext()).size() > 1;
        return split && execution.getStatus() != BatchStatus.COMPLETED ? rejects + ".part-*" : rejects;
    }

    private static Duration duration(JobExecution execution) {
        LocalDateTime start = execution.getStartTime();
        LocalDateTime end = execution.getEndTime() != null ? execution.getEndTime() : LocalDateTime.now();
        return start == null ? Duration.ZERO : Duration.between(start, end);
    }

    /** Another run holds the lock: exit code 3. */
    static final class BusyException extends RuntimeException {
        BusyException(String message) {
            super(message);
        }
    }
}
