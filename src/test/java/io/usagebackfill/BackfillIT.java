package io.usagebackfill;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import io.usagebackfill.support.BackfillCli;
import io.usagebackfill.support.DatabaseExtension;
import io.usagebackfill.support.LogFiles;
import io.usagebackfill.support.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The job end to end, through its command line, against a real PostgreSQL. */
class BackfillIT {

    @RegisterExtension
    static final DatabaseExtension DATABASE = DatabaseExtension.database();

    private final TestDatabase database = DATABASE.testDatabase();
    private final BackfillCli cli = DATABASE.cli();

    @TempDir
    Path dir;

    @BeforeEach
    void startFromAnEmptyTable() throws SQLException {
        sql("DROP TABLE IF EXISTS token_usage", "DROP TABLE IF EXISTS sessions", "DROP TABLE IF EXISTS users");
        assertThat(cli("schema", "--apply")).isZero();
    }

    @Test
    void fullLoadOfTheSampleLogsInsertsEveryValidEventOnceAndKeepsTheRejects() throws Exception {
        JsonNode report = importing(Path.of("sample-logs").toString());

        assertThat(report.get("status").stringValue()).isEqualTo("COMPLETED");
        assertThat(report.get("files").intValue()).isEqualTo(18);
        assertThat(report.get("inserted").longValue()).isEqualTo(216);
        assertThat(report.get("duplicates").longValue()).isEqualTo(2);
        assertThat(report.get("rejected").longValue()).isEqualTo(7);
        // A line that names no event but mentions the word ("TOKEN_USAGE insert failed") is ignored, not rejected.
        assertThat(report.get("ignored").longValue()).isEqualTo(6);
        assertThat(report.get("events").longValue()).isEqualTo(225);
        // The OpenTelemetry export line is one line holding three records that mention the event, each counted.
        assertThat(report.get("linesRead").longValue() + 2)
                .isEqualTo(report.get("events").longValue() + report.get("ignored").longValue()
                        + report.get("noiseLines").longValue());
        assertThat(count("SELECT count(*) FROM token_usage")).isEqualTo(216);
        assertThat(count("SELECT count(*) FROM token_usage WHERE created_at IS NULL OR created_at > now()"))
                .isZero();
        List<String> rejected = Files.readAllLines(dir.resolve("rejects.log"));
        assertThat(rejected).hasSize(7).anyMatch(line -> line.contains("not-a-uuid"));
        assertThat(Files.readAllLines(dir.resolve("rejects.log.reasons.csv"))).hasSize(8)
                .anyMatch(line -> line.contains("app.log,28,") && line.contains("not a UUID"));
    }

    @Test
    void theSampleLogsLoadedByThreePartitionsAtOnceGiveTheSameRowsRejectsAndReportAsOneThread() throws Exception {
        JsonNode report = cli.report(dir, "import", "--threads", "3", "--chunk-size", "7", "--rejects",
                dir.resolve("rejects.log").toString(), Path.of("sample-logs").toString());

        assertThat(report.get("status").stringValue()).isEqualTo("COMPLETED");
        assertThat(report.get("inserted").longValue()).isEqualTo(216);
        assertThat(report.get("duplicates").longValue()).isEqualTo(2);
        assertThat(report.get("rejected").longValue()).isEqualTo(7);
        assertThat(report.get("events").longValue()).isEqualTo(225);
        assertThat(report.get("reconciliation").get("matches").booleanValue()).isTrue();
        assertThat(count("SELECT count(*) FROM token_usage")).isEqualTo(216);
        assertThat(count("SELECT count(DISTINCT partition_no) FROM usage_backfill.partition_checkpoint"))
                .as("each partition kept its own checkpoint").isEqualTo(3);
        assertThat(Files.readAllLines(dir.resolve("rejects.log"))).hasSize(7);
        assertThat(Files.readAllLines(dir.resolve("rejects.log.reasons.csv")).stream().skip(1)
                .map(line -> line.substring(0, line.indexOf(','))))
                .as("the partitions' rejects merged into one file, numbered through")
                .containsExactly("1", "2", "3", "4", "5", "6", "7");
        try (var left = Files.list(dir)) {
            assertThat(left.map(f -> f.getFileName().toString())).noneMatch(name -> name.contains(".part-"));
        }
    }

    @Test
    void twoPartitionsMeetingTheSameEventsInOppositeOrderLoadEachOnceAndCountTheRestAsDuplicates()
            throws Exception {
        List<String> events = events(0, 3_000);
        List<String> reversed = new ArrayList<>(events);
        java.util.Collections.reverse(reversed);
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Files.write(logs.resolve("a.log"), events);
        Files.write(logs.resolve("b.log"), reversed);

        JsonNode report = cli.report(dir, "import", "--threads", "2", "--chunk-size", "250", "--rejects",
                dir.resolve("rejects.log").toString(), logs.toString());

        assertThat(report.get("inserted").longValue()).isEqualTo(3_000);
        assertThat(report.get("duplicates").longValue()).isEqualTo(3_000);
        assertThat(report.get("reconciliation").get("matches").booleanValue()).isTrue();
        assertThat(count("SELECT count(*) FROM token_usage")).isEqualTo(3_000);
        assertThat(count("SELECT count(DISTINCT id) FROM token_usage")).isEqualTo(3_000);
    }

    @Test
    void aPartitionedRunStoppedByTheSkipLimitKeepsItsRejectsInPartsUntilRestartCompletesAndMergesThem()
            throws Exception {
        Path rejects = dir.resolve("rejects.log");
        BackfillCli.Outcome failed = cli.capture("import", "--threads", "3", "--chunk-size", "5", "--skip-limit", "2",
                "--rejects", rejects.toString(), Path.of("sample-logs").toString());

        assertThat(failed.exit()).isEqualTo(1);
        assertThat(failed.stdout()).contains("rejected lines are in " + rejects + ".part-*");
        assertThat(rejects).doesNotExist();

        JsonNode restarted = cli.report(dir, "restart", "--skip-limit", "100");

        assertThat(restarted.get("inserted").longValue() + restarted.get("duplicates").longValue()).isEqualTo(218);
        assertThat(restarted.get("rejected").longValue()).isEqualTo(7);
        assertThat(count("SELECT count(*) FROM token_usage")).isEqualTo(216);
        assertThat(Files.readAllLines(rejects)).hasSize(7);
        try (var left = Files.list(dir)) {
            assertThat(left.map(f -> f.getFileName().toString())).noneMatch(name -> name.contains(".part-"));
        }
    }

    @Test
    void reRunningACompletedImportAddsNothingAndCountsTheDuplicates() throws Exception {
        importing(Path.of("sample-logs").toString());

        JsonNode again = importing(Path.of("sample-logs").toString());

        assertThat(again.get("inserted").longValue()).isZero();
        assertThat(again.get("duplicates").longValue()).isEqualTo(218);
        assertThat(count("SELECT count(*) FROM token_usage")).isEqualTo(216);
    }

    @Test
    void aRotatedAndGzippedCopyOfALoadedFileAddsNothing() throws Exception {
        Path log = dir.resolve("app.log");
        Files.write(log, events(0, 50));
        importing(log.toString());
        Path rotated = dir.resolve("app.log.1.gz");
        LogFiles.writeGzip(rotated, Files.readAllLines(log));

        JsonNode report = importing(rotated.toString());

        assertThat(report.get("inserted").longValue()).isZero();
        assertThat(report.get("duplicates").longValue()).isEqualTo(50);
        assertThat(count("SELECT count(*) FROM token_usage")).isEqualTo(50);
    }

    @Test
    void theRealWorldShapesSampleLoadsEveryEventOnceWithItsProviderInferredWhereMissing() throws Exception {
        String shapes = Path.of("sample-logs", "real-world", "shapes.log").toString();

        JsonNode report = importing(shapes);
        JsonNode again = importing(shapes);

        assertThat(report.get("events").longValue()).isEqualTo(11);
        assertThat(report.get("inserted").longValue()).isEqualTo(11);
        assertThat(report.get("ignored").longValue()).isEqualTo(1);
        JsonNode status = BackfillCli.readJsonText(cli.output("status", "--json"));
        assertThat(status.get("runs").get(1).get("ignored").longValue()).as("status counts them too").isEqualTo(1);
        assertThat(cli.output("status")).contains(" ignored ").contains("ignored: lines that mention token_usage where"
                + " no field names it as the event");
        assertThat(report.get("ignoredExample").stringValue()).contains("shapes.log:11: ")
                .contains("TOKEN_USAGE insert failed");
        assertThat(report.get("rejected").longValue()).isZero();
        assertThat(report.get("inferredProviders").longValue()).isEqualTo(9);
        assertThat(again.get("inserted").longValue()).isZero();
        assertThat(again.get("duplicates").longValue()).isEqualTo(11);
        assertThat(count("SELECT count(DISTINCT id) FROM token_usage")).isEqualTo(11);
        assertThat(count("SELECT count(DISTINCT provider) FROM token_usage")).isEqualTo(8);
        assertThat(count("SELECT prompt_tokens FROM token_usage WHERE model = 'claude-3-5-sonnet-20241022'"))
                .as("Anthropic's cache tokens are part of the prompt").isEqualTo(3300);
        assertThat(count("SELECT cost_usd FROM token_usage WHERE model = 'command-r-plus'")).isEqualTo(3650);
        assertThat(count("SELECT count(*) FROM token_usage WHERE user_id IS NOT NULL")).isEqualTo(4);
        assertThat(count("SELECT count(*) FROM token_usage WHERE session_id IS NOT NULL")).isEqualTo(1);
    }

    @Test
    void unknownUserAndSessionIdsAreLoadedAsNullAndCounted() throws Exception {
        sql("DROP TABLE token_usage", "CREATE TABLE users (id UUID PRIMARY KEY)",
                "CREATE TABLE sessions (id UUID PRIMARY KEY)",
                "INSERT INTO users VALUES ('11111111-1111-4111-8111-111111111111')");
        assertThat(cli("schema", "--apply")).isZero();
        Files.writeString(dir.resolve("app.log"), String.join("\n",
                event("11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222", 1),
                event("33333333-3333-4333-8333-333333333333", null, 2)) + "\n");

        JsonNode report = importing(dir.resolve("app.log").toString());

        assertThat(report.get("inserted").longValue()).isEqualTo(2);
        assertThat(report.get("nulledUserIds").longValue()).isEqualTo(1);
        assertThat(report.get("nulledSessionIds").longValue()).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM token_usage WHERE user_id IS NOT NULL")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM token_usage WHERE session_id IS NOT NULL")).isZero();
    }

    @Test
    void anUnknownIdAfterChunksOfKnownOnesIsNulledAndTheChunksAfterItStillLoad() throws Exception {
        sql("DROP TABLE token_usage", "CREATE TABLE users (id UUID PRIMARY KEY)",
                "CREATE TABLE sessions (id UUID PRIMARY KEY)",
                "INSERT INTO users VALUES ('11111111-1111-4111-8111-111111111111')");
        assertThat(cli("schema", "--apply")).isZero();
        String known = "11111111-1111-4111-8111-111111111111";
        Files.writeString(dir.resolve("app.log"), String.join("\n", event(known, null, 1), event(known, null, 2),
                event("33333333-3333-4333-8333-333333333333", null, 3), event(known, null, 4),
                event("44444444-4444-4444-8444-444444444444", null, 5)) + "\n");

        JsonNode report = cli.report(dir, "import", "--chunk-size", "2", "--rejects",
                dir.resolve("rejects.log").toString(), dir.resolve("app.log").toString());

        assertThat(report.get("inserted").longValue()).isEqualTo(5);
        assertThat(report.get("nulledUserIds").longValue()).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM token_usage WHERE user_id IS NOT NULL")).isEqualTo(3);
        assertThat(count("SELECT sum(prompt_tokens) FROM token_usage")).isEqualTo(5);
    }

    @Test
    void theNulledIdsCountedAreTheRowsInsertedWithANullNotTheEventsRead() throws Exception {
        sql("DROP TABLE token_usage", "CREATE TABLE users (id UUID PRIMARY KEY)",
                "INSERT INTO users VALUES ('11111111-1111-4111-8111-111111111111')");
        assertThat(cli("schema", "--apply")).isZero();
        Path logs = Files.createDirectories(dir.resolve("logs"));
        List<String> lines = List.of(event("11111111-1111-4111-8111-111111111111", null, 1),
                event("33333333-3333-4333-8333-333333333333", null, 2),
                event("44444444-4444-4444-8444-444444444444", null, 3));
        Files.write(logs.resolve("app.log"), lines);
        // A rotated copy: its events are read again and found already there, so they null nothing.
        Files.write(logs.resolve("app.log.1"), lines);

        JsonNode first = importing(logs.toString());
        JsonNode again = importing(logs.toString());

        assertThat(count("SELECT count(*) FROM token_usage WHERE user_id IS NULL")).isEqualTo(2);
        assertThat(first.get("inserted").longValue()).isEqualTo(3);
        assertThat(first.get("nulledUserIds").longValue()).isEqualTo(2);
        assertThat(again.get("inserted").longValue()).isZero();
        assertThat(again.get("nulledUserIds").longValue()).isZero();
    }

    @Test
    void anUnknownIdUnderAForeignKeyCheckedAtCommitIsNulledBeforeTheCopy() throws Exception {
        sql("DROP TABLE token_usage", "CREATE TABLE users (id UUID PRIMARY KEY)",
                "INSERT INTO users VALUES ('11111111-1111-4111-8111-111111111111')");
        assertThat(cli("schema", "--apply")).isZero();
        sql("ALTER TABLE token_usage DROP CONSTRAINT token_usage_user_id_fkey",
                "ALTER TABLE token_usage ADD CONSTRAINT token_usage_user_id_fkey FOREIGN KEY (user_id)"
                        + " REFERENCES users (id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED");
        Files.writeString(dir.resolve("app.log"), String.join("\n",
                event("11111111-1111-4111-8111-111111111111", null, 1),
                event("33333333-3333-4333-8333-333333333333", null, 2)) + "\n");

        JsonNode report = importing(dir.resolve("app.log").toString());

        assertThat(report.get("inserted").longValue()).isEqualTo(2);
        assertThat(report.get("nulledUserIds").longValue()).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM token_usage WHERE user_id IS NOT NULL")).isEqualTo(1);
    }

    @Test
    void importWithoutTheTableFailsWithExitCodeTwoAndLoadsNothing() throws Exception {
        sql("DROP TABLE token_usage");
        Files.write(dir.resolve("app.log"), events(0, 3));

        int exit = cli("import", "--rejects", dir.resolve("r.log").toString(), dir.resolve("app.log").toString());

        assertThat(exit).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM to_regclass('token_usage') WHERE to_regclass('token_usage') IS NOT NULL"))
                .isZero();
    }

    @Test
    void costsAreStoredAsMicroDollarsRoundedHalfUpAndTimesInUtc() throws Exception {
        Files.writeString(dir.resolve("console.log"), "2025-11-09T12:00:00.123+02:00 INFO [usage] token_usage"
                + " {\"provider\":\"openai\",\"model\":\"gpt-4o\",\"input_tokens\":50,\"output_tokens\":20,"
                + "\"cost_usd\":0.0000125}\n");

        importing(dir.resolve("console.log").toString());

        try (Connection c = database.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT cost_usd, total_tokens, created_at AT TIME ZONE 'UTC'"
                        + " FROM token_usage")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(13);
            assertThat(rs.getInt(2)).isEqualTo(70);
            assertThat(rs.getString(3)).isEqualTo("2025-11-09 10:00:00.123");
        }
    }

    @Test
    void aRunThatFailsMidwayRestartsFromItsCheckpointAndEndsWithEveryRowExactlyOnce() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            lines.add(eventWithModel(i, i == 250 ? "explode" : "gpt-4o-mini"));
        }
        Files.write(dir.resolve("app.log"), lines);
        sql("""
                CREATE FUNCTION refuse_explode() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN IF NEW.model = 'explode' THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$""",
                "CREATE TRIGGER refuse_explode BEFORE INSERT ON token_usage FOR EACH ROW EXECUTE FUNCTION"
                        + " refuse_explode()");

        int failed = cli("import", "--db", database.cliUrl(), "--chunk-size", "100", "--rejects",
                dir.resolve("r.log").toString(), "--report-json", dir.resolve("failed.json").toString(),
                dir.resolve("app.log").toString());

        assertThat(failed).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM token_usage")).isEqualTo(200);
        sql("DROP TRIGGER refuse_explode ON token_usage");
        int restarted = cli("restart", "--db", database.cliUrl(), "--report-json",
                dir.resolve("restart.json").toString());
        assertThat(restarted).isZero();
        JsonNode report = BackfillCli.readJson(dir.resolve("restart.json"));
        assertThat(report.get("inserted").longValue()).isEqualTo(400);
        assertThat(report.get("duplicates").longValue()).isZero();
        assertThat(count("SELECT count(*) FROM token_usage")).isEqualTo(400);
        assertThat(count("SELECT count(DISTINCT id) FROM token_usage")).isEqualTo(400);
    }

    private JsonNode importing(String path) throws IOException {
        return cli.report(dir, "import", "--rejects", dir.resolve("rejects.log").toString(), path);
    }

    private int cli(String... args) {
        return cli.run(args);
    }

    static List<String> events(int from, int to) {
        List<String> lines = new ArrayList<>();
        for (int i = from; i < to; i++) {
            lines.add(eventWithModel(i, "gpt-4o-mini"));
        }
        return lines;
    }

    static String eventWithModel(int i, String model) {
        return "{\"level\":30,\"time\":" + (1762682400000L + i * 1000L) + ",\"msg\":\"token_usage\",\"reqId\":\"r" + i
                + "\",\"provider\":\"openai\",\"model\":\"" + model + "\",\"prompt_tokens\":" + (10 + i)
                + ",\"completion_tokens\":5,\"cost_usd\":0.00002}";
    }

    static String event(String userId, String sessionId, int i) {
        return "{\"level\":30,\"time\":" + (1762682400000L + i) + ",\"msg\":\"token_usage\",\"user_id\":\"" + userId
                + "\"" + (sessionId == null ? "" : ",\"session_id\":\"" + sessionId + "\"")
                + ",\"provider\":\"openai\",\"model\":\"gpt-4o\",\"prompt_tokens\":1,\"completion_tokens\":1}";
    }

    private long count(String query) throws SQLException {
        return database.count(query);
    }

    private void sql(String... statements) throws SQLException {
        database.execute(statements);
    }
}
