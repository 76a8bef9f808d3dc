package io.usagebackfill.cli;

import static io.usagebackfill.job.JobParameterNames.DRY_RUN;
import static io.usagebackfill.job.JobParameterNames.MANIFEST;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.Callable;

import javax.sql.DataSource;

import io.usagebackfill.catalog.FieldCatalog;
import io.usagebackfill.config.BackfillContext;
import io.usagebackfill.config.DatabaseUrl;
import io.usagebackfill.config.EmbeddedDatabase;
import io.usagebackfill.config.OutputFile;
import io.usagebackfill.job.TokenUsageProcessor;
import io.usagebackfill.load.TargetTable;
import io.usagebackfill.normalize.PriceList;
import io.usagebackfill.normalize.TimeWindow;
import io.usagebackfill.read.LogLineReader;
import io.usagebackfill.report.ReportPrinter;
import io.usagebackfill.run.BackfillRuns;
import io.usagebackfill.run.JobSchema;
import io.usagebackfill.source.Manifest;
import io.usagebackfill.source.SourceDiscovery;
import io.usagebackfill.source.SourceFile;
import io.usagebackfill.verify.LogVerification;
import io.usagebackfill.verify.VerifyReport;
import io.usagebackfill.verify.VerifyScope;
import org.springframework.batch.core.job.JobExecution;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code verify}: compares the table with the logs, reading only. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Reads the logs exactly as import would and compares every event with the table: missing rows,"
                + " rows holding other values, and rows the runs over these files inserted that no line gives."
                + " Read-only (SELECT suffices). Exit 0 when the table matches, 1 when it does not.")
final class VerifyCommand implements Callable<Integer> {

    @Mixin
    DatabaseOption database;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Log files or directories, as given to import.")
    List<String> paths;

    @Option(names = "--table", paramLabel = "NAME", defaultValue = "token_usage",
            description = "Table to compare with, as import's --table. Default: token_usage.")
    String table;

    @Option(names = "--since", paramLabel = "WHEN", description = "Only events at or after WHEN, as import's.")
    String since;

    @Option(names = "--until", paramLabel = "WHEN", description = "Only events before WHEN, as import's.")
    String until;

    @Mixin
    ReadingOptions reading;

    @Option(names = "--prices", paramLabel = "FILE", description = "Price list, as given to import: events without"
            + " a cost are compared with the cost it estimated.")
    Path prices;

    @Option(names = "--report-json", paramLabel = "FILE", description = "Also write the findings as JSON, per day"
            + " with examples ({date} = today, UTC).")
    Path reportJson;

    @Override
    public Integer call() throws Exception {
        TargetTable target = TargetTable.parse(table);
        reportJson = OutputNames.expandDate(reportJson);
        if (reportJson != null) {
            OutputFile.check("--report-json", reportJson);
        }
        TokenUsageProcessor processor = processor();
        List<SourceFile> files = new SourceDiscovery().discover(paths);
        DatabaseUrl url = database.resolve();
        Path embedded = EmbeddedDatabase.defaultDataDirectory(database.env());
        if (url == null && !Files.isDirectory(embedded)) {
            throw new UsageException("there is no embedded database in " + embedded + " yet, so nothing to compare"
                    + " with; to verify another database " + DatabaseOption.THREE_WAYS);
        }
        try (BackfillContext context = BackfillContext.withDatabase(url, database.env())) {
            DataSource dataSource = context.bean(DataSource.class);
            checkReadable(dataSource, target, url);
            VerifyReport report = new LogVerification(dataSource, target, processor).verify(files,
                    scope(context, dataSource, files));
            report.summary().forEach(System.out::println);
            if (reportJson != null) {
                try (var out = OutputFile.create(reportJson)) {
                    out.write((ReportPrinter.json(report.toMap()) + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
            return report.matches() ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }

    /**
     * What verify needs of the database, said as a configuration error (exit 2) before anything is read: exit 1 is
     * for a table that does not match its logs, and a monitor must not take a missing table or right for that.
     */
    private static void checkReadable(DataSource dataSource, TargetTable target, DatabaseUrl url) throws Exception {
        String where = url == null ? "the embedded database" : url.redacted();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement st = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL,"
                        + " has_database_privilege(current_database(), 'TEMPORARY')")) {
            st.setString(1, target.sql());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    throw new UsageException("there is no table " + target.display() + " in " + where + " to verify;"
                            + " check --table and --db (or POSTGRES_URL / DATABASE_URL)");
                }
                if (!rs.getBoolean(2)) {
                    throw new UsageException("verify keeps the ids it read in a temporary table, and the role may"
                            + " not create one in " + where + ": GRANT TEMPORARY ON DATABASE "
                            + "<database> TO <role> (besides SELECT on " + target.display() + ")");
                }
            }
        }
    }

    private TokenUsageProcessor processor() {
        FieldCatalog catalog = reading.catalog();
        TimeWindow window = new TimeWindow(TimeWindow.parse("--since", since), TimeWindow.parse("--until", until));
        return TokenUsageProcessor.readingCorrections(reading.recognizer(catalog), reading.normalizer(catalog),
                LogLineReader.MAX_LINE_BYTES, window, prices == null ? PriceList.NONE : PriceList.read(prices));
    }

    /** The runs that read only these files (their manifests say), whose rows can be unexpected here. */
    private static List<Long> scope(BackfillContext context, DataSource dataSource, List<SourceFile> files)
            throws Exception {
        VerifyScope scope = new VerifyScope(files);
        try (Connection connection = dataSource.getConnection()) {
            if (!JobSchema.hasTable(connection, "run_insert")) {
                return scope.runs();
            }
        }
        for (JobExecution execution : context.bean(BackfillRuns.class).recent(1000)) {
            if (Boolean.parseBoolean(execution.getJobParameters().getString(DRY_RUN))
                    || !execution.getExecutionContext().containsKey(MANIFEST)) {
                continue;
            }
            scope.consider(execution.getJobInstance().getInstanceId(),
                    Manifest.read(execution.getExecutionContext().getString(MANIFEST)));
        }
        return scope.runs();
    }
}
