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

        void rejected(String line) {
            lines.add(line);
            rejected++;
        }

        String event(int i, String fields) {
            return "{\"time\":" + (1762682400000L + i * 1000L) + ",\"msg\":\"token_usage\",\"reqId\":\"r" + i
                    + "\",\"provider\":\"openai\",\"model\":\"gpt-4o\",\"output_tokens\":1," + fields + "}";
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
                    ResultSet rs = st.executeQuery("SELECT reason FROM usage_backfill.rejected_line")) {
                while (rs.next()) {
                    reasons.add(rs.getString(1));
                }
            }
            assertThat(Files.size(Path.of(rejects + ".reasons.csv"))).isLessThan(300L * (rejected + 1));
            return reasons;
        }
    }
}
