package io.usagebackfill;

import static io.usagebackfill.support.TokenEvents.lines;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import io.usagebackfill.support.BackfillCli;
import io.usagebackfill.support.DatabaseExtension;
import io.usagebackfill.support.LoadedRows;
import io.usagebackfill.support.TestDatabase;
import io.usagebackfill.support.TokenEvents;
import io.usagebackfill.support.Totals;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A {@code token_usage} with row-level security on, as Supabase asks of every table in {@code public}, loaded by a
 * role that is not its owner (PostgreSQL refuses it COPY into the table): each case knows which events its policies
 * let in and compares the table's rows and the sums of every token column and the cost with them.
 */
class RowLevelSecurityIT {

    private static final int EVENTS = 1_000;

    @RegisterExtension
    static final DatabaseExtension DATABASE = DatabaseExtension.withFreshTable();

    private final TestDatabase database = DATABASE.testDatabase();
    private final BackfillCli cli = DATABASE.cli();
    private final String role = "ub_rls_" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);

    @TempDir
    Path dir;

    private Path log;
    private String asRole;

    @BeforeEach
    void aRoleUnderRowLevelSecurity() throws Exception {
        log = Files.write(dir.resolve("app.log"), lines(0, EVENTS, TokenEvents::pino));
        database.execute("ALTER TABLE token_usage ENABLE ROW LEVEL SECURITY", "CREATE ROLE " + role + " LOGIN",
                "GRANT SELECT, INSERT ON token_usage TO " + role, "GRANT USAGE ON SCHEMA usage_backfill TO " + role,
                "GRANT ALL ON ALL TABLES IN SCHEMA usage_backfill TO " + role,
                "GRANT ALL ON ALL SEQUENCES IN SCHEMA usage_backfill TO " + role);
        asRole = database.cliUrl().replaceFirst("user=[^&]*", "user=" + role);
    }

    @AfterEach
    void dropRole() throws Exception {
        database.execute("DROP OWNED BY " + role, "DROP ROLE " + role);
    }

    /** Event i is refused by the permissive policy when i % 11 == 2, by the restrictive one when i >= 900. */
    private static boolean refused(int i) {
        return TokenEvents.completion(i) == 7 || TokenEvents.prompt(i) >= 910;
    }

    @Test
    void theRoleLoadsThroughAStagingTableAndTheRowsItsPoliciesRefuseAreRejectsWithTheirMessage() throws Exception {
        database.execute("CREATE POLICY see_all ON token_usage FOR SELECT TO " + role + " USING (true)",
                "CREATE POLICY no_sevens ON token_usage FOR INSERT TO " + role + " WITH CHECK (completion_tokens <> 7)",
                "CREATE POLICY small_prompts ON token_usage AS RESTRICTIVE FOR INSERT TO " + role
                        + " WITH CHECK (prompt_tokens < 910)");
        Totals allowed = Totals.NONE;
        List<String> refusedLines = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            if (refused(i)) {
                refusedLines.add("app.log:" + (i + 1));
            } else {
                allowed = allowed.plus(TokenEvents.one(i));
            }
        }
        Path rejects = dir.resolve("rejects.log");

        BackfillCli.Outcome first = importing(rejects, "--chunk-size", "150", "--threads", "2");
        JsonNode report = BackfillCli.readJson(dir.resolve("report.json"));
        BackfillCli.Outcome second = importing(dir.resolve("again.log"), "--chunk-size", "150");

        assertThat(first.exit()).as(first.printed()).isZero();
        assertThat(Totals.inTable(database)).isEqualTo(allowed);
        assertThat(first.stdout()).contains("loaded through a staging table").contains("row-level security is"
                + " enabled on token_usage and applies to role " + role).contains("refuses COPY FROM");
        assertThat(report.get("table").get("rowLevelSecurity").booleanValue()).isTrue();
        assertThat(report.get("rejected").longValue()).isEqualTo(refusedLines.size());
        assertThat(report.get("reconciliation").get("matches").booleanValue()).isTrue();
        Map<String, String> reasons = LoadedRows.rejectedLines(rejects);
        assertThat(reasons.keySet()).containsExactlyInAnyOrderElementsOf(refusedLines);
        assertThat(reasons.get("app.log:3")).startsWith("row-level security refused the row: new row violates"
                + " row-level security policy for table \"token_usage\"").contains("no_sevens WITH CHECK");
        assertThat(reasons.get("app.log:901")).contains("new row violates row-level security policy"
                + " \"small_prompts\"");
        assertThat(Files.readAllLines(rejects)).contains(TokenEvents.pino(2), TokenEvents.pino(900));
        assertThat(second.exit()).as(second.printed()).isZero();
        assertThat(Totals.inTable(database)).as("the second run finds them all there").isEqualTo(allowed);
        assertThat(second.stdout()).contains("0 inserted, " + allowed.rows() + " already in the table");
    }

    @Test
    void aRowTheRoleMayInsertButNotSeeIsARejectSayingSoSinceItCannotBeReadBack() throws Exception {
        database.execute("CREATE POLICY see_most ON token_usage FOR SELECT TO " + role
                + " USING (completion_tokens <> 8)", "CREATE POLICY write_all ON token_usage FOR INSERT TO " + role
                + " WITH CHECK (true)");
        Path rejects = dir.resolve("rejects.log");

        BackfillCli.Outcome run = importing(rejects, "--chunk-size", "250");

        assertThat(run.exit()).as(run.printed()).isZero();
        Totals seen = Totals.NONE;
        for (int i = 0; i < EVENTS; i++) {
            seen = TokenEvents.completion(i) == 8 ? seen : seen.plus(TokenEvents.one(i));
        }
        assertThat(Totals.inTable(database)).isEqualTo(seen);
        assertThat(LoadedRows.rejectedLines(rejects)).hasSize(EVENTS - (int) seen.rows())
                .containsEntry("app.log:4", "row-level security lets the role insert the row but not see it: its"
                        + " SELECT policies hide it, so the insert that skips rows already there and reads back what it"
                        + " adds is refused (new row violates row-level security policy for table \"token_usage\");"
                        + " give the role a SELECT policy that shows the rows it loads");
    }

    @Test
    void aRoleThatSeesNoneOfTheRowsIsStoppedBeforeLoadingRatherThanGuessing() throws Exception {
        cli.output("import", "--rejects", dir.resolve("owner.log").toString(), log.toString());
        database.execute("ANALYZE token_usage",
                "CREATE POLICY see_none ON token_usage FOR SELECT TO " + role + " USING (false)",
                "CREATE POLICY write_all ON token_usage FOR INSERT TO " + role + " WITH CHECK (true)");
        long runs = database.count("SELECT count(*) FROM usage_backfill.batch_job_instance");

        BackfillCli.Outcome refused = importing(dir.resolve("rejects.log"));
        database.execute("DROP POLICY see_none ON token_usage");
        BackfillCli.Outcome noSelectPolicy = importing(dir.resolve("rejects.log"));

        assertThat(refused.exit()).as(refused.printed()).isEqualTo(2);
        assertThat(refused.stderr()).contains("its policies let it see none of the table's ~1000 rows")
                .contains("cannot tell which events are in the table already").contains("FOR SELECT TO " + role);
        assertThat(noSelectPolicy.exit()).as(noSelectPolicy.printed()).isEqualTo(2);
        assertThat(noSelectPolicy.stderr()).contains("no SELECT policy names it");
        assertThat(database.count("SELECT count(*) FROM usage_backfill.batch_job_instance")).as("nothing started")
                .isEqualTo(runs);
        assertThat(Totals.inTable(database)).isEqualTo(TokenEvents.totals(0, EVENTS));
    }

    @Test
    void aRoleNoPolicyLetsInsertIsStoppedBeforeLoading() throws Exception {
        database.execute("CREATE POLICY see_all ON token_usage FOR SELECT TO " + role + " USING (true)");

        BackfillCli.Outcome refused = importing(dir.resolve("rejects.log"));

        assertThat(refused.exit()).as(refused.printed()).isEqualTo(2);
        assertThat(refused.stderr()).contains("no INSERT policy names that role").contains("FOR INSERT TO " + role);
        assertThat(Totals.inTable(database)).isEqualTo(Totals.NONE);
    }

    @Test
    void replaceFixedIsRefusedBeforeLoadingWhereAPolicyCouldLeaveNeitherTheCorrectionNorTheRowItReplaces()
            throws Exception {
        database.execute("CREATE POLICY see_all ON token_usage FOR SELECT TO " + role + " USING (true)",
                "CREATE POLICY insert_all ON token_usage FOR INSERT TO " + role + " WITH CHECK (true)",
                "GRANT DELETE ON token_usage TO " + role);
        Path fixed = correctedRejects();

        BackfillCli.Outcome underPolicies = cli.capture("import", "--db", asRole, "--replace-fixed", "--rejects",
                dir.resolve("again.log").toString(), fixed.toString());
        database.execute("ALTER TABLE token_usage DISABLE ROW LEVEL SECURITY", "REVOKE DELETE ON token_usage FROM "
                + role);
        BackfillCli.Outcome withoutDelete = cli.capture("import", "--db", asRole, "--replace-fixed", "--rejects",
                dir.resolve("again2.log").toString(), fixed.toString());

        assertThat(underPolicies.exit()).as(underPolicies.printed()).isEqualTo(2);
        assertThat(underPolicies.stderr()).contains("--replace-fixed").contains("row-level security")
                .contains("BYPASSRLS");
        assertThat(withoutDelete.exit()).as(withoutDelete.printed()).isEqualTo(2);
        assertThat(withoutDelete.stderr()).contains("may not DELETE").contains("GRANT DELETE ON");
        assertThat(Totals.inTable(database)).isEqualTo(TokenEvents.totals(1, EVENTS));
    }

    /** Loads the logs as the owner with event 0's model left out, and returns its rejects file, corrected. */
    private Path correctedRejects() throws Exception {
        Files.write(log, lines(0, EVENTS, i -> i == 0 ? TokenEvents.pino(i).replace("\"model\":\"gpt-4o-mini\",", "")
                : TokenEvents.pino(i)));
        Path rejects = dir.resolve("owner.log");
        cli.output("import", "--rejects", rejects.toString(), log.toString());
        Files.writeString(rejects, Files.readString(rejects).replace("}", ",\"model\":\"gpt-4o-mini\"}"));
        return rejects;
    }

    @Test
    void theOwnerIsNotSubjectToItsTablesPoliciesAndCopiesStraightIn() throws Exception {
        JsonNode report = cli.report(dir, "import", "--rejects", dir.resolve("rejects.log").toString(),
                log.toString());

        assertThat(report.get("table").get("rowLevelSecurity").booleanValue()).isFalse();
        assertThat(report.get("table").get("loadPath").stringValue()).startsWith("COPY straight into the table");
        assertThat(Totals.inTable(database)).isEqualTo(TokenEvents.totals(0, EVENTS));
    }

    private BackfillCli.Outcome importing(Path rejects, String... options) {
        List<String> args = new ArrayList<>(List.of("import", "--db", asRole, "--rejects", rejects.toString(),
                "--report-json", dir.resolve("report.json").toString()));
        args.addAll(List.of(options));
        args.add(log.toString());
        return cli.capture(args.toArray(String[]::new));
    }
}
