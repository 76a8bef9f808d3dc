package io.usagebackfill.cli;

import java.io.IOException;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.Callable;

import io.usagebackfill.config.BackfillContext;
import io.usagebackfill.config.BrokerUrl;
import io.usagebackfill.config.DatabaseUrl;
import io.usagebackfill.config.JsonLines;
import io.usagebackfill.job.Parallelism;
import io.usagebackfill.load.TargetTable;
import io.usagebackfill.config.OutputFile;
import io.usagebackfill.load.CsvParts;
import io.usagebackfill.catalog.FieldCatalog;
import io.usagebackfill.normalize.LogZone;
import io.usagebackfill.normalize.PriceList;
import io.usagebackfill.normalize.ProviderCatalog;
import io.usagebackfill.normalize.TimeWindow;
import io.usagebackfill.reject.RejectsFile;
import io.usagebackfill.metrics.RunMetrics;
import io.usagebackfill.report.Progress;
import io.usagebackfill.report.RunReport;
import io.usagebackfill.run.AlreadyCompletedException;
import io.usagebackfill.run.BackfillRuns;
import io.usagebackfill.reject.Corrections;
import io.usagebackfill.run.ImportRequest;
import io.usagebackfill.source.FileLedger;
import io.usagebackfill.read.LogLineReader;
import io.usagebackfill.source.SourceDiscovery;
import io.usagebackfill.source.SourceFile;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code import}: reads the logs under PATH... and loads their token_usage events, or writes them as CSV. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Reads logs (files, directories, globs; .gz too) and loads their token_usage events into"
                + " PostgreSQL with COPY, exactly once, checkpointing every chunk.")
final class ImportCommand implements Callable<Integer> {

    private static final String AUTO = "auto";
    /** Below the connection pool's size (application.properties), which also serves the run's own queries. */
    private static final int MAX_THREADS = 12;
    /** Each partition is a step execution, a message and a checkpoint row; far more than workers only adds those. */
    private static final int MAX_PARTITIONS = 256;

    /** The files PATH names, found once while validating (the job fixes its own list when it starts). */
    private List<SourceFile> discovered;

    @Mixin
    DatabaseOption database;

    @Mixin
    StatementTimeoutOption statementTimeout;

    @Mixin
    ManagerOptions remote;

    @Option(names = "--partitions", paramLabel = "N", description = "Split the run into N partitions and send them"
            + " over the broker (--broker, or $USAGE_BACKFILL_BROKER) to `worker` processes, which load them into"
            + " the same database; this process waits for them and reports. Instead of --threads.")
    Integer partitions;

    /** The broker the partitions go through, or null when they run on this machine's threads. */
    private BrokerUrl broker;

    @Option(names = "--csv-out", paramLabel = "FILE", description = "Write the rows as CSV (the guide's columns,"
            + " then created_at) instead of loading a database; no database is used.")
    Path csvOut;

    @Option(names = "--rejects", paramLabel = "FILE", description = "Where rejected lines go, as read; their"
            + " reasons go beside it in FILE.reasons.csv. Default: usage-backfill-rejects-<time>.log here.")
    Path rejects;

    @Option(names = "--report-json", paramLabel = "FILE", description = "Also write the report as JSON.")
    Path reportJson;

    @Option(names = "--report-html", paramLabel = "FILE", description = "Also write the report as one HTML page to"
            + " look at (rows per day as a chart with the gaps marked, tokens and spend by model, rejects by reason"
            + " with an example of each, the window and the reconciliation); self-contained, readable printed.")
    Path reportHtml;

    @Mixin
    MetricsOption metrics;

    @Option(names = "--metrics-run", paramLabel = "NAME", description = "The run label the metrics are pushed"
            + " under (the grouping key is job=\"usage-backfill\", run=NAME), the same every night so Prometheus"
            + " sees one series. Default: the job file's name (`run JOBFILE`), else --run-key as written ({date}"
            + " kept), else import.")
    String metricsRun;

    @Option(names = "--chunk-size", paramLabel = "N", defaultValue = "5000",
            description = "Events per chunk: one COPY and one checkpoint each. Default: ${DEFAULT-VALUE}.")
    int chunkSize;

    @Option(names = "--threads", paramLabel = "N", description = "Partitions loading at once, each on its own"
            + " thread and database connection (with --csv-out, each writing a part of the file, joined in order at the"
            + " end); large plain files are split at line ends. Default: one per 32 MB of input, at most one per"
            + " CPU (per two CPUs with --csv-out): 1 below 64 MB.")
    Integer threads;

    @Option(names = "--skip-limit", paramLabel = "N", defaultValue = "1000",
            description = "Rejected lines allowed before the run fails. Default: ${DEFAULT-VALUE}.")
    long skipLimit;

    @Option(names = "--max-line-bytes", paramLabel = "N", defaultValue = "1048576",
            description = "Longer lines are rejected without being read whole. Default: ${DEFAULT-VALUE}.")
    int maxLineBytes;

    @Option(names = "--strict", description = "A truncated or corrupt .gz file fails the run instead of being"
            + " reported and skipped past.")
    boolean strict;

    @Option(names = "--table", paramLabel = "NAME", defaultValue = "token_usage",
            description = "Target table, optionally schema.table. Default: ${DEFAULT-VALUE}.")
    String table;

    @Option(names = "--provider-map", paramLabel = "FILE", description = "Extra model-prefix,provider lines for"
            + " events that log no provider (built in: gpt-/o1/o3/o4 openai, claude- anthropic, gemini- google, ...).")
    Path providerMap;

    @Option(names = "--fields", paramLabel = "FILE", description = "Field map laid over the built-in catalog:"
            + " lines \"column = path, path\" (dotted or JSON Pointer, tried in order) replace a column's paths,"
            + " \"column += path\" tries them first. `fields --print` writes the built-in catalog in this form.")
    Path fields;

    @Option(names = "--log-timezone", paramLabel = "ZONE", description = "Zone of times logged without one"
            + " (Python asctime, log4js, custom formats): a region such as Europe/Berlin or an offset. Default: UTC.")
    String logTimezone;

    @Option(names = "--fixes", paramLabel = "REJECTS", description = "The PATH is a corrected copy of this rejects"
            + " file, line for line: each line loads under the id of the line it corrects, so a line corrected"
            + " twice is loaded once. Not needed when the rejects file itself, corrected in place, is the PATH.")
    Path fixes;

    @Option(names = "--replace-fixed", description = "With corrected rejects: a line corrected again replaces the"
            + " row its earlier correction loaded, instead of counting it as already in the table.")
    boolean replaceFixed;

    @Option(names = "--create-partitions", description = "On a table partitioned by RANGE on created_at without a"
            + " DEFAULT partition: make the partitions the events need that it lacks before loading, like the others"
            + " (same span, CREATE TABLE ... PARTITION OF; through pg_partman where it manages the table). Without"
            + " it such a run stops before writing, naming them.")
    boolean createPartitions;

    @Option(names = "--since", paramLabel = "WHEN", description = "Load only events at or after WHEN: a date"
            + " (2025-11-01, midnight UTC) or an instant (2025-11-01T12:00:00Z). Others are counted, not loaded.")
    String since;

    @Option(names = "--until", paramLabel = "WHEN|auto", description = "Load only events before WHEN. `auto`: before"
            + " the earliest row in the table that this tool did not write (where the app started logging to the"
            + " table itself), so the backfill never double counts.")
    String until;

    @Option(names = "--prices", paramLabel = "FILE", description = "Estimate cost_usd for events that log none:"
            + " a CSV provider,model,usd_per_million_input,usd_per_million_output (sample: jobs/prices.csv)."
            + " Logged costs are never replaced.")
    Path prices;

    @Option(names = "--dry-run", description = "Read and validate everything and print the plan (files, events, what"
            + " would be inserted and what is already there, rejects by reason) without writing to the table.")
    boolean dryRun;

    @Option(names = "--quiet", description = "No progress bar or progress lines; only the summary at the end.")
    boolean quiet;

    @Option(names = "--log-format", paramLabel = "text|json", defaultValue = "text", description = "Progress lines"
            + " (stderr) and the summary (stdout) as text or as one JSON object a line. Default: ${DEFAULT-VALUE}.")
    String logFormat;

    @Option(names = "--progress-every", paramLabel = "SECONDS", defaultValue = "5", description = "Seconds between"
            + " progress lines when stderr is not a terminal (cron, Kubernetes). Default: ${DEFAULT-VALUE}.")
    int progressEvery;

    @Option(names = "--incremental", description = "Skip files unchanged since an earlier incremental run into the"
            + " same table, and read grown files on from where that run stopped (the nightly uses it).")
    boolean incremental;

    @Option(names = "--skip-unreadable", description = "Leave out files and directories this user cannot read"
            + " (the report names and counts them) instead of refusing to start.")
    boolean skipUnreadable;

    @Option(names = "--run-key", paramLabel = "KEY", description = "Names the run, `{date}` standing for today (UTC):"
            + " running the same key again resumes it if it failed, or says it is done and exits 0.")
    String runKey;

    @Parameters(paramLabel = "PATH", arity = "1..*", description = "Log files, directories (read recursively) or"
            + " globs such as 'logs/*.log*'.")
    List<String> paths;

    @Override
    public Integer call() throws Exception {
        ImportRequest request = validate();
        try (RunMetrics pushed = pushedMetrics()) {
            RunOutputs outputs = new RunOutputs(reportJson, reportHtml, pushed);
            try {
                return run(request, outputs);
            } catch (Exception e) {
                outputs.failedBeforeReport(metricsGroup(), e);
                throw e;
            }
        }
    }

    /** The run's metrics, when a Pushgateway is named; a dry run pushes none, its figures being only a plan. */
    private RunMetrics pushedMetrics() {
        RunMetrics pushed = metrics.resolve(database.env(), null, System.err);
        if (pushed != null && dryRun) {
            System.out.println("import: a dry run pushes no metrics (to " + pushed.target().display() + "): they"
                    + " would stand for a load that did not happen");
            pushed.close();
            return null;
        }
        return pushed;
    }

    private int run(ImportRequest request, RunOutputs outputs) throws Exception {
        if (csvOut != null) {
            try (FileLock lock = CsvParts.lock(csvOut)) {
                if (lock == null) {
                    System.err.println("usage-backfill: another export is writing " + csvOut + " now; nothing was"
                            + " done, so wait for it to end (or write to another file)");
                    return ExitCodes.BUSY;
                }
                try (BackfillContext context = BackfillContext.withoutDatabase(outputs.metrics())) {
                    return RunSession.unlocked(context, runs -> runs.start(request), outputs, System.out);
                }
            }
        }
        DatabaseUrl url = database.resolve();
        if (broker != null && url == null) {
            throw new UsageException("--partitions sends partitions to workers, which load into the database; give"
                    + " --db URL (or POSTGRES_URL / DATABASE_URL) that every worker can reach, not the embedded one");
        }
        if (incremental && !dryRun && url != null && nothingNew(url, request, outputs)) {
            return ExitCodes.OK;
        }
        Map<String, Object> brokerProperties = broker == null ? Map.of() : remote.connect(broker);
        try (BackfillContext context = BackfillContext.withDatabase(url, database.env(),
                statementTimeout.with(brokerProperties), outputs.metrics())) {
            RunSession.prepare(context, TargetTable.parse(table));
            if (replaceFixed) {
                RunSession.checkReplacing(context, TargetTable.parse(table));
            }
            ImportRequest settled = AUTO.equals(until) ? request.withUntil(RunSession.liveCutover(context,
                    TargetTable.parse(table))) : request;
            return RunSession.locked(context, runs -> runs.start(settled), outputs, System.out);
        } catch (AlreadyCompletedException e) {
            String said = e.getMessage() + " (database " + (url == null ? "embedded" : url.location()) + ")";
            if (e.notReconciled()) {
                System.err.println("import: " + said);
                nothingToDo(BackfillRuns.NOT_RECONCILED, url, e.executionId(), 0, said, outputs,
                        ExitCodes.NOT_RECONCILED);
                return ExitCodes.NOT_RECONCILED;
            }
            System.out.println("import: " + said);
            nothingToDo("ALREADY_COMPLETED", url, e.executionId(), 0, said, outputs, ExitCodes.OK);
            return ExitCodes.OK;
        }
    }

    /** A run with nothing to do still writes its reports and pushes its outcome ({@link RunOutputs#nothingToDo}). */
    private void nothingToDo(String status, DatabaseUrl url, long executionId, int unchangedFiles, String said,
            RunOutputs outputs, int exit) throws IOException {
        outputs.nothingToDo(RunReport.nothingToDo(status, url == null ? "embedded" : url.location()
                + (url.user() != null ? " (user " + url.user() + ")" : ""), executionId, paths, unchangedFiles, said),
                metricsGroup(), exit, System.out);
    }

    /**
     * An incremental run over files that are all unchanged since an earlier incremental run has nothing to read: it
     * says so without starting the job, which makes a nightly over a quiet directory cost a second, not a job's
     * start-up.
     */
    private boolean nothingNew(DatabaseUrl url, ImportRequest request, RunOutputs outputs)
            throws SQLException, IOException {
        try (Connection connection = BackfillContext.connect(url)) {
            if (!FileLedger.exists(connection)) {
                return false;
            }
            List<SourceFile> files = discovered;
            FileLedger.Plan plan = new FileLedger(new JdbcTemplate(new SingleConnectionDataSource(connection, true)),
                    request.table()).plan(files);
            if (!plan.toRead().isEmpty()) {
                return false;
            }
            Completed completed = request.runKey() == null ? null
                    : completedExecution(connection, request.runKey(), String.join("\n", request.paths()));
            if (completed != null && !completed.reconciled()) {
                // The run key's own path says that run did not reconcile, with the exit code that goes with it.
                return false;
            }
            Long done = completed == null ? null : completed.executionId();
            String said = done != null
                    ? "the run " + request.runKey() + " already completed (execution " + done + "), and "
                            + unchanged(files.size()) + " since; nothing to do (database " + url.location() + ")"
                    : "nothing new: " + unchanged(files.size()) + " since an earlier incremental run read"
                            + " them; nothing to do (database " + url.location() + ")";
            System.out.println("import: " + said);
            nothingToDo(done != null ? "ALREADY_COMPLETED" : "NOTHING_NEW", url, done == null ? 0 : done,
                    files.size(), said, outputs, ExitCodes.OK);
            return true;
        }
    }

    private static String unchanged(int files) {
        return files == 1 ? "the 1 file is unchanged" : "the " + files + " files are unchanged";
    }

    /** The execution that completed the run named {@code runKey} over the same paths, or null. */
    private record Completed(long executionId, boolean reconciled) {
    }

    private static Completed completedExecution(Connection connection, String runKey, String paths)
            throws SQLException {
        try (var st = connection.prepareStatement("SELECT e.job_execution_id, e.exit_code FROM"
                + " usage_backfill.batch_job_execution e"
                + " JOIN usage_backfill.batch_job_execution_params k ON k.job_execution_id = e.job_execution_id"
                + " JOIN usage_backfill.batch_job_execution_params p ON p.job_execution_id = e.job_execution_id"
                + " WHERE k.parameter_name = 'runKey' AND k.parameter_value = ? AND p.parameter_name = 'paths'"
                + " AND p.parameter_value = ? AND e.status = 'COMPLETED' ORDER BY e.job_execution_id DESC LIMIT 1")) {
            st.setString(1, runKey);
            st.setString(2, paths);
            try (var rs = st.executeQuery()) {
                return rs.next() ? new Completed(rs.getLong(1), !BackfillRuns.NOT_RECONCILED.equals(rs.getString(2)))
                        : null;
            }
        }
    }

    /** {@code file}, or the name a dry run takes beside it when it exists, noted in {@code moved}. */
    private static Path besideIfTaken(Path file, List<String> moved) {
        Path dry = OutputNames.dryRun(file);
        if (dry != null && !dry.equals(file)) {
            moved.add(dry + " (not " + file.getFileName() + ")");
        }
        return dry;
    }

    /** A bar on a terminal, lines elsewhere, JSON lines when asked, nothing with --quiet. */
    private Progress.Mode progressMode() {
        if (quiet) {
            return logFormat.equals("json") ? Progress.Mode.QUIET_JSON : Progress.Mode.QUIET;
        }
        if (logFormat.equals("json")) {
            return Progress.Mode.JSON;
        }
        return System.console() != null ? Progress.Mode.BAR : Progress.Mode.TEXT;
    }

    /** A malformed map is a configuration error: found now, before any run is recorded, not by the job. */
    private void checkProviderMap() {
        if (providerMap == null) {
            return;
        }
        try {
            ProviderCatalog.withFile(providerMap);
        } catch (java.io.IOException e) {
            throw new UsageException("--provider-map " + providerMap + " cannot be read (" + e.getMessage()
                    + "); give a readable file of model-prefix,provider lines");
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private ImportRequest validate() {
        if (!logFormat.equals("text") && !logFormat.equals("json")) {
            throw new UsageException("--log-format " + logFormat + " is not a format; use text or json");
        }
        if (logFormat.equals("json")) {
            JsonLines.useJson();
        }
        if (progressEvery < 0) {
            throw new UsageException("--progress-every " + progressEvery + " is negative; use 0 or more seconds");
        }
        if (chunkSize < 1 || chunkSize > 1_000_000) {
            throw new UsageException("--chunk-size " + chunkSize + " is out of range; use 1 to 1000000");
        }
        if (threads != null && (threads < 1 || threads > MAX_THREADS)) {
            throw new UsageException("--threads " + threads + " is out of range; use 1 to " + MAX_THREADS);
        }
        Integer planned = remotePartitions();
        if (skipLimit < 0) {
            throw new UsageException("--skip-limit " + skipLimit + " is negative; use 0 or more");
        }
        if (maxLineBytes < 1024 || maxLineBytes > LogLineReader.MAX_LINE_BYTES) {
            throw new UsageException("--max-line-bytes " + maxLineBytes + " is out of range; use 1024 to "
                    + LogLineReader.MAX_LINE_BYTES + " (64 MiB)");
        }
        TargetTable.parse(table);
        if (dryRun && csvOut != null) {
            throw new UsageException("--dry-run plans a load into the database, and --csv-out uses none; drop one");
        }
        if (createPartitions && csvOut != null) {
            throw new UsageException("--create-partitions makes partitions of the table, and --csv-out uses none;"
                    + " drop one");
        }
        if (AUTO.equals(until) && csvOut != null) {
            throw new UsageException("--until auto looks for the app's own rows in the database, and --csv-out uses"
                    + " none; give --until a date or instant");
        }
        for (String[] bound : new String[][] {{"--since", since}, {"--until", until}}) {
            if (bound[1] != null && bound[1].isBlank()) {
                throw new UsageException(bound[0] + " is empty; give a date (2025-11-01, midnight UTC) or an instant"
                        + " (2025-11-01T12:00:00Z), or leave the option out for no bound");
            }
        }
        TimeWindow window = new TimeWindow(TimeWindow.parse("--since", since),
                AUTO.equals(until) ? null : TimeWindow.parse("--until", until));
        checkProviderMap();
        if (prices != null) {
            PriceList.read(prices);
        }
        rejects = rejects != null ? OutputNames.expandDate(rejects) : OutputNames.defaultRejects();
        reportJson = OutputNames.expandDate(reportJson);
        reportHtml = OutputNames.expandDate(reportHtml);
        if (metricsRun != null && metricsRun.isBlank()) {
            throw new UsageException("--metrics-run is empty; give the name the run's metrics are pushed under, such"
                    + " as nightly, or leave the option out");
        }
        if (dryRun) {
            List<String> moved = new ArrayList<>();
            rejects = besideIfTaken(rejects, moved);
            reportJson = besideIfTaken(reportJson, moved);
            reportHtml = besideIfTaken(reportHtml, moved);
            if (!moved.isEmpty()) {
                System.out.println("import: a dry run does not write over a real run's files; it writes "
                        + String.join(", ", moved));
            }
        }
        csvOut = OutputNames.expandDate(csvOut);
        RejectsFile rejectsFile = new RejectsFile(rejects.toAbsolutePath());
        rejectsFile.checkWritable();
        if (reportJson != null) {
            OutputFile.check("--report-json", reportJson);
        }
        if (reportHtml != null) {
            OutputFile.check("--report-html", reportHtml);
        }
        if (csvOut != null) {
            OutputFile.check("--csv-out", csvOut);
            CsvParts.check(csvOut, MAX_THREADS);
        }
        if (fields != null) {
            readFields(fields);
        }
        LogZone.of(logTimezone);
        discovered = new SourceDiscovery().discover(paths, skipUnreadable).files();
        Set<String> inputs = discovered.stream().map(SourceFile::path).collect(Collectors.toSet());
        OutputFile.checkNotInput("--rejects", rejectsFile.linesPath(), inputs);
        OutputFile.checkNotInput("--rejects", rejectsFile.reasonsPath(), inputs);
        if (reportJson != null) {
            OutputFile.checkNotInput("--report-json", reportJson, inputs);
        }
        if (reportHtml != null) {
            OutputFile.checkNotInput("--report-html", reportHtml, inputs);
        }
        if (csvOut != null) {
            OutputFile.checkNotInput("--csv-out", csvOut, inputs);
        }
        checkCorrections(discovered);
        String rejectsPath = rejects.toAbsolutePath().toString();
        return new ImportRequest(paths.stream().map(p -> Path.of(p).toAbsolutePath().toString()).toList(),
                rejectsPath, csvOut == null ? null : csvOut.toAbsolutePath().toString(), chunkSize,
                Math.max(skipLimit, 0), maxLineBytes, strict, table,
                providerMap == null ? null : providerMap.toAbsolutePath().toString(), window,
                // A dry run must not use up the day's run key: the real run still has to happen.
                runKey == null || dryRun ? null : OutputNames.expandDate(runKey),
                incremental, prices == null ? null : prices.toAbsolutePath().toString(), dryRun, progressMode().name(),
                progressEvery, planned != null ? planned : defaultThreads(), skipUnreadable, fields == null ? null : fields.toAbsolutePath().toString(),
                logTimezone == null || logTimezone.isBlank() ? null : logTimezone.strip(),
                fixes == null ? null : fixes.toAbsolutePath().toString(), replaceFixed, metricsGroup(),
                createPartitions);
    }

    /** The {@code run} label of the metrics: --metrics-run, else the run key as written, else {@code import}. */
    private String metricsGroup() {
        if (metricsRun != null) {
            return metricsRun.strip();
        }
        return runKey != null && !runKey.isBlank() ? runKey.strip() : "import";
    }

    /**
     * A corrected rejects file must still hold one line per reject, or its lines would take other lines'
     * identities: checked before anything is loaded, for {@code --fixes} and for a rejects file given as a PATH.
     */
    private void checkCorrections(List<SourceFile> discovered) {
        if (fixes != null) {
            if (!Corrections.isRejectsFile(fixes)) {
                throw new UsageException("--fixes " + fixes + " is not a rejects file of this tool (there is no "
                        + Corrections.reasonsOf(fixes).getFileName() + " beside it); name the rejects file whose"
                        + " lines the PATH corrects");
            }
            if (discovered.size() != 1) {
                throw new UsageException("--fixes " + fixes + " takes one PATH, the corrected copy of it, but "
                        + discovered.size() + " files were given; import them one by one");
            }
            Corrections.check(Path.of(discovered.get(0).path()), fixes);
            return;
        }
        for (SourceFile file : discovered) {
            Path path = Path.of(file.path());
            if (Corrections.isRejectsFile(path)) {
                Corrections.check(path, path);
            } else if (replaceFixed) {
                throw new UsageException("--replace-fixed replaces rows of corrected rejects only, but " + path
                        + " is no rejects file (no " + Corrections.reasonsOf(path).getFileName() + " beside it);"
                        + " import logs without it, or name the rejects file it corrects with --fixes");
            }
        }
    }

    private static void readFields(Path file) {
        try {
            FieldCatalog.withFile(file);
        } catch (IOException e) {
            throw new UsageException("--fields " + file + " cannot be read (" + e.getMessage() + "); give a readable"
                    + " file (fields --print writes the built-in one to start from)");
        }
    }

    /**
     * How many partitions the run is planned in: --partitions for workers over the broker, else --threads; null
     * when neither is given, for {@link #defaultThreads()} to choose once the input is known.
     */
    private Integer remotePartitions() {
        if (partitions == null) {
            if (remote.broker.url != null) {
                throw new UsageException("--broker sends partitions to workers; say how many with --partitions N"
                        + " (a few per worker evens out their sizes)");
            }
            return threads;
        }
        if (partitions < 1 || partitions > MAX_PARTITIONS) {
            throw new UsageException("--partitions " + partitions + " is out of range; use 1 to " + MAX_PARTITIONS);
        }
        broker = remote.broker.resolve(database.env());
        if (broker == null) {
            throw new UsageException("--partitions sends partitions to workers over a broker; give --broker"
                    + " amqp://user:password@host:5672/vhost (or " + BrokerUrl.ENVIRONMENT + ")");
        }
        if (threads != null && threads != 1) {
            throw new UsageException("--threads runs partitions on this machine and --partitions on workers; drop"
                    + " --threads");
        }
        if (csvOut != null) {
            throw new UsageException("--partitions loads partitions into the database from workers, and --csv-out"
                    + " writes one file here; drop one");
        }
        return partitions;
    }

    /**
     * One partition per CPU for a large input, one for a small input. An export's partition keeps two CPUs busy on
     * its own (its parse thread, and its writer, which has no database to wait for): one per two CPUs.
     */
    private int defaultThreads() {
        int cpus = Runtime.getRuntime().availableProcessors();
        return Parallelism.byDefault(discovered.stream().mapToLong(SourceFile::bytesToRead).sum(),
                csvOut != null ? Math.max(1, cpus / 2) : cpus, MAX_THREADS);
    }
}
