package io.usagebackfill;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.usagebackfill.support.BackfillCli;
import io.usagebackfill.support.DatabaseExtension;
import io.usagebackfill.support.TokenEvents;
import io.usagebackfill.support.Totals;
import io.usagebackfill.support.TestDatabase;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.PGConnection;
import tools.jackson.databind.JsonNode;

/** The import options a user reaches for, each tried through the command line on a real PostgreSQL. */
class ImportOptionsIT {

    private static final String SAMPLE_LOGS = Path.of("sample-logs").toString();

    @RegisterExtension
    static final DatabaseExtension DATABASE = DatabaseExtension.withFreshTable();

    private final TestDatabase database = DATABASE.testDatabase();
    private final BackfillCli cli = DATABASE.cli();

    @TempDir
    Path dir;

    @Test
    void csvOutWritesTheGuidesColumnsThatCopyLoadsAsTheyAre() throws Exception {
        Path csv = dir.resolve("token_usage.csv");

        JsonNode report = cli.report(dir, "import", "--csv-out", csv.toString(), "--rejects",
                dir.resolve("r.log").toString(), SAMPLE_LOGS);

        List<String> lines = Files.readAllLines(csv);
        assertThat(lines.get(0)).isEqualTo("id,user_id,session_id,provider,model,prompt_tokens,completion_tokens,"
                + "total_tokens,cost_usd,created_at");
        // The rotated copy's two events are written once, with the id a database load gives them.
        assertThat(report.get("inserted").longValue()).isEqualTo(216);
        assertThat(report.get("duplicatesInInput").longValue()).isEqualTo(2);
        assertThat(count(csv)).isEqualTo(216);
        assertThat(Files.getPosixFilePermissions(csv)).containsExactlyInAnyOrder(
                java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        assertThat(database.count("SELECT count(*) FROM token_usage")).isZero();
        try (Connection c = database.connect(); InputStream in = Files.newInputStream(csv)) {
            long copied = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY token_usage (id, user_id,"
                    + " session_id, provider, model, prompt_tokens, completion_tokens, total_tokens, cost_usd,"
                    + " created_at) FROM STDIN (FORMAT csv, HEADER true)", in);
            assertThat(copied).isEqualTo(216);
        }
        JsonNode importedAfter = cli.report(dir, "import", "--rejects", dir.resolve("r2.log").toString(),
                SAMPLE_LOGS);
        assertThat(importedAfter.get("inserted").longValue()).as("the CSV's rows are the import's").isZero();
        assertThat(importedAfter.get("alreadyInTable").longValue()).isEqualTo(216);
        assertThat(database.count("SELECT count(*) FROM token_usage")).isEqualTo(216);
    }

    @Test
    void csvOutInThreePartitionsWritesTheRowsOnePartitionWritesInTheLogsOrderAndLeavesNoParts() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        List<String> events = BackfillIT.events(0, 1_500);
        Files.write(logs.resolve("a.log"), events.subList(0, 1_000));
        Files.write(logs.resolve("b.log"), events.subList(1_000, 1_500));
        // A rotated copy in another partition: its events are written once, by whichever partition meets them first.
        Files.write(logs.resolve("c.log"), events.subList(200, 400));
        Path serial = dir.resolve("serial.csv");
        Path parallel = dir.resolve("parallel.csv");

        JsonNode one = cli.report(dir, "import", "--threads", "1", "--csv-out", serial.toString(), "--rejects",
                dir.resolve("r1.log").toString(), logs.toString());
        JsonNode three = cli.report(dir, "import", "--threads", "3", "--chunk-size", "64", "--csv-out",
                parallel.toString(), "--rejects", dir.resolve("r3.log").toString(), logs.toString());

        assertThat(three.get("inserted").longValue()).isEqualTo(one.get("inserted").longValue()).isEqualTo(1_500);
        assertThat(three.get("duplicatesInInput").longValue()).isEqualTo(200);
        assertThat(three.get("reconciliation")).isEqualTo(one.get("reconciliation"));
        List<String> serialLines = Files.readAllLines(serial);
        List<String> parallelLines = Files.readAllLines(parallel);
        assertThat(parallelLines.get(0)).isEqualTo(serialLines.get(0));
        assertThat(parallelLines).hasSize(1_501).containsExactlyInAnyOrderElementsOf(serialLines);
        // The rows in one file only (all but a.log's 200 to 400) keep the logs' order, whichever part wrote them.
        java.util.Set<String> copied = new java.util.HashSet<>(serialLines.subList(201, 401));
        assertThat(parallelLines.stream().filter(line -> !copied.contains(line)).toList())
                .isEqualTo(serialLines.stream().filter(line -> !copied.contains(line)).toList());
        try (var left = Files.list(dir)) {
            assertThat(left.map(f -> f.getFileName().toString())).noneMatch(name -> name.contains(".part-"));
        }
    }

    @Test
    void aSecondExportToAFileAnotherExportIsWritingExitsThreeAndLeavesTheFileAsItWas() throws Exception {
        Path csv = dir.resolve("out.csv");
        Files.writeString(csv, "an earlier export\n");

        BackfillCli.Outcome busy;
        try (java.nio.channels.FileLock held = io.usagebackfill.load.CsvParts.lock(csv)) {
            assertThat(held).isNotNull();
            busy = cli.capture("import", "--csv-out", csv.toString(), "--rejects", dir.resolve("r.log").toString(),
                    SAMPLE_LOGS);
        }

        assertThat(busy.exit()).isEqualTo(3);
        assertThat(busy.stderr()).contains("another export is writing " + csv);
        assertThat(Files.readString(csv)).isEqualTo("an earlier export\n");
        try (var left = Files.list(dir)) {
            assertThat(left.map(f -> f.getFileName().toString())).noneMatch(name -> name.contains(".part-"));
        }
    }

    @Test
    void anExportWhosePartWouldBeWrittenThroughASymbolicLinkExitsTwoBeforeItRuns() throws Exception {
        Path csv = dir.resolve("out.csv");
        Path victim = Files.writeString(dir.resolve("victim.txt"), "keep me\n");
        Files.createSymbolicLink(dir.resolve("out.csv.part-1.csv"), victim);

        BackfillCli.Outcome refused = cli.capture("import", "--csv-out", csv.toString(), "--rejects",
                dir.resolve("r.log").toString(), SAMPLE_LOGS);

        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.stderr()).contains("out.csv.part-1.csv is a symbolic link");
        assertThat(csv).doesNotExist();
        assertThat(Files.readString(victim)).isEqualTo("keep me\n");
    }

    @Test
    void moreRejectsThanTheSkipLimitFailTheRunAndRestartWithAHigherLimitFinishesIt() throws Exception {
        Path failedReport = dir.resolve("failed.json");

        int exit = cli.run("import", "--skip-limit", "2", "--rejects", dir.resolve("r.log").toString(),
                "--report-json", failedReport.toString(), SAMPLE_LOGS);

        assertThat(exit).isEqualTo(1);
        JsonNode failed = BackfillCli.readJson(failedReport);
        assertThat(failed.get("status").stringValue()).isEqualTo("FAILED");
        assertThat(failed.get("error").stringValue()).contains("--skip-limit")
                .contains("the rejects file " + dir.resolve("r.log").toAbsolutePath() + " says why");
        JsonNode status = BackfillCli.readJsonText(cli.output("status", "--json"));
        assertThat(status.get("restartWouldResume").longValue()).isEqualTo(failed.get("executionId").longValue());

        JsonNode restarted = cli.report(dir, "restart", "--skip-limit", "10");

        assertThat(restarted.get("status").stringValue()).isEqualTo("COMPLETED");
        assertThat(restarted.get("runId").longValue()).isEqualTo(failed.get("runId").longValue());
        assertThat(restarted.get("rejected").longValue()).isEqualTo(7);
        assertThat(database.count("SELECT count(*) FROM token_usage")).isEqualTo(216);
        assertThat(Files.readAllLines(dir.resolve("r.log"))).hasSize(7);
        JsonNode after = BackfillCli.readJsonText(cli.output("status", "--json"));
        assertThat(after.get("restartWouldResume").isNull()).isTrue();
        assertThat(cli.output("restart")).contains("no failed or interrupted run");
        assertThat(cli.run("restart", "--execution-id", String.valueOf(restarted.get("executionId").longValue())))
                .isEqualTo(2);
    }

    @Test
    void aLineLongerThanMaxLineBytesIsRejectedAndTheLinesAroundItLoad() throws Exception {
        Path log = dir.resolve("app.log");
        String huge = "{\"msg\":\"token_usage\",\"model\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";
        Files.write(log, List.of(BackfillIT.eventWithModel(1, "gpt-4o"), huge, BackfillIT.eventWithModel(2, "gpt-4o")));

        JsonNode report = cli.report(dir, "import", "--max-line-bytes", "1048576", "--rejects",
                dir.resolve("r.log").toString(), log.toString());

        assertThat(report.get("inserted").longValue()).isEqualTo(2);
        assertThat(report.get("rejected").longValue()).isEqualTo(1);
        assertThat(Files.readString(dir.resolve("r.log.reasons.csv"))).contains("app.log,2,")
                .contains("1048576");
    }

    @Test
    void theReportCarriesTheGuidesPerModelFiguresForTheLoadedRows() throws Exception {
        JsonNode report = cli.report(dir, "import", "--rejects", dir.resolve("r.log").toString(), SAMPLE_LOGS);

        Map<String, long[]> expected = new HashMap<>();
        try (Connection c = database.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT model, count(*), sum(total_tokens) FROM token_usage"
                        + " GROUP BY model")) {
            while (rs.next()) {
                expected.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)});
            }
        }
        Map<String, long[]> reported = new HashMap<>();
        for (JsonNode model : report.get("models")) {
            reported.put(model.get("model").stringValue(),
                    new long[] {model.get("calls").longValue(), model.get("tokens").longValue()});
        }
        assertThat(reported).hasSameSizeAs(expected);
        expected.forEach((model, figures) -> assertThat(reported.get(model)).as(model).containsExactly(figures));
        long totalMicros = database.count("SELECT sum(cost_usd) FROM token_usage");
        assertThat(report.get("totalCostUsd").decimalValue().movePointRight(6).longValueExact())
                .isEqualTo(totalMicros);
    }

    @Test
    void sinceAndUntilLoadOnlyTheirWindowAndCountTheEventsOutsideIt() throws Exception {
        Path log = dir.resolve("app.log");
        Files.write(log, BackfillIT.events(0, 100)); // one a second from 2025-11-09T10:00:00Z

        JsonNode report = cli.report(dir, "import", "--since", "2025-11-09T10:00:10Z", "--until",
                "2025-11-09T12:00:20+02:00", "--rejects", dir.resolve("r.log").toString(), log.toString());

        assertThat(report.get("inserted").longValue()).isEqualTo(10);
        assertThat(report.get("outsideWindow").longValue()).isEqualTo(90);
        assertThat(report.get("events").longValue()).isEqualTo(100);
        assertThat(report.get("window").stringValue()).isEqualTo(
                "2025-11-09T10:00:10Z to 2025-11-09T10:00:20Z (end excluded)");
        assertThat(database.count("SELECT count(*) FROM token_usage WHERE created_at >= '2025-11-09T10:00:10Z'"
                + " AND created_at < '2025-11-09T10:00:20Z'")).isEqualTo(10);
        assertThat(database.count("SELECT count(*) FROM token_usage")).isEqualTo(10);
    }

    @Test
    void untilAutoStopsWhereTheAppsOwnRowsBeginSoNothingIsCountedTwice() throws Exception {
        Path log = dir.resolve("app.log");
        Files.write(log, BackfillIT.events(0, 100));
        database.execute("INSERT INTO token_usage (provider, model, created_at)"
                + " VALUES ('openai', 'gpt-4o-mini', '2025-11-09T10:00:30Z')");

        JsonNode report = cli.report(dir, "import", "--until", "auto", "--rejects", dir.resolve("r.log").toString(),
                log.toString());

        assertThat(report.get("inserted").longValue()).isEqualTo(30);
        assertThat(report.get("outsideWindow").longValue()).isEqualTo(70);
        assertThat(report.get("window").stringValue()).contains("to 2025-11-09T10:00:30Z");
        assertThat(database.count("SELECT count(*) FROM token_usage")).isEqualTo(31);
    }

    @Test
    void untilAutoWithoutTheAppsRowsLoadsEverythingAndNeedsADatabase() throws Exception {
        Path log = dir.resolve("app.log");
        Files.write(log, BackfillIT.events(0, 20));

        JsonNode report = cli.report(dir, "import", "--until", "auto", "--rejects", dir.resolve("r.log").toString(),
                log.toString());
        BackfillCli.Outcome csv = cli.capture("import", "--until", "auto", "--csv-out", dir.resolve("o.csv").toString(),
                log.toString());

        assertThat(report.get("inserted").longValue()).isEqualTo(20);
        assertThat(report.get("window").isNull()).isTrue();
        assertThat(csv.exit()).isEqualTo(2);
        assertThat(csv.stderr()).contains("--until auto");
    }

    @Test
    void rejectsGoToATableAsWellStatusShowsTheTopReasonsAndAFixedRejectsFileAddsOnlyTheMissingRows()
            throws Exception {
        Path rejects = dir.resolve("r.log");
        JsonNode first = cli.report(dir, "import", "--rejects", rejects.toString(), SAMPLE_LOGS);

        assertThat(database.count("SELECT count(*) FROM usage_backfill.rejected_line WHERE job_instance_id = "
                + first.get("runId").longValue())).isEqualTo(7);
        assertThat(database.count("SELECT count(*) FROM usage_backfill.rejected_line WHERE file LIKE '%app.log'"
                + " AND line = 28 AND reason LIKE '%not a UUID%' AND raw_text LIKE '%not-a-uuid%'"
                + " AND job_instance_id = " + first.get("runId").longValue())).isEqualTo(1);
        JsonNode status = BackfillCli.readJsonText(cli.output("status", "--json"));
        assertThat(status.get("runs").get(0).get("topReasons").size()).isEqualTo(3);
        assertThat(cli.output("status")).contains("top reject reasons of run " + first.get("runId").longValue());

        String fixed = Files.readString(rejects).replace("\"not-a-uuid\"", "null");
        Path fixedLog = dir.resolve("fixed.log");
        Files.writeString(fixedLog, fixed);
        JsonNode fedBack = cli.report(dir, "import", "--rejects", dir.resolve("r2.log").toString(),
                fixedLog.toString());

        assertThat(fedBack.get("inserted").longValue()).isEqualTo(1);
        assertThat(fedBack.get("rejected").longValue()).isEqualTo(6);
        assertThat(database.count("SELECT count(*) FROM token_usage")).isEqualTo(217);
    }

    @Test
    void pricesFillTheCostOfEventsThatLogNoneAndNeverReplaceALoggedCost() throws Exception {
        Path log = dir.resolve("app.log");
        Files.write(log, List.of(
                "{\"level\":30,\"time\":1762682400000,\"msg\":\"token_usage\",\"model\":\"gpt-4o-mini\","
                        + "\"prompt_tokens\":1000,\"completion_tokens\":100}",
                "{\"level\":30,\"time\":1762682401000,\"msg\":\"token_usage\",\"model\":\"gpt-4o-mini\","
                        + "\"prompt_tokens\":1000,\"completion_tokens\":100,\"cost_usd\":0.5}",
                "{\"level\":30,\"time\":1762682402000,\"msg\":\"token_usage\",\"model\":\"llama-3.1-8b\","
                        + "\"prompt_tokens\":1000,\"completion_tokens\":100}",
                "{\"level\":30,\"time\":1762682403000,\"msg\":\"token_usage\",\"model\":\"gpt-4o\","
                        + "\"total_tokens\":1000}"));

        JsonNode report = cli.report(dir, "import", "--prices", Path.of("jobs", "prices.csv").toString(),
                "--rejects", dir.resolve("r.log").toString(), log.toString());

        assertThat(report.get("estimatedCosts").longValue()).isEqualTo(1);
        assertThat(database.count("SELECT cost_usd FROM token_usage WHERE created_at = '2025-11-09T10:00:00Z'"))
                .isEqualTo(210);
        assertThat(database.count("SELECT cost_usd FROM token_usage WHERE created_at = '2025-11-09T10:00:01Z'"))
                .isEqualTo(500_000);
        assertThat(database.count("SELECT count(*) FROM token_usage WHERE model = 'llama-3.1-8b'"
                + " AND cost_usd IS NULL")).isEqualTo(1);
        assertThat(database.count("SELECT count(*) FROM token_usage WHERE created_at = '2025-11-09T10:00:03Z'"))
                .as("a total alone does not say what was input and what output: rejected, not priced").isZero();
        assertThat(report.get("rejectReasons").toString()).contains("the usage data does not add up");
    }

    @ParameterizedTest(name = "with --threads {0}")
    @ValueSource(ints = {1, 2})
    void aDryRunPlansTheLoadWithoutWritingToTheTable(int threads) throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Files.write(logs.resolve("app.log"), BackfillIT.events(0, 30));
        Files.write(logs.resolve("app.log.1"), BackfillIT.events(20, 40)); // 10 events in both files
        Files.write(dir.resolve("loaded.log"), BackfillIT.events(0, 5));
        cli.report(dir, "import", "--rejects", dir.resolve("r0.log").toString(), dir.resolve("loaded.log").toString());

        JsonNode plan = cli.report(dir, "import", "--dry-run", "--chunk-size", "7", "--threads",
                String.valueOf(threads), "--rejects", dir.resolve("r.log").toString(), logs.toString());

        assertThat(plan.get("dryRun").booleanValue()).isTrue();
        assertThat(plan.get("files").intValue()).isEqualTo(2);
        assertThat(plan.get("fileBytes").longValue()).isEqualTo(Files.size(logs.resolve("app.log"))
                + Files.size(logs.resolve("app.log.1")));
        assertThat(plan.get("inserted").longValue()).as("would insert").isEqualTo(35);
        assertThat(plan.get("duplicates").longValue()).as("already there, or twice in the input").isEqualTo(15);
        assertThat(database.count("SELECT count(*) FROM token_usage")).isEqualTo(5);
        assertThat(database.count("SELECT count(*) FROM usage_backfill.dry_run_id")).isZero();
        JsonNode real = cli.report(dir, "import", "--rejects", dir.resolve("r2.log").toString(), logs.toString());
        assertThat(real.get("inserted").longValue()).isEqualTo(plan.get("inserted").longValue());
    }

    @Test
    void theReportShowsTheSpanAndDaysLoadedAndReconcilesTokensAndCostWithTheTable() throws Exception {
        Path log = dir.resolve("app.log");
        List<String> lines = new java.util.ArrayList<>(BackfillIT.events(0, 10));
        lines.add(BackfillIT.eventWithModel(3 * 86_400, "gpt-4o")); // three days later: a gap of two days
        Files.write(log, lines);

        JsonNode first = cli.report(dir, "import", "--rejects", dir.resolve("r.log").toString(), log.toString());

        assertThat(first.get("firstCreatedAt").stringValue()).isEqualTo("2025-11-09T10:00:00Z");
        assertThat(first.get("lastCreatedAt").stringValue()).isEqualTo("2025-11-12T10:00:00Z");
        assertThat(first.get("perDay").toString()).isEqualTo("{\"2025-11-09\":10,\"2025-11-12\":1}");
        assertThat(first.get("reconciliation").get("matches").booleanValue()).isTrue();
        assertThat(first.get("reconciliation").get("readTokens").longValue())
                .isEqualTo(database.count("SELECT sum(total_tokens) FROM token_usage"));

        database.execute("UPDATE token_usage SET total_tokens = total_tokens + 1 WHERE created_at = '2025-11-09T10:00:05Z'");
        Path report = dir.resolve("again.json");
        int exit = cli.run("import", "--report-json", report.toString(), "--rejects", dir.resolve("r2.log").toString(),
                log.toString());

        JsonNode again = BackfillCli.readJson(report);
        assertThat(exit).as("completed, but a person must look").isEqualTo(4);
        assertThat(again.get("status").stringValue()).isEqualTo("NOT_RECONCILED");
        assertThat(again.get("reconciliation").get("matches").booleanValue()).isFalse();
        assertThat(again.get("reconciliation").get("loadedTokens").longValue())
                .isEqualTo(again.get("reconciliation").get("readTokens").longValue() + 1);
        assertThat(again.get("error").stringValue()).contains("do not reconcile");
        assertThat(again.get("perDay").toString()).as("a re-run covers the days its rows are in")
                .isEqualTo("{\"2025-11-09\":10,\"2025-11-12\":1}");
        assertThat(again.get("perDayInserted").toString()).isEqualTo("{}");
        assertThat(again.get("firstCreatedAt").stringValue()).isEqualTo("2025-11-09T10:00:00Z");
        JsonNode status = BackfillCli.readJsonText(cli.output("status", "--json"));
        assertThat(status.get("runs").get(0).get("status").stringValue()).isEqualTo("NOT_RECONCILED");
    }

    @Test
    void rowsATriggerDropsAreCountedByTheServerAndNamedByEventAndTheRunDoesNotReconcile() throws Exception {
        Path log = dir.resolve("app.log");
        Files.write(log, TokenEvents.lines(0, 300, TokenEvents::pino));
        long dropped = java.util.stream.IntStream.range(0, 300).filter(i -> TokenEvents.prompt(i) % 7 == 0).count();
        database.beforeInsert("drop_every_seventh", "IF NEW.prompt_tokens % 7 = 0 THEN RETURN NULL; END IF;"
                + " RETURN NEW;");

        Path first = dir.resolve("first.json");
        int exit = cli.run("import", "--chunk-size", "50", "--report-json", first.toString(), "--rejects",
                dir.resolve("r1.log").toString(), log.toString());
        Path second = dir.resolve("second.json");
        int again = cli.run("import", "--chunk-size", "50", "--report-json", second.toString(), "--rejects",
                dir.resolve("r2.log").toString(), log.toString());

        assertThat(dropped).isPositive();
        assertThat(database.count("SELECT count(*) FROM token_usage")).isEqualTo(300 - dropped);
        for (JsonNode report : List.of(BackfillCli.readJson(first), BackfillCli.readJson(second))) {
            JsonNode reconciliation = report.get("reconciliation");
            assertThat(reconciliation.get("matches").booleanValue()).isFalse();
            assertThat(reconciliation.get("missingRows").longValue()).isEqualTo(dropped);
            assertThat(reconciliation.get("differences").get(0).stringValue()).contains("has no row after its insert");
            assertThat(report.get("error").stringValue()).contains("do not reconcile").contains("trigger");
        }
        JsonNode firstReport = BackfillCli.readJson(first);
        assertThat(exit).isEqualTo(4);
        assertThat(firstReport.get("inserted").longValue()).isEqualTo(300 - dropped);
        assertThat(firstReport.get("duplicates").longValue()).isZero();
        JsonNode secondReport = BackfillCli.readJson(second);
        assertThat(again).isEqualTo(4);
        assertThat(secondReport.get("inserted").longValue()).isZero();
        assertThat(secondReport.get("alreadyInTable").longValue()).isEqualTo(300 - dropped);
        assertThat(secondReport.get("duplicatesInInput").longValue()).isZero();
    }

    @Test
    void aTimeOrModelATriggerRewritesIsFoundRowByRowAndTheRunDoesNotReconcile() throws Exception {
        Path log = dir.resolve("app.log");
        Files.write(log, TokenEvents.lines(0, 60, TokenEvents::pino));
        // The guide's warning: a default of NOW() stamped in place of the call's own time.
        database.beforeInsert("stamp_now", "NEW.created_at := now(); NEW.model := upper(NEW.model); RETURN NEW;");

        Path json = dir.resolve("report.json");
        BackfillCli.Outcome outcome = cli.capture("import", "--chunk-size", "25", "--report-json", json.toString(),
                "--rejects", dir.resolve("r.log").toString(), log.toString());

        JsonNode report = BackfillCli.readJson(json);
        assertThat(outcome.exit()).as(outcome.printed()).isEqualTo(4);
        assertThat(report.get("reconciliation").get("changedRows").longValue()).isEqualTo(60);
        assertThat(report.get("reconciliation").get("differences").get(0).stringValue())
                .contains("created_at 2025-11-09T10:00").contains("model gpt-4o-mini").contains("GPT-4O-MINI");
    }

    @Test
    void aCostATriggerChangesIsReadBackFromTheTableAndTheRunDoesNotReconcile() throws Exception {
        Path log = dir.resolve("app.log");
        Files.write(log, TokenEvents.lines(0, 120, TokenEvents::pino));
        long changed = java.util.stream.IntStream.range(0, 120).filter(i -> TokenEvents.prompt(i) % 10 == 3).count();
        database.beforeInsert("round_some_costs", "IF NEW.prompt_tokens % 10 = 3 THEN NEW.cost_usd := 0; END IF;"
                + " RETURN NEW;");

        Path json = dir.resolve("report.json");
        BackfillCli.Outcome outcome = cli.capture("import", "--chunk-size", "50", "--report-json", json.toString(),
                "--rejects", dir.resolve("r.log").toString(), log.toString());

        JsonNode report = BackfillCli.readJson(json);
        Totals truth = TokenEvents.totals(0, 120);
        assertThat(outcome.exit()).isEqualTo(4);
        assertThat(report.get("inserted").longValue()).isEqualTo(120);
        assertThat(report.get("reconciliation").get("changedRows").longValue()).isEqualTo(changed);
        assertThat(report.get("reconciliation").get("loadedCostUsd").decimalValue().movePointRight(6).longValue())
                .isEqualTo(database.count("SELECT sum(cost_usd) FROM token_usage"))
                .isLessThan(truth.costMicros());
        assertThat(outcome.printed()).contains("NOT reconciled").contains("rows hold other values")
                .contains("the table holds");
    }

    @Test
    void quietWithJsonLogsPrintsTheSummaryAsOneJsonObjectAndNothingElse() throws Exception {
        Path log = dir.resolve("app.log");
        Files.write(log, BackfillIT.events(0, 30));

        BackfillCli.Outcome quiet = cli.capture("import", "--quiet", "--log-format", "json", "--rejects",
                dir.resolve("r.log").toString(), log.toString());

        assertThat(quiet.exit()).as(quiet.printed()).isZero();
        assertThat(quiet.stderr()).isEmpty();
        assertThat(quiet.stdout().strip().lines()).singleElement()
                .satisfies(line -> assertThat(BackfillCli.readJsonText(line).get("inserted").longValue())
                        .isEqualTo(30));
    }

    @Test
    void offATerminalProgressIsALineEveryFewSecondsAsTextOrJsonAndQuietShowsNone() throws Exception {
        Path log = dir.resolve("app.log");
        Files.write(log, BackfillIT.events(0, 50));

        BackfillCli.Outcome text = cli.capture("import", "--progress-every", "0", "--chunk-size", "10", "--rejects",
                dir.resolve("r1.log").toString(), log.toString());
        BackfillCli.Outcome json = cli.capture("import", "--log-format", "json", "--progress-every", "0",
                "--chunk-size", "10", "--rejects", dir.resolve("r2.log").toString(), log.toString());
        BackfillCli.Outcome quiet = cli.capture("import", "--quiet", "--progress-every", "0", "--chunk-size", "10",
                "--rejects", dir.resolve("r3.log").toString(), log.toString());

        assertThat(text.stderr().lines().filter(line -> line.contains("rows/s")).count()).isGreaterThanOrEqualTo(5);
        assertThat(text.stderr()).contains("100% (");
        List<String> jsonLines = json.stderr().lines().toList();
        assertThat(jsonLines).hasSizeGreaterThanOrEqualTo(5).allSatisfy(line -> {
            JsonNode event = BackfillCli.readJsonText(line);
            assertThat(event.get("event").stringValue()).isEqualTo("progress");
            assertThat(event.has("etaSeconds")).isTrue();
        });
        assertThat(json.stdout().lines()).singleElement()
                .satisfies(line -> assertThat(BackfillCli.readJsonText(line).get("duplicates").longValue())
                        .isEqualTo(50));
        assertThat(quiet.exit()).isZero();
        assertThat(quiet.stderr()).isEmpty();
        assertThat(quiet.stdout()).contains("COMPLETED");
    }

    private static long count(Path csv) throws IOException {
        try (Reader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
                CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                        .parse(in)) {
            List<CSVRecord> records = new ArrayList<>(parser.getRecords());
            records.forEach(r -> assertThat(r.size()).isEqualTo(10));
            return records.size();
        }
    }
}
