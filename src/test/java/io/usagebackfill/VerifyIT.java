package io.usagebackfill;

import static io.usagebackfill.support.TokenEvents.lines;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.usagebackfill.support.BackfillCli;
import io.usagebackfill.support.DatabaseExtension;
import io.usagebackfill.support.TestDatabase;
import io.usagebackfill.support.TokenEvents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code verify}: each case loads known events, then changes the table or the logs in known ways, and checks that
 * verify finds exactly those differences (and nothing else: the app's rows and other hosts' rows are not strays).
 */
class VerifyIT {

    private static final String READER = "usage_backfill_verify_reader";

    @RegisterExtension
    static final DatabaseExtension DATABASE = DatabaseExtension.withFreshTable();

    private final TestDatabase database = DATABASE.testDatabase();
    private final BackfillCli cli = DATABASE.cli();

    @TempDir
    Path dir;

    @AfterAll
    static void dropReader() throws Exception {
        TestDatabase.dropRole(READER);
    }

    @Test
    void aTableLoadedFromTheLogsMatchesThemAndVerifyExitsZero() throws Exception {
        Path log = dir.resolve("app.log");
        List<String> events = lines(0, 50, TokenEvents::pino);
        events.add(TokenEvents.pino(50).replaceAll(",\"cost_usd\":[0-9.]+", ""));
        Files.write(log, events);
        Files.write(dir.resolve("copy.log"), lines(0, 10, TokenEvents::pino));
        cli.output("import", log.toString(), dir.resolve("copy.log").toString());
        database.execute("INSERT INTO token_usage (id, provider, model, prompt_tokens, completion_tokens,"
                + " total_tokens, cost_usd, created_at) VALUES (gen_random_uuid(), 'openai', 'gpt-4o', 1, 1, 2, 1, '"
                + TokenEvents.time(20) + "')");

        BackfillCli.Outcome verify = cli.capture("verify", log.toString(), dir.resolve("copy.log").toString());

        assertThat(verify.exit()).as(verify.printed()).isZero();
        assertThat(verify.stdout()).contains("51 distinct").contains("no row they do not give");
    }

    @Test
    void missingChangedAndUnexpectedRowsAreFoundPerDayWithExamplesAndVerifyExitsOne() throws Exception {
        Path log = dir.resolve("app.log");
        Files.write(log, lines(0, 40, TokenEvents::pino));
        Path otherHost = dir.resolve("host-b.log");
        Files.write(otherHost, lines(1000, 1010, i -> TokenEvents.pino(i).replace("gpt-4o-mini", "other-host")));
        cli.output("import", log.toString());
        cli.output("import", otherHost.toString());
        database.execute("DELETE FROM token_usage WHERE created_at IN ('" + TokenEvents.time(3) + "', '"
                + TokenEvents.time(4) + "')", "UPDATE token_usage SET completion_tokens = completion_tokens + 1"
                        + " WHERE created_at = '" + TokenEvents.time(7) + "'");
        List<String> fewer = lines(0, 40, TokenEvents::pino);
        fewer.remove(30);
        Files.write(log, fewer);
        Path report = dir.resolve("verify.json");

        BackfillCli.Outcome verify = cli.capture("verify", "--report-json", report.toString(), log.toString());

        assertThat(verify.exit()).as(verify.printed()).isEqualTo(1);
        JsonNode found = BackfillCli.readJson(report);
        assertThat(found.get("missing").longValue()).isEqualTo(2);
        assertThat(found.get("changed").longValue()).isEqualTo(1);
        assertThat(found.get("unexpected").longValue()).as("event 30, dropped from the logs; not host b's rows")
                .isEqualTo(1);
        assertThat(found.get("perDay").get("2025-11-09").get("missing").longValue()).isEqualTo(2);
        assertThat(found.get("examples").get("changed").get(0).stringValue()).contains("completion");
        assertThat(verify.stdout()).contains("NOT matching: 2 missing, 1 changed, 1 unexpected");
    }

    /** Exit 1 says the table does not match its logs: a monitor must not read a wrong --table as that. */
    @Test
    void aTableThatIsNotThereIsAConfigurationErrorNotAMismatch() throws Exception {
        Path log = dir.resolve("app.log");
        Files.write(log, lines(0, 3, TokenEvents::pino));

        BackfillCli.Outcome verify = cli.capture("verify", "--table", "no_such_table", log.toString());

        assertThat(verify.exit()).as(verify.printed()).isEqualTo(2);
        assertThat(verify.stderr()).contains("no table").contains("no_such_table").contains("--table");
    }

    @Test
    void aRoleThatMayOnlyReadCanVerify() throws Exception {
        Path log = dir.resolve("app.log");
        Files.write(log, lines(0, 20, TokenEvents::pino));
        cli.output("import", log.toString());
        database.execute("DROP ROLE IF EXISTS " + READER, "CREATE ROLE " + READER + " LOGIN PASSWORD 'reader'",
                "GRANT USAGE ON SCHEMA usage_backfill TO " + READER,
                "GRANT SELECT ON ALL TABLES IN SCHEMA usage_backfill TO " + READER,
                "GRANT SELECT ON token_usage TO " + READER);
        String url = database.cliUrl().replaceAll("user=[^&]*", "user=" + READER).replaceAll("password=[^&]*", "")
                + "&password=reader";

        BackfillCli.Outcome verify = cli.capture("verify", "--db", url, log.toString());

        assertThat(verify.exit()).as(verify.printed()).isZero();
        database.execute("REVOKE ALL ON ALL TABLES IN SCHEMA usage_backfill FROM " + READER,
                "REVOKE ALL ON SCHEMA usage_backfill FROM " + READER, "REVOKE ALL ON token_usage FROM " + READER);
    }
}
