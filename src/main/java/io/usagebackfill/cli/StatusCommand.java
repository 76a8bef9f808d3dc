package io.usagebackfill.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import javax.sql.DataSource;

import io.usagebackfill.checkpoint.Checkpoint;
import io.usagebackfill.config.BackfillContext;
import io.usagebackfill.reject.RejectsTable;
import io.usagebackfill.report.ReportPrinter;
import io.usagebackfill.run.BackfillRuns;
import io.usagebackfill.run.JobSchema;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.jdbc.core.JdbcTemplate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code status}: the recent runs, their counts and outcome, and which one {@code restart} would resume. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Lists recent runs with their counts and outcome, and which one `restart` would resume.")
final class StatusCommand implements Callable<Integer> {

    @Mixin
    DatabaseOption database;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "10", description = "Runs to show. Default: 10.")
    int limit;

    @Override
    public Integer call() throws Exception {
        try (BackfillContext context = BackfillContext.withDatabase(database.resolve(), System::getenv)) {
            JobSchema.ensure(context.bean(DataSource.class));
            BackfillRuns runs = context.bean(BackfillRuns.class);
            JdbcTemplate jdbc = new JdbcTemplate(context.bean(DataSource.class));
            List<Map<String, Object>> rows = new ArrayList<>();
            Long resumable = null;
            for (JobExecution execution : runs.recent(limit)) {
                Checkpoint checkpoint = runs.checkpoint(execution);
                boolean unfinished = execution.getStatus() != BatchStatus.COMPLETED
                        && execution.getStatus() != BatchStatus.ABANDONED;
                if (unfinished && resumable == null) {
                    resumable = execution.getId();
                }
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("runId", execution.getJobInstance().getInstanceId());
                row.put("executionId", execution.getId());
                row.put("status", execution.getStatus().name());
                row.put("started", String.valueOf(execution.getStartTime()));
                row.put("ended", String.valueOf(execution.getEndTime()));
                row.put("inserted", checkpoint.load().inserted());
                row.put("duplicates", checkpoint.load().duplicates());
                row.put("rejected", checkpoint.rejects().count());
                row.put("linesRead", checkpoint.read().linesRead());
                row.put("topReasons", checkpoint.rejects().count() == 0 ? Map.of()
                        : RejectsTable.topReasons(jdbc, execution.getJobInstance().getInstanceId(), 3));
                rows.add(row);
            }
            if (json) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("runs", rows);
                out.put("restartWouldResume", resumable);
                System.out.println(ReportPrinter.json(out));
                return ExitCodes.OK;
            }
            if (rows.isEmpty()) {
                System.out.println("no runs yet in database " + context.database().databaseName());
                return ExitCodes.OK;
            }
            System.out.printf(Locale.ROOT, "%-5s %-9s %-10s %-26s %12s %11s %9s%n", "run", "execution", "status",
                    "started", "inserted", "duplicates", "rejected");
            for (Map<String, Object> row : rows) {
                System.out.printf(Locale.ROOT, "%-5s %-9s %-10s %-26s %,12d %,11d %,9d%n", row.get("runId"),
                        row.get("executionId"), row.get("status"), row.get("started"), row.get("inserted"),
                        row.get("duplicates"), row.get("rejected"));
            }
            rows.stream().filter(row -> !((Map<?, ?>) row.get("topReasons")).isEmpty()).findFirst().ifPresent(row ->
                    System.out.println("top reject reasons of run " + row.get("runId") + " (all in"
                            + " usage_backfill.rejected_line): " + ((Map<?, ?>) row.get("topReasons")).entrySet()
                                    .stream().map(e -> e.getKey() + " (" + e.getValue() + ")")
                                    .collect(java.util.stream.Collectors.joining("; "))));
            System.out.println(resumable == null ? "restart: nothing to resume; every run shown completed"
                    : "restart would resume execution " + resumable);
            return ExitCodes.OK;
        }
    }
}
