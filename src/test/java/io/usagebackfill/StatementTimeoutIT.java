package io.usagebackfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

import io.usagebackfill.config.DatabaseUrl;
import io.usagebackfill.support.BackfillCli;
import io.usagebackfill.support.DatabaseExtension;
import io.usagebackfill.support.TestDatabase;
import io.usagebackfill.support.TokenEvents;
import io.usagebackfill.support.Totals;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A role with the short server timeouts a managed Postgres gives its API roles (statement_timeout and
 * idle_in_transaction_session_timeout of 1 s), loading into a table whose every insert statement takes 1.5 s (a
 * statement-level trigger sleeps): the tool's own transactions set what they need, and a chunk cut off by a timeout
 * it was told to keep names the setting.
 */
class StatementTimeoutIT {

    private static final int EVENTS = 300;

    @RegisterExtension
    static final DatabaseExtension DATABASE = DatabaseExtension.withFreshTable();

    private final TestDatabase database = DATABASE.testDatabase();
    private final BackfillCli cli = DATABASE.cli();
    private final String role = "ub_hurried_" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);

    @TempDir
    Path dir;

    private String asRole;

    @BeforeEach
    void slowInsertsAndAHurriedRole() throws Exception {
        Files.write(dir.resolve("app.log"), TokenEvents.lines(0, EVENTS, TokenEvents::pino));
        database.execute("CREATE OR REPLACE FUNCTION slow_insert() RETURNS trigger LANGUAGE plpgsql AS"
                + " $$ BEGIN PERFORM pg_sleep(1.5); RETURN NULL; END $$",
                "CREATE TRIGGER slow_insert AFTER INSERT ON token_usage FOR EACH STATEMENT"
                        + " EXECUTE FUNCTION slow_insert()",
                "CREATE ROLE " + role + " LOGIN", "GRANT SELECT, INSERT ON token_usage TO " + role,
                "GRANT USAGE ON SCHEMA usage_backfill TO " + role,
                "GRANT ALL ON ALL TABLES IN SCHEMA usage_backfill TO " + role,
                "GRANT ALL ON ALL SEQUENCES IN SCHEMA usage_backfill TO " + role,
                "ALTER ROLE " + role + " SET statement_timeout = '1s'",
                "ALTER ROLE " + role + " SET idle_in_transaction_session_timeout = '1s'");
        asRole = database.cliUrl().replaceFirst("user=[^&]*", "user=" + role);
    }

    @AfterEach
    void dropRole() throws Exception {
        database.execute("DROP OWNED BY " + role, "DROP ROLE " + role);
    }

    @Test
    void aRoleWhoseTimeoutsAreShorterThanAChunkLoadsEveryEvent() throws Exception {
        assertThatThrownBy(this::insertAsTheRole).as("the role's own statement, cut off")
                .isInstanceOf(SQLException.class).hasMessageContaining("statement timeout");

        BackfillCli.Outcome run = cli.capture(importing("--chunk-size", "100"));

        assertThat(run.exit()).as(run.printed()).isZero();
        assertThat(Totals.inTable(database)).isEqualTo(TokenEvents.totals(0, EVENTS));
    }

    @Test
    void aChunkCutOffByTheToolsOwnStatementTimeoutFailsNamingItAndRestartLoadsEveryEventOnce() throws Exception {
        BackfillCli.Outcome cut = cli.capture(importing("--chunk-size", "100", "--statement-timeout", "1"));
        BackfillCli.Outcome restarted = cli.capture("restart", "--db", asRole);

        assertThat(cut.exit()).as(cut.printed()).isEqualTo(1);
        assertThat(cut.printed()).contains("the server cancelled a statement after statement_timeout")
                .contains("--statement-timeout").contains("`restart`");
        assertThat(restarted.exit()).as(restarted.printed()).isZero();
        assertThat(Totals.inTable(database)).isEqualTo(TokenEvents.totals(0, EVENTS));
    }

    @Test
    void aNegativeStatementTimeoutIsAConfigurationError() {
        BackfillCli.Outcome refused = cli.capture(importing("--statement-timeout", "-1"));

        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.stderr()).contains("--statement-timeout -1 is not a number of seconds");
    }

    private String[] importing(String... options) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("import", "--db", asRole,
                "--rejects", dir.resolve("rejects.log").toString()));
        args.addAll(java.util.List.of(options));
        args.add(dir.resolve("app.log").toString());
        return args.toArray(String[]::new);
    }

    private void insertAsTheRole() throws SQLException {
        DatabaseUrl url = DatabaseUrl.parse(asRole, "the role's URL");
        try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.connectionProperties());
                Statement st = c.createStatement()) {
            st.execute("INSERT INTO token_usage (provider, model, prompt_tokens, completion_tokens, total_tokens,"
                    + " cost_usd, created_at) VALUES ('openai', 'gpt-4o', 1, 1, 2, 1, now())");
        }
    }
}
