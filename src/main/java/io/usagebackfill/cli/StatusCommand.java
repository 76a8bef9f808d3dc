package io.usagebackfill.cli;

import static io.usagebackfill.job.JobParameterNames.DRY_RUN;
import static io.usagebackfill.job.JobParameterNames.PATHS;
import static io.usagebackfill.job.JobParameterNames.RUN_KEY;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import io.usagebackfill.checkpoint.Checkpoint;
import io.usagebackfill.config.BackfillContext;
import io.usagebackfill.config.DatabaseUrl;
import io.usagebackfill.config.EmbeddedDatabase;
import io.usagebackfill.reject.RejectsTable;
import io.usagebackfill.report.ReportPrinter;
import io.usagebackfill.run.BackfillRuns;
import io.usagebackfill.run.RunLock;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.jdbc.core.JdbcTemplate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code status}: the recent runs, their executions, counts and outcome, and which one {@code restart} would resume.
 * Read-only: it creates nothing (no schema, no embedded database that is not there) and works with a role that may
 * only read.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Lists recent runs (a live one as RUNNING) with their executions, counts and outcome, and which"
                + " one `restart` would resume. Read-only.")
final class StatusCommand implements Callable<Integer> {

    @Mixin
    DatabaseOption database;

    @Parameters(index = "0", arity = "0..1", paramLabel = "JOBFILE", description = "Only the runs of this job file"
            + " (its paths), on its database; never the embedded one unless the file says database=embedded.")
    Path jobFile;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "10", description = "Runs to show. Default: 10.")
    int limit;

    @Override
    public Integer call() throws Exception {
        JobDefinition job = jobFile == null ? null : JobDefinition.read(jobFile);
        DatabaseUrl url = JobDatabase.of(job, database);
        Path embedded = EmbeddedDatabase.defaultDataDirectory(database.env());
        if (url == null && !Files.isDirectory(embedded)) {
            throw new UsageException("there is no embedded database in " + embedded + " yet, so no runs to show (status"
                    + " creates nothing); to see another database's runs " + DatabaseOption.THREE_WAYS);
        }
        try (BackfillContext context = BackfillContext.withDatabase(url, database.env())) {
            DataSource dataSource = context.bean(DataSource.class);
            boolean live;
            boolean schema;
            try (Connection connection = dataSource.getConnection()) {
                live = RunLock.isHeld(connection);
                schema = hasJobTables(connection);
            }
            List<Map<String, Object>> rows = schema ? rows(context, job == null ? null : job.recordedPaths(), live)
                    : List.of();
            Object resumable = rows.stream().filter(r -> Boolean.TRUE.equals(r.get("resumable")))
                    .map(r -> r.get("executionId")).findFirst().orElse(null);
            if (json) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("database", context.describeDatabase());
                out.put("runs", rows);
                out.put("restartWouldResume", resumable);
                System.out.println(ReportPrinter.json(out));
            } else {
                print(context, rows, resumable);
            }
            return ExitCodes.OK;
        }
    }

    private static boolean hasJobTables(Connection connection) throws java.sql.SQLException {
        try (var st = connection.prepareStatement("SELECT to_regclass('usage_backfill.batch_job_execution') IS NOT NULL"
                + " AND to_regclass('usage_backfill.partition_checkpoint') IS NOT NULL");
                var rs = st.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private List<Map<String, Object>> rows(BackfillContext context, String paths, boolean live) {
        BackfillRuns runs = context.bean(BackfillRuns.class);
        JdbcTemplate jdbc = new JdbcTemplate(context.bean(DataSource.class));
        List<Map<String, Object>> rows = new ArrayList<>();
        boolean liveShown = false;
        for (JobExecution execution : runs.recent(paths == null ? limit : 100)) {
            if (paths != null && !paths.equals(execution.getJobParameters().getString(PATHS))) {
                continue;
            }
            if (rows.size() == limit) {
                break;
            }
            // One run holds the lock at a time: the newest one marked running is it; older ones crashed.
            boolean running = execution.getStatus().isRunning() && live && !liveShown;
            liveShown |= running;
            rows.add(row(runs, jdbc, execution, running));
        }
        return rows;
    }

    private static Map<String, Object> row(BackfillRuns runs, JdbcTemplate jdbc, JobExecution execution,
            boolean running) {
        Checkpoint checkpoint = runs.checkpoint(execution);
        long runId = execution.getJobInstance().getInstanceId();
        BatchStatus status = execution.getStatus();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("runId", runId);
        row.put("runKey", execution.getJobParameters().getString(RUN_KEY));
        row.put("dryRun", Boolean.parseBoolean(execution.getJobParameters().getString(DRY_RUN)));
        row.put("executionId", execution.getId());
        row.put("status", running ? "RUNNING" : status.isRunning() ? "CRASHED"
                : BackfillRuns.NOT_RECONCILED.equals(execution.getExitStatus().getExitCode())
                        ? BackfillRuns.NOT_RECONCILED : status.name());
        row.put("started", zoned(execution.getStartTime()));
        row.put("ended", zoned(execution.getEndTime()));
        row.put("inserted", checkpoint.load().inserted());
        row.put("alreadyInTable", checkpoint.load().alreadyInTable());
        row.put("duplicatesInInput", checkpoint.load().repeated());
        row.put("rejected", checkpoint.rejects().count());
        row.put("ignored", checkpoint.process().ignored());
        row.put("linesRead", checkpoint.read().linesRead());
        row.put("resumable", !running && status != BatchStatus.COMPLETED && status != BatchStatus.ABANDONED);
        row.put("executions", runs.history(execution.getJobInstance()).stream().map(e -> {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("executionId", e.getId());
            one.put("status", e.getId() == execution.getId() ? row.get("status") : e.getStatus().name());
            one.put("started", zoned(e.getStartTime()));
            one.put("ended", zoned(e.getEndTime()));
            return one;
        }).toList());
        row.put("topReasons", checkpoint.rejects().count() == 0 ? Map.of() : RejectsTable.topReasons(jdbc, runId, 3));
        Map<String, Object> undone = undone(jdbc, runId);
        if (undone != null) {
            row.put("undone", undone);
            row.put("status", undone.get("finished") == null ? "UNDOING" : "UNDONE");
            row.put("resumable", false);
        }
        return row;
    }

    /** When an undo of the run began and ended and what it removed; null when it was not undone. */
    private static Map<String, Object> undone(JdbcTemplate jdbc, long runId) {
        // A schema made by a version before undo has no such table; status creates nothing.
        if (!Boolean.TRUE.equals(jdbc.queryForObject("SELECT to_regclass('usage_backfill.run_undo') IS NOT NULL",
                Boolean.class))) {
            return null;
        }
        List<Map<String, Object>> found = jdbc.query("SELECT started_at, finished_at, removed, gone, changed FROM"
                + " usage_backfill.run_undo WHERE job_instance_id = ?", (rs, i) -> {
                    Map<String, Object> undo = new LinkedHashMap<>();
                    undo.put("started", zoned(rs.getObject(1, java.time.OffsetDateTime.class)));
                    undo.put("finished", zoned(rs.getObject(2, java.time.OffsetDateTime.class)));
                    undo.put("removed", rs.getLong(3));
                    undo.put("gone", rs.getLong(4));
                    undo.put("changed", rs.getLong(5));
                    return undo;
                }, runId);
        return found.isEmpty() ? null : found.get(0);
    }

    private static String zoned(java.time.OffsetDateTime time) {
        return time == null ? null : zoned(time.atZoneSameInstant(ZoneId.systemDefault()).toLocalDateTime());
    }

    /** Spring Batch keeps local times of this machine's zone; shown with that zone's offset. */
    private static String zoned(LocalDateTime time) {
        // The formatter, not toString(), which leaves out seconds that are zero (13:34Z) and so varies in width.
        return time == null ? null : time.truncatedTo(ChronoUnit.SECONDS).atZone(ZoneId.systemDefault())
                .toOffsetDateTime().format(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    private static void print(BackfillContext context, List<Map<String, Object>> rows, Object resumable) {
        System.out.println("database: " + context.describeDatabase());
        if (rows.isEmpty()) {
            System.out.println("no runs yet");
            return;
        }
        String format = "%-5s %-9s %-14s %-25s %12s %12s %9s %9s %9s  %s%n";
        System.out.printf(Locale.ROOT, format, "run", "execution", "status", "started", "inserted", "in table",
                "repeated", "rejected", "ignored", "run key");
        for (Map<String, Object> row : rows) {
            System.out.printf(Locale.ROOT, format, row.get("runId"), row.get("executionId"), row.get("status"),
                    row.get("started"), String.format(Locale.ROOT, "%,d", (Long) row.get("inserted")),
                    String.format(Locale.ROOT, "%,d", (Long) row.get("alreadyInTable")),
                    String.format(Locale.ROOT, "%,d", (Long) row.get("duplicatesInInput")),
                    String.format(Locale.ROOT, "%,d", (Long) row.get("rejected")),
                    String.format(Locale.ROOT, "%,d", (Long) row.get("ignored")),
                    (row.get("runKey") == null ? "-" : row.get("runKey"))
                            + (Boolean.TRUE.equals(row.get("dryRun")) ? " (dry run)" : ""));
            if (row.get("undone") instanceof Map<?, ?> undone) {
                System.out.printf(Locale.ROOT, "      undone %s: %,d rows removed, %,d gone before, %,d changed and"
                        + " kept%n", undone.get("finished") == null ? "(begun " + undone.get("started")
                                + ", not finished: undo it again)" : undone.get("finished"), (Long) undone.get("removed"),
                        (Long) undone.get("gone"), (Long) undone.get("changed"));
            }
            List<?> executions = (List<?>) row.get("executions");
            if (executions.size() > 1) {
                System.out.println("      executions: " + executions.stream().map(e -> (Map<?, ?>) e)
                        .map(e -> e.get("executionId") + " " + e.get("status") + " " + e.get("started"))
                        .collect(Collectors.joining("; ")));
            }
        }
        System.out.println("inserted: rows the run added; in table: its events whose rows were there before it;"
                + " repeated: events met twice within its logs; rejected: events it could not read (reasons below);"
                + " ignored: lines that mention token_usage where no field names it as the event");
        rows.stream().filter(row -> !((Map<?, ?>) row.get("topReasons")).isEmpty()).findFirst().ifPresent(row ->
                System.out.println("top reject reasons of run " + row.get("runId") + " (all in"
                        + " usage_backfill.rejected_line): " + ((Map<?, ?>) row.get("topReasons")).entrySet()
                                .stream().map(e -> e.getKey() + " (" + e.getValue() + ")")
                                .collect(Collectors.joining("; "))));
        boolean running = rows.stream().anyMatch(row -> "RUNNING".equals(row.get("status")));
        System.out.println(resumable != null ? "restart would resume execution " + resumable
                : running ? "restart: nothing to resume; a run is in progress"
                        : "restart: nothing to resume; every run shown completed");
    }
}
