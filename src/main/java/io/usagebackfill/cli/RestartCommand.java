package io.usagebackfill.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.Callable;

import javax.sql.DataSource;

import io.usagebackfill.config.BackfillContext;
import io.usagebackfill.config.BrokerUrl;
import io.usagebackfill.config.DatabaseUrl;
import io.usagebackfill.config.EmbeddedDatabase;
import io.usagebackfill.config.OutputFile;
import io.usagebackfill.metrics.RunMetrics;
import io.usagebackfill.run.JobSchema;
import io.usagebackfill.run.NoSuchExecutionException;
import io.usagebackfill.run.NothingToRestartException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code restart}: resumes a failed, stopped or crashed run from its last committed chunk. */
@Command(name = "restart", mixinStandardHelpOptions = true,
        description = "Resumes a failed or stopped run, or one left running by a crash, from its last committed"
                + " chunk; nothing is loaded twice.")
final class RestartCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DatabaseOption database;

    @Mixin
    StatementTimeoutOption statementTimeout;

    @Parameters(index = "0", arity = "0..1", paramLabel = "JOBFILE", description = "Only the runs of this job file"
            + " (its paths), on its database: like `run`, it never falls back on the embedded database unless the"
            + " file says database=embedded; its broker, broker-queue and partition-timeout are used too.")
    Path jobFile;

    @Mixin
    ManagerOptions remote;

    @Option(names = "--execution-id", paramLabel = "N",
            description = "The execution to resume (see `status`). Default: the latest run that did not complete.")
    Long executionId;

    @Option(names = "--skip-limit", paramLabel = "N", description = "Raise (or lower) the failed run's"
            + " limit of rejected lines, for a run that failed on it. Default: the run's own.")
    Long skipLimit;

    @Option(names = "--quiet", description = "No progress bar or progress lines; only the summary at the end"
            + " (as import's --quiet).")
    boolean quiet;

    @Option(names = "--report-json", paramLabel = "FILE", description = "Also write the report as JSON"
            + " ({date} = today, UTC).")
    Path reportJson;

    @Option(names = "--report-html", paramLabel = "FILE", description = "Also write the report as an HTML page, as"
            + " import's --report-html ({date} = today, UTC).")
    Path reportHtml;

    @Mixin
    MetricsOption metrics;

    @Override
    public Integer call() throws Exception {
        if (skipLimit != null && skipLimit < 0) {
            throw new UsageException("--skip-limit " + skipLimit + " is negative; use 0 or more");
        }
        reportJson = OutputNames.expandDate(reportJson);
        if (reportJson != null) {
            OutputFile.check("--report-json", reportJson);
        }
        reportHtml = OutputNames.expandDate(reportHtml);
        if (reportHtml != null) {
            OutputFile.check("--report-html", reportHtml);
        }
        JobDefinition job = jobFile == null ? null : JobDefinition.read(jobFile);
        try (RunMetrics pushed = metrics.resolve(database.env(), job == null ? null : job.metricsPush(),
                System.err)) {
            RunOutputs outputs = new RunOutputs(reportJson, reportHtml, pushed);
            try {
                return restart(job, outputs);
            } catch (Exception e) {
                // Which run it was is known only once it has run; a job file's is pushed under the file's name.
                outputs.failedBeforeReport(job == null ? null : JobDefinition.name(job.file()), e);
                throw e;
            }
        }
    }

    private int restart(JobDefinition job, RunOutputs outputs) throws Exception {
        DatabaseUrl url = JobDatabase.of(job, database);
        String paths = job == null ? null : job.recordedPaths();
        if (job != null) {
            remote.defaultsFrom(job, spec.commandLine().getParseResult());
        }
        Path embedded = EmbeddedDatabase.defaultDataDirectory(database.env());
        if (url == null && !Files.isDirectory(embedded)) {
            // Starting the embedded database would create a cluster of 40 MB just to find no run in it.
            if (executionId != null) {
                throw new UsageException("there is no embedded database in " + embedded + " yet, so no execution "
                        + executionId + "; to restart another database's runs " + DatabaseOption.THREE_WAYS);
            }
            System.out.println("restart: there is no embedded database in " + embedded + " yet, so no failed or"
                    + " interrupted run to restart; nothing to do");
            return ExitCodes.OK;
        }
        BrokerUrl broker = remote.broker.resolve(database.env());
        if (broker != null && url != null && !spec.commandLine().getParseResult().hasMatchedOption("--broker-queue")
                && (job == null || !job.managerSettings().containsKey("broker-queue"))) {
            String recorded = recordedQueue(url, paths);
            if (recorded != null) {
                remote.broker.queue = recorded;
            }
        }
        // A run whose partitions went to workers is restarted through the broker: only its unfinished ones go out.
        Map<String, Object> brokerProperties = broker == null ? Map.of() : remote.connect(broker);
        try (BackfillContext context = BackfillContext.withDatabase(url, database.env(),
                statementTimeout.with(brokerProperties), outputs.metrics())) {
            JobSchema.ensure(context.bean(DataSource.class));
            return RunSession.locked(context, runs -> runs.restart(executionId, skipLimit, paths,
                    quiet ? io.usagebackfill.report.Progress.Mode.QUIET : null, System.console() != null), outputs,
                    System.out);
        } catch (NoSuchExecutionException e) {
            throw e;
        } catch (NothingToRestartException e) {
            if (executionId != null) {
                throw e;
            }
            // A scheduler's "restart what failed" step has done its job when nothing failed.
            System.out.println("restart: " + e.getMessage() + " (database " + (url == null ? "embedded"
                    : url.location()) + ")");
            return ExitCodes.OK;
        }
    }

    /**
     * The queue the run to restart sent its partitions through, which it recorded, so that {@code --broker} alone
     * reaches its workers; null when there is no such run (or no job schema yet), which the restart then says.
     */
    private String recordedQueue(DatabaseUrl url, String paths) {
        try (Connection connection = BackfillContext.connect(url); PreparedStatement st = connection.prepareStatement(
                "SELECT q.parameter_value FROM usage_backfill.batch_job_execution e"
                        + " JOIN usage_backfill.batch_job_execution_params q ON q.job_execution_id = e.job_execution_id"
                        + " AND q.parameter_name = 'brokerQueue' WHERE (?::bigint IS NULL OR e.job_execution_id = ?)"
                        + " AND (?::text IS NULL OR EXISTS (SELECT 1 FROM usage_backfill.batch_job_execution_params p"
                        + " WHERE p.job_execution_id = e.job_execution_id AND p.parameter_name = 'paths'"
                        + " AND p.parameter_value = ?)) AND e.status NOT IN ('COMPLETED', 'ABANDONED')"
                        + " ORDER BY e.job_execution_id DESC LIMIT 1")) {
            st.setObject(1, executionId, java.sql.Types.BIGINT);
            st.setObject(2, executionId, java.sql.Types.BIGINT);
            st.setString(3, paths);
            st.setString(4, paths);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() && !rs.getString(1).isEmpty() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            return null;
        }
    }
}
