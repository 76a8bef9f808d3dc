package io.usagebackfill;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.usagebackfill.support.BackfillCli;
import io.usagebackfill.support.DatabaseExtension;
import io.usagebackfill.support.JarProcess;
import io.usagebackfill.support.LogFiles;
import io.usagebackfill.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * The tool as an operator meets it: the shipped schedules run by hand with their environment, the env file, the
 * launcher through a symbolic link, the report's truth about dry runs, repeats and reconciliation, and `restart`
 * showing progress as its own terminal does.
 */
class OperationsIT {

    @RegisterExtension
    static final DatabaseExtension DATABASE = DatabaseExtension.withFreshTable();

    private final TestDatabase database = DATABASE.testDatabase();
    private final BackfillCli cli = DATABASE.cli();

    @TempDir
    Path dir;

    @Test
    void theCrontabLineAndTheSystemdExecStartRunAsShippedWithTheirEnvFile() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Files.write(logs.resolve("app.log"), BackfillIT.events(0, 30));
        Path env = Files.writeString(dir.resolve("env"), "# as in /etc/usage-backfill/env\nPOSTGRES_URL="
                + database.cliUrl() + "&ApplicationName=usage-backfill\n");
        Path install = installed(logs);
        String cron = Files.readAllLines(Path.of("jobs", "nightly-backfill.crontab")).stream()
                .filter(line -> line.startsWith("15 2 ")).findFirst().orElseThrow();
        String cronCommand = cron.substring(cron.indexOf("/opt/"), cron.indexOf(" >>"));
        String service = Files.readString(Path.of("jobs", "usage-backfill-nightly.service"));
        Matcher exec = Pattern.compile("(?m)^ExecStart=(.*)$").matcher(service);
        assertThat(exec.find()).isTrue();

        JarProcess byCron = JarProcess.start(List.of("env", "-i", "HOME=" + dir, "PATH=/usr/bin:/bin", "JAVA=" + JarProcess.java(), "sh", "-c",
                shipped(cronCommand, install, env)), dir.resolve("cron.out"), Map.of());
        assertThat(byCron.exitCode()).as(byCron.output()).isZero();
        JarProcess bySystemd = JarProcess.start(List.of("env", "-i", "HOME=" + dir, "PATH=/usr/bin:/bin", "JAVA=" + JarProcess.java(), "sh", "-c",
                "cd " + install + " && " + shipped(exec.group(1), install, env)), dir.resolve("systemd.out"),
                Map.of());

        assertThat(byCron.output()).contains("COMPLETED").contains("30 inserted")
                .contains("database: ").contains(database.name()).doesNotContain("embedded");
        assertThat(bySystemd.exitCode()).as(bySystemd.output()).isZero();
        assertThat(bySystemd.output()).contains("already completed");
        assertThat(Files.list(install.resolve("state").resolve("reports")).toList()).as("made on first use")
                .hasSize(1);
        assertThat(cron).doesNotContain("CRON_TZ").doesNotContain(". ./env");
        assertThat(Files.readString(Path.of("jobs", "nightly-backfill.crontab"))).doesNotContain("CRON_TZ=");
        assertThat(service).contains("RestartPreventExitStatus=2").containsPattern("SuccessExitStatus=.*\\b143\\b")
                .contains("StateDirectory=").contains("LogsDirectory=");
        assertThat(database.count("SELECT count(*) FROM token_usage")).isEqualTo(30);
    }

    /**
     * The cron line appends to a log of its own, which nothing else rotates: the shipped logrotate file names that
     * path and, run by the real logrotate (with the test's directory and account in place of the installed ones),
     * rotates it, compressing from the second rotation on.
     */
    @Test
    void theShippedLogrotateFileRotatesTheLogTheCrontabLineWrites() throws Exception {
        Path logrotate = Path.of("/usr/sbin/logrotate");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(logrotate), "logrotate is not installed");
        String cron = Files.readAllLines(Path.of("jobs", "nightly-backfill.crontab")).stream()
                .filter(line -> line.startsWith("15 2 ")).findFirst().orElseThrow();
        Matcher appended = Pattern.compile(">> (\\S+) 2>&1$").matcher(cron);
        assertThat(appended.find()).as(cron).isTrue();
        Path cronLog = Path.of(appended.group(1));
        String shipped = Files.readString(Path.of("jobs", "usage-backfill.logrotate"));
        assertThat(shipped).contains(cronLog + " {");
        Path logs = Files.createDirectories(dir.resolve("log"));
        String user = System.getProperty("user.name");
        String group = Files.readAttributes(logs, java.nio.file.attribute.PosixFileAttributes.class).group().getName();
        Path config = Files.writeString(dir.resolve("logrotate.conf"), shipped
                .replace(cronLog.getParent().toString(), logs.toString())
                .replace("usage-backfill usage-backfill", user + " " + group));
        Path log = logs.resolve(cronLog.getFileName());

        for (String night : List.of("night 1\n", "night 2\n")) {
            Files.writeString(log, night, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            Process rotate = new ProcessBuilder(logrotate.toString(), "--force", "--state",
                    dir.resolve("logrotate.state").toString(), config.toString()).redirectErrorStream(true).start();
            String said = new String(rotate.getInputStream().readAllBytes());
            assertThat(rotate.waitFor()).as(said).isZero();
        }

        assertThat(log).isEmptyFile();
        assertThat(Path.of(log + ".1")).hasContent("night 2");
        assertThat(Path.of(log + ".2.gz")).exists();
        assertThat(new String(new java.util.zip.GZIPInputStream(Files.newInputStream(Path.of(log + ".2.gz")))
                .readAllBytes())).isEqualTo("night 1\n");
    }

    @Test
    void theLauncherWorksThroughASymbolicLinkOnThePath() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("usage-backfill"), Path.of("bin", "usage-backfill").toAbsolutePath());

        JarProcess linked = JarProcess.start(List.of("sh", "-c", "cd / && usage-backfill --version"),
                dir.resolve("linked.out"), Map.of("PATH", bin + ":" + System.getenv("PATH"), "JAVA", JarProcess.java()));

        assertThat(linked.exitCode()).as(linked.output()).isZero();
        assertThat(linked.output()).contains("usage-backfill 0.1.0");
    }

    @Test
    void anAppsOwnSpringDatasourceUrlInTheEnvironmentDoesNotSendTheRowsElsewhere() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Files.write(logs.resolve("app.log"), BackfillIT.events(0, 12));
        try (TestDatabase other = TestDatabase.create()) {
            JarProcess run = JarProcess.start(dir.resolve("spring-env.out"), Map.of("SPRING_DATASOURCE_URL", other.cliUrl(),
                    "SPRING_BATCH_JDBC_TABLE_PREFIX", "elsewhere_"), "import", "--db", database.cliUrl(), "--quiet",
                    "--rejects", dir.resolve("rejects.log").toString(), logs.toString());

            assertThat(run.exitCode()).as(run.output()).isZero();
            assertThat(run.output()).contains("12 inserted").contains(database.name());
            assertThat(database.count("SELECT count(*) FROM token_usage")).isEqualTo(12);
            assertThat(other.count("SELECT count(*) FROM pg_tables WHERE schemaname = 'usage_backfill'")).isZero();
        }
    }

    @Test
    void anInstalledCopyStartsFromTheClassDataArchiveItTrainsForItsOwnPath() throws Exception {
        Path install = Files.createDirectories(dir.resolve("opt"));
        copyTree(Path.of("bin"), install.resolve("bin"));
        copyTree(Path.of("target", "app"), install.resolve("app"));
        Map<String, String> cdsLog = Map.of("JAVA", JarProcess.java(), "JAVA_OPTS", "-Xlog:cds=info");
        String launcher = install.resolve("bin").resolve("usage-backfill").toString();

        JarProcess copied = JarProcess.start(List.of(launcher, "--version"), dir.resolve("copied.out"), cdsLog);
        assertThat(copied.exitCode()).as(copied.output()).isZero();
        JarProcess trained = JarProcess.start(List.of(install.resolve("bin").resolve("train-class-data").toString(),
                install.resolve("app").toString(), "sample-logs"), dir.resolve("train.out"),
                Map.of("JAVA", JarProcess.java()));
        assertThat(trained.exitCode()).as(trained.output()).isZero();
        JarProcess started = JarProcess.start(List.of(launcher, "--version"), dir.resolve("started.out"), cdsLog);
        assertThat(started.exitCode()).as(started.output()).isZero();

        assertThat(copied.output()).as("the build's archive names the checkout's jar").contains("mismatch");
        assertThat(started.output()).contains("usage-backfill 0.1.0").doesNotContain("mismatch")
                .contains("Opened archive " + install.resolve("app").resolve("usage-backfill-base.jsa"))
                .contains("Opened archive " + install.resolve("app").resolve("usage-backfill.jsa"));
    }

    private static void copyTree(Path from, Path to) throws java.io.IOException {
        try (var paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Files.copy(path, to.resolve(from.relativize(path).toString()),
                        java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    @Test
    void aDryRunSaysWouldAndTheReportTellsRepeatsInTheLogsFromRowsAlreadyThere() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Files.write(logs.resolve("app.log"), BackfillIT.events(0, 20));
        LogFiles.writeGzip(logs.resolve("app.log.1.gz"), BackfillIT.events(0, 10));
        JsonNode first = cli.report(dir, "import", "--rejects", dir.resolve("r1.log").toString(),
                logs.resolve("app.log.1.gz").toString());
        Files.write(logs.resolve("more.log"), BackfillIT.events(20, 25));

        BackfillCli.Outcome dry = cli.capture("import", "--dry-run", "--rejects", dir.resolve("r2.log").toString(),
                logs.toString());
        JsonNode plan = cli.report(dir, "import", "--dry-run", "--rejects", dir.resolve("r3.log").toString(),
                logs.toString());
        JsonNode real = cli.report(dir, "import", "--rejects", dir.resolve("r4.log").toString(), logs.toString());

        assertThat(first.get("inserted").longValue()).isEqualTo(10);
        assertThat(dry.stdout()).contains("dry run, nothing written: would insert 15, 10 already in the table,"
                + " 10 repeated within these logs").doesNotContain("inserted span").doesNotContain("reconciled")
                .doesNotContain("are in the table").doesNotContain(" inserted,");
        assertThat(plan.get("dryRun").booleanValue()).isTrue();
        assertThat(plan.get("inserted").longValue()).isEqualTo(15);
        assertThat(plan.get("alreadyInTable").longValue()).isEqualTo(10);
        assertThat(plan.get("duplicatesInInput").longValue()).isEqualTo(10);
        assertThat(real.get("dryRun").booleanValue()).isFalse();
        assertThat(real.get("inserted").longValue()).isEqualTo(15);
        assertThat(real.get("alreadyInTable").longValue()).as("the gz copy's ten").isEqualTo(10);
        assertThat(real.get("duplicatesInInput").longValue()).as("app.log repeats them").isEqualTo(10);
        assertThat(real.get("duplicates").longValue()).isEqualTo(20);
        JsonNode status = BackfillCli.readJsonText(cli.output("status", "--json"));
        assertThat(status.get("database").stringValue()).contains(database.name()).doesNotContain("password");
        assertThat(status.get("runs").get(1).get("dryRun").booleanValue()).isTrue();
        assertThat(status.get("runs").get(0).get("started").stringValue()).matches(".*([+-]\\d\\d:\\d\\d|Z)$");
    }

    @Test
    void aCrashedRunIsCrashedNotRunningWhileAnotherDatabaseOnTheServerHasALiveRun() throws Exception {
        Files.write(dir.resolve("app.log"), BackfillIT.events(0, 10));
        cli.report(dir, "import", "--rejects", dir.resolve("r.log").toString(), dir.resolve("app.log").toString());
        // What a SIGKILL leaves: the run's records say it runs, and nobody holds this database's run lock.
        database.execute("UPDATE usage_backfill.batch_job_execution SET status = 'STARTED', end_time = NULL");
        try (TestDatabase staging = TestDatabase.create(); java.sql.Connection live = staging.connect();
                var st = live.createStatement()) {
            // The lock a live run holds, in the other database.
            st.execute("SELECT pg_advisory_lock(" + 0x75736167655f6266L + ")");

            JsonNode status = BackfillCli.readJsonText(cli.output("status", "--json"));

            assertThat(status.get("runs").get(0).get("status").stringValue()).isEqualTo("CRASHED");
        }
    }

    @Test
    void withoutAUtf8LocaleTheSummaryStillPrintsNonAsciiModelNamesAsUtf8() throws Exception {
        Path log = dir.resolve("app.log");
        Files.writeString(log, BackfillIT.eventWithModel(0, "gpt-4o-\u00f1") + "\n");
        Map<String, String> cron = new HashMap<>();
        cron.put("LANG", null);
        cron.put("LC_CTYPE", null);
        cron.put("LC_ALL", "C");

        JarProcess export = JarProcess.start(dir.resolve("out.txt"), cron, "import", "--csv-out",
                dir.resolve("x.csv").toString(), "--rejects", dir.resolve("r.log").toString(), log.toString());

        assertThat(export.exitCode()).as(export.output()).isZero();
        assertThat(export.output()).contains("gpt-4o-\u00f1").doesNotContain("gpt-4o-?");
    }

    @Test
    void withoutAUtf8LocaleTheLauncherStillOpensLogsWhoseNamesAreNotAscii() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Files.write(logs.resolve("\u00fcmlaut-\u65e5\u672c.log"), BackfillIT.events(0, 3));

        JarProcess export = JarProcess.start(List.of("env", "-i", "PATH=/usr/bin:/bin", "LC_ALL=C",
                "JAVA=" + JarProcess.java(), Path.of("bin", "usage-backfill").toAbsolutePath().toString(), "import",
                "--csv-out", dir.resolve("x.csv").toString(), "--rejects", dir.resolve("r.log").toString(),
                logs.toString()), dir.resolve("out.txt"), Map.of());

        assertThat(export.exitCode()).as(export.output()).isZero();
        assertThat(export.output()).contains("3 written");
    }

    @Test
    void theDocumentedInstallLinesRunAgainForAnUpgradeNeverOverwriteTheOperatorsJobFile() throws Exception {
        String operations = Files.readString(Path.of("docs", "operations.md"));
        String block = operations.substring(operations.indexOf("\n## Install\n"));
        block = block.substring(block.indexOf("```bash") + 7, block.indexOf("```", block.indexOf("```bash") + 7));
        List<String> copies = block.lines().filter(line -> line.contains("/etc/usage-backfill/")
                && line.startsWith("cp ")).map(line -> line.replaceAll("\\s+#.*$", "")
                .replace("/etc/usage-backfill/", dir.resolve("etc").toString() + "/")).toList();
        Files.createDirectories(dir.resolve("etc"));
        Path operators = dir.resolve("etc").resolve("nightly-backfill.properties");

        assertThat(copies).as("the install copies the nightly's job file to /etc/usage-backfill").isNotEmpty();
        for (int install = 1; install <= 2; install++) {
            for (String line : copies) {
                Process cp = new ProcessBuilder("sh", "-c", line).inheritIO().start();
                assertThat(cp.waitFor()).as(line).isZero();
            }
            if (install == 1) {
                Files.writeString(operators, Files.readString(operators).replace("paths=/var/log/app",
                        "paths=/srv/my-app/logs"));
            }
        }
        assertThat(Files.readString(operators)).contains("paths=/srv/my-app/logs");
        String cron = Files.readString(Path.of("jobs", "nightly-backfill.crontab"));
        String service = Files.readString(Path.of("jobs", "usage-backfill-nightly.service"));
        assertThat(List.of(cron, service)).allSatisfy(scheduler -> assertThat(scheduler)
                .contains("run /etc/usage-backfill/nightly-backfill.properties"));
    }

    @Test
    void withJsonLogsEveryLineOnStdoutAndStderrIsOneJsonObjectEvenNoticesAndErrors() throws Exception {
        Path log = dir.resolve("app.log");
        Files.write(log, BackfillIT.events(0, 20));
        Path report = Files.writeString(dir.resolve("night.json"), "{\"status\":\"COMPLETED\"}\n");
        Map<String, String> env = Map.of("POSTGRES_URL", database.cliUrl());

        JarProcess dryRun = JarProcess.start(dir.resolve("dry.out"), env, "import", "--log-format", "json",
                "--dry-run", "--progress-every", "0", "--report-json", report.toString(), "--rejects",
                dir.resolve("r.log").toString(), log.toString());
        JarProcess refused = JarProcess.start(dir.resolve("refused.out"), env, "import", "--log-format=json",
                "--chunk-size", "0", log.toString());
        Path job = Files.writeString(dir.resolve("typo.properties"), "paths=" + log + "\nlog-format=json\nuntill=auto\n");
        JarProcess typo = JarProcess.start(dir.resolve("typo.out"), env, "run", job.toString());

        assertThat(dryRun.exitCode()).as(dryRun.output()).isZero();
        assertThat(refused.exitCode()).as(refused.output()).isEqualTo(2);
        assertThat(dryRun.output()).contains("does not write over");
        assertThat(refused.output()).contains("--chunk-size");
        assertThat(typo.exitCode()).as(typo.output()).isEqualTo(2);
        assertThat(typo.output()).contains("untill");
        for (JarProcess run : List.of(dryRun, refused, typo)) {
            assertThat(run.output().lines().toList()).isNotEmpty().allSatisfy(line ->
                    assertThat(BackfillCli.readJsonText(line).isObject()).as(line).isTrue());
        }
    }

    @Test
    void reconciliationComparesPromptAndCompletionTokensToo() throws Exception {
        Files.write(dir.resolve("app.log"), BackfillIT.events(0, 10));
        cli.report(dir, "import", "--rejects", dir.resolve("r1.log").toString(), dir.resolve("app.log").toString());
        // Same total and cost, other split: only comparing prompt and completion shows it.
        database.execute("UPDATE token_usage SET prompt_tokens = prompt_tokens + 1,"
                + " completion_tokens = completion_tokens - 1 WHERE id = (SELECT id FROM token_usage"
                + " WHERE completion_tokens > 0 LIMIT 1)");
        Path report = dir.resolve("again.json");

        int exit = cli.run("import", "--rejects", dir.resolve("r2.log").toString(), "--report-json",
                report.toString(), dir.resolve("app.log").toString());

        JsonNode again = BackfillCli.readJson(report);
        assertThat(exit).isEqualTo(4);
        assertThat(again.get("reconciliation").get("matches").booleanValue()).isFalse();
        assertThat(again.get("reconciliation").get("changedRows").longValue()).isEqualTo(1);
        assertThat(again.get("reconciliation").get("readTokens").longValue())
                .isEqualTo(again.get("reconciliation").get("loadedTokens").longValue());
        assertThat(again.get("reconciliation").get("loadedPromptTokens").longValue())
                .isEqualTo(again.get("reconciliation").get("readPromptTokens").longValue() + 1);
    }

    @Test
    void aFailedPartitionedRunNamesThePartitionsRealCauseInOneSentence() throws Exception {
        Files.write(dir.resolve("a.log"), BackfillIT.events(0, 30));
        List<String> lines = new java.util.ArrayList<>(BackfillIT.events(30, 60));
        lines.set(10, BackfillIT.eventWithModel(40, "explode"));
        Files.write(dir.resolve("b.log"), lines);
        refuseModelExplode();
        try {
            BackfillCli.Outcome failed = cli.capture("import", "--threads", "2", "--rejects",
                    dir.resolve("r.log").toString(), dir.resolve("a.log").toString(), dir.resolve("b.log").toString());

            assertThat(failed.exit()).isEqualTo(1);
            assertThat(failed.printed()).contains("injected failure").contains("`restart`")
                    .doesNotContain("Partition handler returned an unsuccessful step")
                    .doesNotContain("Failed to close").doesNotContain("Incorrect result size");
        } finally {
            database.execute("DROP TRIGGER refuse_explode ON token_usage", "DROP FUNCTION refuse_explode()");
        }
    }

    @Test
    void dateInRejectsAndReportGivenOnTheCommandLineIsToday() throws Exception {
        Files.write(dir.resolve("app.log"), List.of("{\"msg\":\"token_usage\",\"time\":1762682400123,"
                + "\"user_id\":\"not-a-uuid\",\"model\":\"gpt-4o\",\"prompt_tokens\":1}"));
        String today = LocalDate.now(ZoneOffset.UTC).toString();

        int exit = cli.run("import", "--rejects", dir.resolve("r-{date}.log").toString(), "--report-json",
                dir.resolve("report-{date}.json").toString(), dir.resolve("app.log").toString());

        assertThat(exit).isZero();
        assertThat(dir.resolve("r-" + today + ".log")).exists();
        assertThat(dir.resolve("report-" + today + ".json")).exists();
    }

    @ParameterizedTest(name = "quiet: {0}")
    @ValueSource(booleans = {false, true})
    void restartShowsProgressAsItsOwnTerminalOrOptionAsksNotAsTheFirstRunDid(boolean quiet) throws Exception {
        List<String> lines = new java.util.ArrayList<>(BackfillIT.events(0, 30));
        lines.set(20, BackfillIT.eventWithModel(20, "explode"));
        Files.write(dir.resolve("app.log"), lines);
        refuseModelExplode();
        assertThat(cli.run("import", "--chunk-size", "10", "--rejects", dir.resolve("r.log").toString(),
                dir.resolve("app.log").toString())).isEqualTo(1);
        // As if the first run had been started on a terminal.
        database.execute("UPDATE usage_backfill.batch_job_execution_params SET parameter_value = 'BAR'"
                + " WHERE parameter_name = 'progress'", "DROP TRIGGER refuse_explode ON token_usage");

        BackfillCli.Outcome restarted = quiet ? cli.capture("restart", "--quiet") : cli.capture("restart");

        assertThat(restarted.exit()).as(restarted.printed()).isZero();
        assertThat(database.count("SELECT count(*) FROM usage_backfill.batch_job_execution_params WHERE"
                + " parameter_name = 'progress' AND parameter_value = '" + (quiet ? "QUIET" : "TEXT") + "'"))
                .as(quiet ? "as --quiet asks" : "off a terminal now").isEqualTo(1);
        if (quiet) {
            assertThat(restarted.stderr()).doesNotContain("usage-backfill: 100%");
        } else {
            assertThat(restarted.stderr()).contains("usage-backfill: 100%");
        }
        assertThat(restarted.stdout()).contains("COMPLETED");
    }

    @Test
    void statusCreatesNothingAndWorksWithAReadOnlyRole() throws Exception {
        TestDatabase empty = TestDatabase.create();
        try (empty) {
            BackfillCli.Outcome none = new BackfillCli(empty).capture("status");
            assertThat(none.exit()).as(none.printed()).isZero();
            assertThat(none.stdout()).contains("no runs yet");
            assertThat(empty.count("SELECT count(*) FROM pg_namespace WHERE nspname = 'usage_backfill'")).isZero();
        }
        Files.write(dir.resolve("app.log"), BackfillIT.events(0, 5));
        cli.report(dir, "import", "--rejects", dir.resolve("r.log").toString(), dir.resolve("app.log").toString());
        database.execute("DROP ROLE IF EXISTS ub_reader_i12", "CREATE ROLE ub_reader_i12 LOGIN",
                "ALTER ROLE ub_reader_i12 SET default_transaction_read_only = on",
                "GRANT USAGE ON SCHEMA usage_backfill TO ub_reader_i12",
                "GRANT SELECT ON ALL TABLES IN SCHEMA usage_backfill TO ub_reader_i12");
        try {
            String reader = database.cliUrl().replaceFirst("user=[^&]*", "user=ub_reader_i12");
            BackfillCli.Outcome status = cli.capture("status", "--db", reader, "--json");

            assertThat(status.exit()).as(status.printed()).isZero();
            assertThat(BackfillCli.readJsonText(status.stdout()).get("runs").get(0).get("inserted").longValue())
                    .isEqualTo(5);
        } finally {
            database.execute("REASSIGN OWNED BY ub_reader_i12 TO CURRENT_USER", "DROP OWNED BY ub_reader_i12",
                    "DROP ROLE ub_reader_i12");
        }
    }

    /**
     * The nightly's role as docs/operations.md grants it: SELECT and INSERT on the table and every right in the job's
     * schema, which the table's owner made with `schema --apply`; no CREATE on the database, owning nothing.
     */
    @Test
    void theNightlysLeastPrivilegeRoleRunsOnceTheOwnerMadeTheSchema() throws Exception {
        Files.write(dir.resolve("app.log"), BackfillIT.events(0, 7));
        database.execute("DROP ROLE IF EXISTS ub_nightly", "CREATE ROLE ub_nightly LOGIN",
                "REVOKE CREATE ON SCHEMA public FROM PUBLIC", "GRANT SELECT, INSERT ON token_usage TO ub_nightly",
                "GRANT USAGE ON SCHEMA usage_backfill TO ub_nightly",
                "GRANT ALL ON ALL TABLES IN SCHEMA usage_backfill TO ub_nightly",
                "GRANT ALL ON ALL SEQUENCES IN SCHEMA usage_backfill TO ub_nightly");
        try {
            String nightly = database.cliUrl().replaceFirst("user=[^&]*", "user=ub_nightly");
            BackfillCli.Outcome run = cli.capture("import", "--db", nightly, "--incremental", "--rejects",
                    dir.resolve("r.log").toString(), dir.resolve("app.log").toString());

            assertThat(run.exit()).as(run.printed()).isZero();
            assertThat(database.count("SELECT count(*) FROM token_usage")).isEqualTo(7);
        } finally {
            database.execute("DROP OWNED BY ub_nightly", "DROP ROLE ub_nightly");
        }
    }

    /** A trigger that refuses rows of the model {@code explode}, as a database refusing a chunk. */
    private void refuseModelExplode() throws Exception {
        database.execute("""
                CREATE OR REPLACE FUNCTION refuse_explode() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN IF NEW.model = 'explode' THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$""",
                "CREATE TRIGGER refuse_explode BEFORE INSERT ON token_usage FOR EACH ROW EXECUTE FUNCTION"
                        + " refuse_explode()");
    }

    /** The shipped layout in a directory of its own: bin/ and app/ as installed, the job pointed at {@code logs}. */
    private Path installed(Path logs) throws Exception {
        Path install = Files.createDirectories(dir.resolve("opt"));
        Files.createSymbolicLink(install.resolve("bin"), Path.of("bin").toAbsolutePath());
        Files.createSymbolicLink(install.resolve("app"), Path.of("target", "app").toAbsolutePath());
        Path etc = Files.createDirectories(install.resolve("etc"));
        String job = Files.readString(Path.of("jobs", "nightly-backfill.properties"))
                .replace("paths=/var/log/app", "paths=" + logs)
                .replace("/var/lib/usage-backfill", install.resolve("state").toString());
        Files.writeString(etc.resolve("nightly-backfill.properties"), job);
        return install;
    }

    private static String shipped(String command, Path install, Path env) {
        Map<String, String> paths = new HashMap<>();
        paths.put("/opt/usage-backfill", install.toString());
        paths.put("/etc/usage-backfill/env", env.toString());
        paths.put("/etc/usage-backfill/nightly-backfill.properties",
                install.resolve("etc").resolve("nightly-backfill.properties").toString());
        String local = command;
        for (Map.Entry<String, String> e : paths.entrySet()) {
            local = local.replace(e.getKey(), e.getValue());
        }
        return local;
    }
}
