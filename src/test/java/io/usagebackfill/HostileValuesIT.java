package io.usagebackfill;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.usagebackfill.support.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Values built to break a run or to be silently adjusted, loaded for real among valid events: each is one
 * rejected line with a short reason, and the table holds exactly the valid events, whose count and sums this test
 * computes itself.
 */
class HostileValuesIT {

    @RegisterExtension
    static final DatabaseExtension DATABASE = DatabaseExtension.withFreshTable();

    @TempDir
    Path dir;

    private TestDatabase database;
    private BackfillCli cli;

    @BeforeEach
    void connect() {
        database = DATABASE.testDatabase();
        cli = DATABASE.cli();
    }

    @Test
    void hugeExponentsAndDigitCountsAreRejectedAndEveryEventAroundThemLoads() throws Exception {
        Truth truth = new Truth();
        List<String> hostile = List.of("\"prompt_tokens\":\"1e2147483647\"", "\"cost_usd\":\"1e-2147483647\"",
                "\"cost_micros\":1e999999999", "\"prompt_tokens\":1e999999999", "\"completion_tokens\":-1e-999999999",
                "\"prompt_tokens\":1,\"time\":1e999999999", "\"prompt_tokens\":1" + "0".repeat(3_000));
        for (int i = 0; i < 40; i++) {
            truth.valid(i);
            truth.rejected(truth.event(1000 + i, hostile.get(i % hostile.size())));
        }
        truth.rejected("time=2025-11-09T10:00:00Z msg=token_usage provider=openai model=m prompt_tokens=1e2147483647");

        JsonNode report = truth.importAll();

        truth.assertTableHoldsExactlyTheValidEvents(report);
        assertThat(truth.rejectReasons()).hasSize(41).allSatisfy(reason -> assertThat(reason).hasSizeLessThan(300)
                .doesNotStartWith("no token counts"));
    }

    /**
     * A table narrower than the guide's (a model in varchar(12), counts in smallint) cannot hold some valid events:
     * each is rejected as its line, naming the column, and the run completes; the server would have refused the
     * whole chunk, failing the run and every restart of it on that one line.
     */
    @Test
    void aValueTheTablesNarrowerColumnCannotHoldIsItsLinesRejectNotEveryRunsFailure() throws Exception {
        database.execute("ALTER TABLE token_usage ALTER COLUMN model TYPE varchar(12)",
                "ALTER TABLE token_usage ALTER COLUMN prompt_tokens TYPE smallint",
                "ALTER TABLE token_usage ALTER COLUMN total_tokens TYPE numeric(6,0)");
        Truth truth = new Truth();
        for (int i = 0; i < 30; i++) {
            truth.valid(i);
        }
        truth.rejected(truth.event(100, "\"prompt_tokens\":1").replace("\"gpt-4o\"", "\"gpt-4o-2024-08-06\""));
        truth.rejected(truth.event(101, "\"prompt_tokens\":40000"));
        truth.rejected(truth.event(102, "\"prompt_tokens\":30000,\"completion_tokens\":999999"));
        truth.validLine(truth.event(103, "\"prompt_tokens\":32767"), 32767, 1, 0);

        JsonNode report = truth.importAll();

        truth.assertTableHoldsExactlyTheValidEvents(report);
        assertThat(truth.rejectReasons()).containsExactlyInAnyOrder(
                "model is 17 characters, more than token_usage.model holds (12)",
                "prompt_tokens is 40000, more than token_usage.prompt_tokens holds (32767)",
                "total_tokens is 1029999, more than token_usage.total_tokens holds (999999)");
    }

    /**
     * The limits are the table's own column types: a count above INT's 2147483647 loads as logged into BIGINT and
     * NUMERIC(12) columns (the first by binary COPY, the second as CSV), and the guide's INT table rejects it.
     */
    @Test
    void aCountBeyondIntLoadsIntoABigintOrNumericColumnAndOnlyTheGuidesIntTableRejectsIt() throws Exception {
        long prompt = (1L << 31) + 852_516_352L;
        String line = "{\"time\":1762682400000,\"msg\":\"token_usage\",\"provider\":\"openai\","
                + "\"model\":\"gpt-4o\",\"prompt_tokens\":" + prompt + ",\"completion_tokens\":5}";
        Path log = Files.write(dir.resolve("app.log"), List.of(line));

        JsonNode intTable = cli.report(dir, "import", "--rejects", dir.resolve("int.log").toString(), log.toString());
        database.execute("ALTER TABLE token_usage ALTER COLUMN prompt_tokens TYPE bigint",
                "ALTER TABLE token_usage ALTER COLUMN total_tokens TYPE bigint");
        JsonNode bigint = cli.report(dir, "import", "--rejects", dir.resolve("bigint.log").toString(),
                log.toString());
        long[] storedInBigint = storedCounts();
        database.execute("TRUNCATE token_usage", "ALTER TABLE token_usage ALTER COLUMN prompt_tokens TYPE numeric(12,0)",
                "ALTER TABLE token_usage ALTER COLUMN total_tokens TYPE numeric(12,0)");
        JsonNode numeric = cli.report(dir, "import", "--rejects", dir.resolve("numeric.log").toString(),
                log.toString());

        assertThat(prompt).isEqualTo(3_000_000_000L).isGreaterThan(Integer.MAX_VALUE);
        assertThat(intTable.get("rejected").longValue()).isEqualTo(1);
        assertThat(Files.readString(dir.resolve("int.log.reasons.csv"))).contains("prompt_tokens is 3000000000;"
                + " token counts must be whole numbers from 0 to 2147483647");
        assertThat(bigint.get("inserted").longValue()).isEqualTo(1);
        assertThat(bigint.get("reconciliation").get("matches").booleanValue()).isTrue();
        assertThat(storedInBigint).containsExactly(3_000_000_000L, 5L, 3_000_000_005L);
        assertThat(numeric.get("inserted").longValue()).isEqualTo(1);
        assertThat(storedCounts()).containsExactly(3_000_000_000L, 5L, 3_000_000_005L);
    }

    private long[] storedCounts() throws SQLException {
        try (Connection c = database.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT prompt_tokens, completion_tokens, total_tokens FROM token_usage")) {
            assertThat(rs.next()).isTrue();
            long[] counts = {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
            assertThat(rs.next()).isFalse();
            return counts;
        }
    }

    /** Data in a JSON line's message loads; data there that cannot be read is a reject, not "no usage data". */
    @Test
    void aMessageCarryingTheDataLoadsAndOneWhoseDataCannotBeReadIsRejected() throws Exception {
        Truth truth = new Truth();
        for (int i = 0; i < 10; i++) {
            truth.valid(i);
        }
        truth.validLine("{\"asctime\": \"2025-11-15 11:00:07,463\", \"message\": \"token_usage {\\\"provider\\\":"
                + " \\\"openai\\\", \\\"model\\\": \\\"gpt-4o\\\", \\\"prompt_tokens\\\": 20, \\\"completion_tokens\\\": 5}\"}",
                20, 5, 0);
        truth.rejected("{\"time\":\"2025-11-16T11:00:01.100Z\",\"msg\":\"token_usage {\\\"model\\\":\\\"gpt-4o\\\","
                + "\\\"prompt_tokens\\\":26} trailing\"}");
        truth.rejected("{\"time\":\"2025-11-16T11:00:01.100Z\",\"msg\":\"token_usage {\\\"model\\\":\\\"gpt-4o\\\","
                + "\\\"prompt_tokens\\\":27\"}");

        JsonNode report = truth.importAll();

        truth.assertTableHoldsExactlyTheValidEvents(report);
        assertThat(report.get("rejected").longValue()).isEqualTo(2);
        assertThat(truth.rejectReasons()).hasSize(2).allSatisfy(reason -> assertThat(reason)
                .startsWith("the message's JSON after token_usage cannot be read"));
    }

    @Test
    void impossibleDatesAndNonAsciiUuidsAreRejectedWhileEscapedNamesEmojiModelsAndReorderedDockerLinesLoad()
            throws Exception {
        Truth truth = new Truth();
        for (int i = 0; i < 10; i++) {
            truth.valid(i);
        }
        for (String time : List.of("2025-02-30T10:00:00Z", "2025-04-31T10:00:00Z", "2025-11-09T24:00:00Z")) {
            truth.rejected("{\"msg\":\"token_usage\",\"timestamp\":\"" + time + "\",\"provider\":\"openai\","
                    + "\"model\":\"gpt-4o\",\"prompt_tokens\":1}");
        }
        truth.rejected(truth.event(51, "\"prompt_tokens\":1,\"user_id\":\"３f0e8a4c-1b2d-4e5f-8a9b-0c1d2e3f4a5b\""));
        truth.rejected(truth.event(52, "\"prompt_tokens\":1,\"session_id\":\"3f0e8a4c-1b2d-4e5f-8a9b-0c1d2e3f4a\u0665b\""));
        truth.rejected("{\"msg\":\"token_usage\",\"time\":1762682400123,\"provider\":\"openai\",\"model\":\""
                + "🙂".repeat(513) + "\",\"prompt_tokens\":1}");
        truth.validLine("{\"msg\":\"token\\u005fusage\",\"time\":1762682460000,\"provider\":\"openai\","
                + "\"model\":\"gpt-4o\",\"prompt_tokens\":100,\"completion_tokens\":1}", 100, 1, 0);
        truth.validLine("{\"msg\":\"token_usage\",\"time\":1762682470000,\"provider\":\"openai\",\"model\":\""
                + "🙂".repeat(300) + "\",\"prompt_tokens\":200,\"completion_tokens\":2,\"cost_micros\":7}", 200, 2, 7);
        truth.validLine("{\"stream\":\"stdout\",\"time\":\"2025-11-09T10:01:30.5Z\",\"log\":\"{\\\"msg\\\":"
                + "\\\"token_usage\\\",\\\"provider\\\":\\\"openai\\\",\\\"model\\\":\\\"gpt-4o\\\","
                + "\\\"prompt_tokens\\\":300,\\\"completion_tokens\\\":3}\\n\"}", 300, 3, 0);

        JsonNode report = truth.importAll();

        truth.assertTableHoldsExactlyTheValidEvents(report);
        assertThat(database.count("SELECT count(*) FROM token_usage WHERE char_length(model) = 300")).isEqualTo(1);
        assertThat(database.count("SELECT count(*) FROM token_usage WHERE created_at = '2025-11-09T10:01:30.5Z'"))
                .isEqualTo(1);
    }

    /** The lines of one log file, and what the table must hold after loading them. */
    private final class Truth {

        private final List<String> lines = new ArrayList<>();
        private long rows;
        private long prompt;
        private long completion;
        private long micros;
        private long rejected;
        private Path rejects;

        /** A valid event with counts and cost that depend on {@code i}. */
        void valid(int i) {
            lines.add(event(i, "\"prompt_tokens\":" + (10 + i) + ",\"completion_tokens\":" + (3 + i % 5)
                    + ",\"cost_usd\":0.0000" + (10 + i)));
            rows++;
            prompt += 10 + i;
            completion += 3 + i % 5;
            micros += 10 + i;
        }

        /** A valid line written out in full, with the counts and micro-dollars it must load as. */
        void validLine(String line, int promptTokens, int completionTokens, int costMicros) {
            lines.add(line);
            rows++;
            prompt += promptTokens;
            completion += completionTokens;
            micros += costMicros;
        }

        void rejected(String line) {
            lines.add(line);
            rejected++;
        }

        /** An event with the fields given, and an output count of 1 unless they give the completion. */
        String event(int i, String fields) {
            return "{\"time\":" + (1762682400000L + i * 1000L) + ",\"msg\":\"token_usage\",\"reqId\":\"r" + i
                    + "\",\"provider\":\"openai\",\"model\":\"gpt-4o\","
                    + (fields.contains("completion_tokens") ? "" : "\"output_tokens\":1,") + fields + "}";
        }

        JsonNode importAll() throws Exception {
            Path log = Files.write(dir.resolve("app.log"), lines);
            rejects = dir.resolve("rejects.log");
            return cli.report(dir, "import", "--rejects", rejects.toString(), log.toString());
        }

        void assertTableHoldsExactlyTheValidEvents(JsonNode report) throws SQLException {
            assertThat(report.get("status").stringValue()).isEqualTo("COMPLETED");
            assertThat(report.get("events").longValue()).isEqualTo(rows + rejected);
            assertThat(report.get("inserted").longValue()).isEqualTo(rows);
            assertThat(report.get("rejected").longValue()).isEqualTo(rejected);
            try (Connection c = database.connect(); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT count(*), sum(prompt_tokens), sum(completion_tokens),"
                            + " sum(total_tokens), sum(cost_usd) FROM token_usage")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(rows);
                assertThat(rs.getLong(2)).isEqualTo(prompt);
                assertThat(rs.getLong(3)).isEqualTo(completion);
                assertThat(rs.getLong(4)).isEqualTo(prompt + completion);
                assertThat(rs.getLong(5)).isEqualTo(micros);
            }
        }

        /** The reasons the run gave, from the reasons file and from the rejects table. */
        List<String> rejectReasons() throws Exception {
            List<String> reasons = new ArrayList<>();
            try (Connection c = database.connect(); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT reason FROM usage_backfill.rejected_line"
                            + " WHERE job_execution_id = (SELECT max(job_execution_id) FROM usage_backfill.rejected_line)")) {
                while (rs.next()) {
                    reasons.add(rs.getString(1));
                }
            }
            assertThat(Files.size(Path.of(rejects + ".reasons.csv"))).isLessThan(300L * (rejected + 1));
            return reasons;
        }
    }
}
