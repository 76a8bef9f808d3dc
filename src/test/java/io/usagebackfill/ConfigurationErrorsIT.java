package io.usagebackfill;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.usagebackfill.support.BackfillCli;
import io.usagebackfill.support.PasswordAskingServer;
import io.usagebackfill.support.DatabaseExtension;
import io.usagebackfill.support.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every configuration mistake exits 2 (a scheduler must not retry it) with one sentence naming what to fix, before
 * any run is recorded and before anything is written.
 */
class ConfigurationErrorsIT {

    @RegisterExtension
    static final DatabaseExtension DATABASE = DatabaseExtension.withFreshTable();

    private final TestDatabase database = DATABASE.testDatabase();
    private final BackfillCli cli = DATABASE.cli();

    @TempDir
    Path dir;

    private Path log;
    private long executionsBefore;

    @BeforeEach
    void oneLog() throws Exception {
        log = Files.write(dir.resolve("app.log"), BackfillIT.events(0, 5));
        cli.run("status");
        executionsBefore = executions();
    }

    @Test
    void aMalformedProviderMapOrPriceListExitsTwoBeforeAnyRun() throws Exception {
        Path map = Files.writeString(dir.resolve("map.csv"), "claude-,anthropic\njust-one-field\n");
        Path prices = Files.writeString(dir.resolve("prices.csv"),
                "provider,model,usd_per_million_input,usd_per_million_output\nopenai,gpt-4o,lots,10\n");

        assertRefused(importing("--provider-map", map.toString()), "--provider-map", "line 2");
        assertRefused(importing("--prices", prices.toString()), "--prices");
    }

    @Test
    void outputsInAMissingDirectoryOrNamingADirectoryASymlinkOrAnInputExitTwo() throws Exception {
        Path missing = dir.resolve("no-such-dir").resolve("out");
        Path link = Files.createSymbolicLink(dir.resolve("link.json"), dir.resolve("elsewhere.json"));

        for (String option : List.of("--rejects", "--report-json", "--csv-out")) {
            assertRefused(importing(option, missing.toString()), option, "does not exist");
            assertRefused(importing(option, dir.toString()), option, "is a directory");
            assertRefused(importing(option, link.toString()), option, "symbolic link");
            assertRefused(importing(option, log.toString()), option, "one of the log files");
        }
        assertThat(dir.resolve("elsewhere.json")).doesNotExist();
    }

    @Test
    void aJobFileWithABadBooleanAnUnknownKeyOrBrokenEscapesExitsTwo() throws Exception {
        assertRefused(job("incremental=maybe\n"), "incremental=maybe", "yes/no");
        assertRefused(job("incremantal=true\n"), "incremantal", "not an import option");
        assertRefused(job("until=\\u00zz\n"), "not a properties file");
        assertRefused(job("database=postgres\n"), "database=postgres", "embedded");
        assertRefused(job("incremental=true\nincremental=false\n"), "sets `incremental` twice", "keep one");
    }

    @Test
    void jobFileBooleansTakeYesNoOnOffAndDigits() throws Exception {
        for (String yes : List.of("true", "yes", "on", "1", "YES")) {
            BackfillCli.Outcome dry = cli.capture("run", jobFile("dry-run=" + yes + "\n").toString());
            assertThat(dry.exit()).as(dry.printed()).isZero();
            assertThat(dry.stdout()).as(yes).contains("dry run, nothing written");
        }
        BackfillCli.Outcome real = cli.capture("run", jobFile("dry-run=off\nrejects=" + dir.resolve("r.log") + "\n")
                .toString());
        assertThat(real.stdout()).contains("5 inserted");
    }

    @Test
    void restartOfAnExecutionThatDoesNotExistExitsTwo() throws Exception {
        assertRefused(cli.capture("restart", "--execution-id", "987654"), "no execution 987654");
    }

    @Test
    void aTableInASchemaThatDoesNotExistExitsTwo() throws Exception {
        assertRefused(importing("--table", "no_such_schema.token_usage"), "no_such_schema", "does not exist");
        assertRefused(importing("--table", "Reports.token_usage"), "CREATE SCHEMA \"Reports\")");
        database.execute("CREATE SCHEMA IF NOT EXISTS reports");
        assertRefused(importing("--table", "reports.missing"), "`usage-backfill schema --apply --table"
                + " reports.missing`");
    }

    @Test
    void anEmptySinceOrUntilExitsTwoRatherThanMeaningNoBound() throws Exception {
        assertRefused(importing("--since="), "--since is empty");
        assertRefused(importing("--until", " "), "--until is empty");
    }

    @Test
    void aTableWithoutAUniqueIdWhichWouldLoadARerunTwiceExitsTwo() throws Exception {
        database.execute("CREATE TABLE no_key (LIKE token_usage INCLUDING DEFAULTS)",
                "CREATE TABLE key_of_two (LIKE token_usage INCLUDING DEFAULTS, PRIMARY KEY (id, created_at))",
                "CREATE TABLE deferred_key (LIKE token_usage INCLUDING DEFAULTS,"
                        + " UNIQUE (id) DEFERRABLE INITIALLY DEFERRED)");

        for (String table : List.of("no_key", "deferred_key")) {
            assertRefused(importing("--table", table), table,
                    "no primary key or unique constraint on id, or on id and created_at", "ADD PRIMARY KEY (id)");
            assertThat(database.count("SELECT count(*) FROM " + table)).isZero();
            assertRefused(cli.capture("schema", "--apply", "--table", table), table + " existed already",
                    "ADD PRIMARY KEY (id)");
        }
        // An event's id and time both come from its line: a key on both refuses its second copy as well.
        BackfillCli.Outcome keyOfTwo = importing("--table", "key_of_two");
        assertThat(keyOfTwo.exit()).as(keyOfTwo.printed()).isZero();
        assertThat(database.count("SELECT count(*) FROM key_of_two")).isPositive();
    }

    @Test
    void aCostColumnMadeForDollarsWhichWouldHoldMicroDollarsAMillionTimesTooLargeExitsTwo() throws Exception {
        database.execute("CREATE DOMAIN dollars AS numeric(12,6)",
                "CREATE DOMAIN whole_micros AS numeric(12,0)");
        for (String type : List.of("numeric(12,6)", "numeric", "double precision", "money", "dollars", "text")) {
            database.execute("DROP TABLE IF EXISTS in_dollars", "CREATE TABLE in_dollars (LIKE token_usage"
                    + " INCLUDING DEFAULTS, PRIMARY KEY (id))", "ALTER TABLE in_dollars ALTER COLUMN cost_usd TYPE "
                    + type + " USING NULL");

            assertRefused(importing("--table", "in_dollars"), "in_dollars", "cost_usd as", "micro-dollars",
                    "ALTER COLUMN cost_usd TYPE integer");
            assertThat(database.count("SELECT count(*) FROM in_dollars")).isZero();
        }
        for (String type : List.of("bigint", "numeric(12,0)", "whole_micros")) {
            database.execute("DROP TABLE IF EXISTS in_micros", "CREATE TABLE in_micros (LIKE token_usage"
                    + " INCLUDING DEFAULTS, PRIMARY KEY (id))", "ALTER TABLE in_micros ALTER COLUMN cost_usd TYPE "
                    + type);

            assertThat(importing("--table", "in_micros").exit()).as(type).isZero();
            assertThat(database.count("SELECT sum(cost_usd) FROM in_micros")).as(type).isPositive();
        }
    }

    @Test
    void aUserWithoutThePrivilegesARunNeedsExitsTwoNamingThemNotRestart() throws Exception {
        database.execute("DROP ROLE IF EXISTS ub_select_only", "CREATE ROLE ub_select_only LOGIN",
                "GRANT SELECT ON token_usage TO ub_select_only");
        try {
            String url = database.cliUrl().replaceFirst("user=[^&]*", "user=ub_select_only");
            BackfillCli.Outcome imported = cli.capture("import", "--db", url, log.toString());
            BackfillCli.Outcome status = cli.capture("status", "--db", url);

            for (BackfillCli.Outcome outcome : List.of(imported, status)) {
                assertThat(outcome.exit()).as(outcome.printed()).isEqualTo(2);
                assertThat(outcome.stderr()).doesNotContain("chunk").doesNotContain("`restart`");
                assertThat(outcome.stderr().strip().lines()).as("one sentence").hasSize(1);
            }
            assertThat(imported.stderr()).contains("lacks privileges a run needs, so nothing was started",
                    "GRANT INSERT ON token_usage TO ub_select_only", "GRANT USAGE ON SCHEMA usage_backfill");
            assertThat(status.stderr()).contains("lacks a privilege (", "permission denied", "grant it");
            assertThat(database.count("SELECT count(*) FROM token_usage")).isZero();
        } finally {
            database.execute("DROP OWNED BY ub_select_only", "DROP ROLE ub_select_only");
        }
    }

    @Test
    void aRoleWithoutInsertOnTheTableExitsTwoNamingTheGrantAndRecordsNoRun() throws Exception {
        database.execute("DROP ROLE IF EXISTS ub_no_insert", "CREATE ROLE ub_no_insert LOGIN",
                "GRANT SELECT ON token_usage TO ub_no_insert", "GRANT USAGE ON SCHEMA usage_backfill TO ub_no_insert",
                "GRANT ALL ON ALL TABLES IN SCHEMA usage_backfill TO ub_no_insert",
                "GRANT ALL ON ALL SEQUENCES IN SCHEMA usage_backfill TO ub_no_insert");
        try {
            String url = database.cliUrl().replaceFirst("user=[^&]*", "user=ub_no_insert");

            BackfillCli.Outcome imported = cli.capture("import", "--db", url, log.toString());
            BackfillCli.Outcome status = cli.capture("status", "--db", url);

            assertRefused(imported, "GRANT INSERT ON token_usage TO ub_no_insert", "nothing was started");
            assertThat(status.stdout()).doesNotContain("restart would resume");
        } finally {
            database.execute("DROP OWNED BY ub_no_insert", "DROP ROLE ub_no_insert");
        }
    }

    @Test
    void anUnparseableUrlExitsTwoWithTheHintToPercentEncode() throws Exception {
        BackfillCli.Outcome at = cli.capture("import", "--db", "postgres://app:p@ss:word@db.example.com:5432/app",
                log.toString());
        BackfillCli.Outcome jdbc = cli.capture("import", "--db", "jdbc:postgresql://db.example.com:notaport/app",
                log.toString());

        assertRefused(at, "percent-encode", "%40");
        assertThat(at.printed()).doesNotContain("ss:word");
        assertRefused(jdbc, "percent-encode");
    }

    @Test
    void anUnknownRoleOrDatabaseOrASslModeTheServerCannotMeetExitsTwoRetryingCannotHelp() throws Exception {
        String unknownRole = database.cliUrl().replaceFirst("user=[^&]*", "user=no_such_role_i12");
        String unknownDatabase = database.cliUrl().replaceFirst("/" + database.name(), "/no_such_database_i12");

        assertRefused(cli.capture("import", "--db", unknownRole, log.toString()), "refused the login",
                "will not help");
        assertRefused(cli.capture("status", "--db", unknownDatabase), "no database no_such_database_i12");
        org.junit.jupiter.api.Assumptions.assumeFalse(serverHasSsl(), "the test server has SSL");
        assertRefused(cli.capture("import", "--db", database.cliUrl() + "&sslmode=require", log.toString()),
                "does not support SSL", "sslmode", "will not help");
    }

    @Test
    void aServerThatWantsAPasswordWhenNoneWasGivenExitsTwoNamingPgpasswordAndThePasswordFileSearched()
            throws Exception {
        try (PasswordAskingServer server = new PasswordAskingServer()) {
            String url = "postgres://app@127.0.0.1:" + server.port() + "/app";

            BackfillCli.Outcome run = BackfillCli.captureWithoutDatabase("import", "--db", url, log.toString());
            BackfillCli.Outcome status = BackfillCli.captureWithoutDatabase("status", "--db", url);

            for (BackfillCli.Outcome outcome : List.of(run, status)) {
                assertThat(outcome.exit()).as(outcome.printed()).isEqualTo(2);
                assertThat(outcome.stderr()).contains("asks for a password and none was given", "PGPASSWORD",
                        java.nio.file.Path.of(System.getProperty("user.home"), ".pgpass").toString(),
                        "will not help");
                assertThat(outcome.stderr().strip().lines()).as("one sentence").hasSize(1);
            }
        }
    }

    @Test
    void aJobFileThatNamesNoDatabaseIsRefusedNamingTheThreeWays() throws Exception {
        Path job = jobFile("");

        BackfillCli.Outcome run = BackfillCli.captureWithoutDatabase("run", job.toString());
        BackfillCli.Outcome restart = BackfillCli.captureWithoutDatabase("restart", job.toString());
        BackfillCli.Outcome status = BackfillCli.captureWithoutDatabase("status", job.toString());

        for (BackfillCli.Outcome outcome : List.of(run, restart, status)) {
            assertRefused(outcome, "names no database", "--db", "POSTGRES_URL", "DATABASE_URL",
                    "database=embedded");
        }
    }

    private boolean serverHasSsl() throws Exception {
        try (var c = database.connect(); var st = c.createStatement(); var rs = st.executeQuery("SHOW ssl")) {
            rs.next();
            return "on".equals(rs.getString(1));
        }
    }

    private BackfillCli.Outcome importing(String... options) {
        List<String> args = new ArrayList<>(List.of("import"));
        args.addAll(List.of(options));
        args.add(log.toString());
        return cli.capture(args.toArray(String[]::new));
    }

    private BackfillCli.Outcome job(String properties) throws Exception {
        return cli.capture("run", jobFile(properties).toString());
    }

    private Path jobFile(String properties) throws Exception {
        return Files.writeString(dir.resolve("job-" + System.nanoTime() + ".properties"),
                "paths=" + log + "\n" + properties);
    }

    private void assertRefused(BackfillCli.Outcome outcome, String... mentions) throws Exception {
        assertThat(outcome.exit()).as(outcome.printed()).isEqualTo(2);
        assertThat(outcome.stderr()).contains(mentions);
        assertThat(outcome.stderr().strip().lines()).as("one sentence").hasSize(1);
        assertThat(executions()).as("no run recorded").isEqualTo(executionsBefore);
        assertThat(database.count("SELECT count(*) FROM token_usage")).isZero();
    }

    private long executions() throws Exception {
        return database.count("SELECT count(*) FROM usage_backfill.batch_job_execution");
    }
}
