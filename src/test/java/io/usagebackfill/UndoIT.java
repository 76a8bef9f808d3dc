package io.usagebackfill;

import static io.usagebackfill.support.TokenEvents.lines;
import static io.usagebackfill.support.TokenEvents.totals;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;

import io.usagebackfill.support.BackfillCli;
import io.usagebackfill.support.DatabaseExtension;
import io.usagebackfill.support.TestDatabase;
import io.usagebackfill.support.TokenEvents;
import io.usagebackfill.support.Totals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code undo}: each case knows which events each run loaded and which rows others wrote, and checks that the table
 * holds exactly the rest after the undo (rows and the sums of every token column and the cost).
 */
class UndoIT {

    @RegisterExtension
    static final DatabaseExtension DATABASE = DatabaseExtension.withFreshTable();

    private final TestDatabase database = DATABASE.testDatabase();
    private final BackfillCli cli = DATABASE.cli();

    @TempDir
    Path dir;

    @Test
    void undoRemovesExactlyTheRowsTheRunInsertedAndKeepsRowsThatWereThereBeforeAndTheAppsOwn() throws Exception {
        Files.write(dir.resolve("first.log"), lines(0, 100, TokenEvents::pino));
        cli.output("import", dir.resolve("first.log").toString());
        appRow();
        List<String> second = lines(50, 180, TokenEvents::pino);
        second.add(TokenEvents.pino(180).replaceAll(",\"cost_usd\":[0-9.]+", "").replace("\"time\"", "\"k\":1,\"time\""));
        Files.write(dir.resolve("second.log"), second);
        cli.output("import", "--chunk-size", "20", dir.resolve("second.log").toString());
        Totals app = appTotals();

        BackfillCli.Outcome undo = cli.capture("undo", "--run", String.valueOf(lastRun()));

        assertThat(undo.exit()).as(undo.printed()).isZero();
        assertThat(undo.stdout()).as("130 events, 50 of them there before, one without a cost").contains(
                "removed 81 rows").doesNotContain("changed");
        assertThat(Totals.inTable(database)).isEqualTo(totals(0, 100).plus(app));
    }

    @Test
    void aDryRunSaysWhatWouldGoPerDayAndPerModelAndChangesNothing() throws Exception {
        Files.write(dir.resolve("app.log"), lines(0, 30, TokenEvents::pino));
        cli.output("import", "--chunk-size", "7", dir.resolve("app.log").toString());

        BackfillCli.Outcome plan = cli.capture("undo", "--run", String.valueOf(lastRun()), "--dry-run");

        assertThat(plan.exit()).as(plan.printed()).isZero();
        assertThat(plan.stdout()).contains("would remove 30 rows").contains("2025-11-09").contains("gpt-4o-mini")
                .contains("nothing was changed");
        assertThat(Totals.inTable(database)).isEqualTo(totals(0, 30));
        assertThat(database.count("SELECT count(*) FROM usage_backfill.run_undo WHERE job_instance_id = "
                + lastRun())).isZero();
    }

    @Test
    void rowsDeletedOrChangedSinceTheRunAreCountedAndAChangedRowIsKept() throws Exception {
        Files.write(dir.resolve("app.log"), lines(0, 40, TokenEvents::pino));
        cli.output("import", "--chunk-size", "10", dir.resolve("app.log").toString());
        database.execute("DELETE FROM token_usage WHERE created_at < '" + TokenEvents.time(3) + "'",
                "UPDATE token_usage SET cost_usd = cost_usd + 1 WHERE created_at = '" + TokenEvents.time(39) + "'");

        BackfillCli.Outcome withChanged = cli.capture("undo", "--run", String.valueOf(lastRun()), "--dry-run",
                "--include-changed");
        BackfillCli.Outcome undo = cli.capture("undo", "--run", String.valueOf(lastRun()));

        assertThat(withChanged.stdout()).as(withChanged.printed()).contains("would remove 37 rows")
                .doesNotContain("changed since");
        assertThat(undo.exit()).as(undo.printed()).isZero();
        assertThat(undo.stdout()).doesNotContain("--include-changed").contains("removed 36 rows").contains("3 rows of the run were no longer")
                .contains("1 row of the run changed since");
        assertThat(Totals.inTable(database)).isEqualTo(totals(39, 40).plus(new Totals(0, 0, 0, 0, 1)));
        assertThat(cli.output("status")).contains("UNDONE").contains("36 rows removed, 3 gone before, 1 changed");
    }

    @Test
    void anUndoCutOffHalfWayFinishesExactlyWhenRunAgainAndNoImportRunsBeforeItHas() throws Exception {
        Files.write(dir.resolve("app.log"), lines(0, 100, TokenEvents::pino));
        cli.output("import", "--chunk-size", "10", dir.resolve("app.log").toString());
        long run = lastRun();
        // The sixth chunk's delete fails, after five chunks' deletes committed.
        database.execute("CREATE FUNCTION refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                + " IF OLD.created_at = '" + TokenEvents.time(55) + "' THEN RAISE EXCEPTION 'not now'; END IF;"
                + " RETURN OLD; END $$",
                "CREATE TRIGGER refuse_delete BEFORE DELETE ON token_usage FOR EACH ROW EXECUTE FUNCTION"
                        + " refuse_delete()");

        BackfillCli.Outcome cut = cli.capture("undo", "--run", String.valueOf(run));
        assertThat(cut.exit()).isEqualTo(1);
        assertThat(Totals.inTable(database)).isEqualTo(totals(50, 100));
        assertThat(cli.output("status")).contains("UNDOING");
        database.execute("DROP TRIGGER refuse_delete ON token_usage");
        // An import now would count the 50 rows still to be undone as already there, and the undo would take them.
        BackfillCli.Outcome early = cli.capture("import", dir.resolve("app.log").toString());
        assertThat(early.exit()).as(early.printed()).isEqualTo(3);
        assertThat(early.stderr()).contains("undo of run " + run).contains("undo --run " + run);
        assertThat(Totals.inTable(database)).isEqualTo(totals(50, 100));

        BackfillCli.Outcome again = cli.capture("undo", "--run", String.valueOf(run));

        assertThat(again.exit()).as(again.printed()).isZero();
        assertThat(again.stdout()).contains("removed 100 rows").contains("of the 50 removed now");
        assertThat(Totals.inTable(database)).isEqualTo(Totals.NONE);
        assertThat(cli.output("undo", "--run", String.valueOf(run))).contains("was undone").contains("nothing to do");
        cli.output("import", dir.resolve("app.log").toString());
        assertThat(Totals.inTable(database)).isEqualTo(totals(0, 100));
    }

    @Test
    void aRunUndoneByItsRunKeyLoadsAgainFromTheSameLogsUnderIncrementalAndUnderTheSameRunKey() throws Exception {
        Path log = dir.resolve("app.log");
        Files.write(log, lines(0, 25, TokenEvents::pino));
        cli.output("import", "--incremental", "--run-key", "nightly-1", log.toString());
        long run = lastRun();
        assertThat(cli.output("import", "--incremental", log.toString())).contains("nothing new");

        assertThat(cli.output("undo", "--run-key", "nightly-1")).contains("removed 25 rows that run " + run);
        assertThat(Totals.inTable(database)).isEqualTo(Totals.NONE);
        cli.output("import", "--incremental", "--run-key", "nightly-1", log.toString());

        assertThat(Totals.inTable(database)).isEqualTo(totals(0, 25));
        assertThat(lastRun()).isNotEqualTo(run);
    }

    /**
     * An incremental run that met a plain run's rows as already in the table recorded the file as read: undoing the
     * plain run must make the ledger forget it, or the next nightly would never load those rows again.
     */
    @Test
    void undoingARunWhoseRowsALaterIncrementalRunFoundThereLetsTheNextIncrementalRunLoadThemAgain() throws Exception {
        Path log = dir.resolve("app.log");
        Files.write(log, lines(0, 23, TokenEvents::pino));
        cli.output("import", log.toString());
        long plain = lastRun();
        assertThat(cli.output("import", "--incremental", log.toString())).contains("23 already in the table");

        cli.output("undo", "--run", String.valueOf(plain));
        assertThat(Totals.inTable(database)).isEqualTo(Totals.NONE);
        cli.output("import", "--incremental", log.toString());

        assertThat(Totals.inTable(database)).isEqualTo(totals(0, 23));
    }

    @Test
    void aRunThatDoesNotExistIsAConfigurationErrorAndARunningOneIsBusy() throws Exception {
        Files.write(dir.resolve("app.log"), lines(0, 5, TokenEvents::pino));
        cli.output("import", dir.resolve("app.log").toString());

        BackfillCli.Outcome missing = cli.capture("undo", "--run", "999");
        BackfillCli.Outcome busy;
        try (Connection holder = database.connect(); Statement st = holder.createStatement()) {
            st.execute("SELECT pg_advisory_lock(" + 0x75736167655f6266L + ")");
            busy = cli.capture("undo", "--run", String.valueOf(lastRun()));
        }

        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.stderr()).contains("no run 999").contains("status");
        assertThat(busy.exit()).isEqualTo(3);
        assertThat(Totals.inTable(database)).isEqualTo(totals(0, 5));
    }

    private long lastRun() throws Exception {
        return database.count("SELECT max(job_instance_id) FROM usage_backfill.batch_job_instance");
    }

    private void appRow() throws Exception {
        database.execute("INSERT INTO token_usage (id, provider, model, prompt_tokens, completion_tokens, total_tokens,"
                + " cost_usd, created_at) VALUES (gen_random_uuid(), 'openai', 'gpt-4o', 7, 3, 10, 42, now())");
    }

    private Totals appTotals() {
        return new Totals(1, 7, 3, 10, 42);
    }
}
