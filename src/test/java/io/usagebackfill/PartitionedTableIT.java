package io.usagebackfill;

import static io.usagebackfill.support.TokenEvents.lines;
import static io.usagebackfill.support.TokenEvents.totals;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import io.usagebackfill.support.BackfillCli;
import io.usagebackfill.support.DatabaseExtension;
import io.usagebackfill.support.TestDatabase;
import io.usagebackfill.support.TokenEvents;
import io.usagebackfill.support.Totals;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A {@code token_usage} partitioned by RANGE on {@code created_at}, with the {@code PRIMARY KEY (id, created_at)}
 * PostgreSQL requires of it: each case knows which events its logs hold (November's, from event 0, and December's,
 * from event {@link #DECEMBER}) and compares the table's rows and the sums of every token column and the cost with
 * them.
 */
class PartitionedTableIT {

    /** Event {@code DECEMBER + i} is on 2025-12-02, 23 days after event i. */
    private static final int DECEMBER = 2_000_000;

    @RegisterExtension
    static final DatabaseExtension DATABASE = DatabaseExtension.database();

    private final TestDatabase database = DATABASE.testDatabase();
    private final BackfillCli cli = DATABASE.cli();

    @TempDir
    Path dir;

    private Path log;

    @BeforeEach
    void novemberAndDecember() throws Exception {
        database.execute("DROP TABLE IF EXISTS token_usage", "DROP TABLE IF EXISTS token_usage_p2025_12",
                "DROP EXTENSION IF EXISTS pg_partman CASCADE",
                "DROP SCHEMA IF EXISTS partman CASCADE");
        log = dir.resolve("app.log");
        List<String> lines = lines(0, 1_500, TokenEvents::pino);
        lines.addAll(lines(DECEMBER, DECEMBER + 700, TokenEvents::pino));
        Files.write(log, lines);
    }

    private static final Totals ALL = totals(0, 1_500).plus(totals(DECEMBER, DECEMBER + 700));

    @Test
    void aTableKeyedOnIdAndTimeLoadsExactlyAndASecondRunFindsEveryEventThere() throws Exception {
        partitionedTable("token_usage_p2025_11", "2025-11-01", "2025-12-01");
        partition("token_usage_p2025_12", "2025-12-01", "2026-01-01");

        JsonNode first = cli.report(dir, "import", "--chunk-size", "400", "--threads", "2", log.toString());
        JsonNode second = cli.report(dir, "import", "--chunk-size", "400", log.toString());

        assertThat(Totals.inTable(database)).isEqualTo(ALL);
        assertThat(database.count("SELECT count(*) FROM token_usage_p2025_12")).isEqualTo(700);
        assertThat(first.get("inserted").longValue()).isEqualTo(2_200);
        assertThat(first.get("reconciliation").get("matches").booleanValue()).isTrue();
        assertThat(first.get("table").get("partitioning").stringValue()).isEqualTo("RANGE (created_at)");
        assertThat(second.get("inserted").longValue()).isZero();
        assertThat(second.get("alreadyInTable").longValue()).isEqualTo(2_200);
        assertThat(second.get("reconciliation").get("matches").booleanValue()).isTrue();
    }

    @Test
    void aMonthWithoutAPartitionStopsTheRunBeforeItWritesAnyRowNamingTheRangeAndItsStatement() throws Exception {
        partitionedTable("token_usage_2025_11", "2025-11-01", "2025-12-01");

        BackfillCli.Outcome refused = cli.capture("import", "--chunk-size", "100", "--rejects",
                dir.resolve("rejects.log").toString(), log.toString());

        assertThat(refused.exit()).as(refused.printed()).isEqualTo(2);
        assertThat(refused.printed()).contains("has no partition for 700 of the logs' events")
                .contains("[2025-12-01T00:00:00Z, 2026-01-01T00:00:00Z) (700 events)")
                .contains("CREATE TABLE token_usage_2025_12 PARTITION OF token_usage FOR VALUES FROM"
                        + " ('2025-12-01 00:00:00+00') TO ('2026-01-01 00:00:00+00')")
                .contains("nothing was written").contains("--create-partitions");
        assertThat(Totals.inTable(database)).as("November's events come first, and none went in").isEqualTo(Totals.NONE);

        partition("token_usage_2025_12", "2025-12-01", "2026-01-01");
        BackfillCli.Outcome restarted = cli.capture("restart");

        assertThat(restarted.exit()).as(restarted.printed()).isZero();
        assertThat(Totals.inTable(database)).isEqualTo(ALL);
    }

    @Test
    void aDryRunListsTheMissingRangesAndPlansEveryEventOnce() throws Exception {
        partitionedTable("token_usage_2025_11", "2025-11-01", "2025-12-01");
        // One December event in a rotated copy too: the real run loads it once.
        Path rotated = Files.write(dir.resolve("app.log.1"), List.of(TokenEvents.pino(DECEMBER + 5)));

        JsonNode plan = cli.report(dir, "import", "--dry-run", "--chunk-size", "3000", log.toString(),
                rotated.toString());

        JsonNode missing = plan.get("table").get("missingPartitions");
        assertThat(missing).hasSize(1);
        assertThat(missing.get(0).get("name").stringValue()).isEqualTo("token_usage_2025_12");
        assertThat(missing.get(0).get("events").longValue()).as("events, the repeated one too").isEqualTo(701);
        assertThat(missing.get(0).get("ddl").stringValue()).startsWith("CREATE TABLE token_usage_2025_12 PARTITION OF");
        assertThat(plan.get("inserted").longValue()).isEqualTo(2_200);
        assertThat(plan.get("duplicatesInInput").longValue()).isEqualTo(1);
        assertThat(Totals.inTable(database)).isEqualTo(Totals.NONE);
    }

    @Test
    void createPartitionsMakesTheMissingMonthLikeItsSiblingWithItsIndexesAndLoadsEveryEvent() throws Exception {
        partitionedTable("token_usage_p2025_11", "2025-11-01", "2025-12-01");
        database.execute("CREATE INDEX token_usage_model ON token_usage (model)");

        JsonNode report = cli.report(dir, "import", "--create-partitions", "--chunk-size", "500", log.toString());

        assertThat(Totals.inTable(database)).isEqualTo(ALL);
        assertThat(database.count("SELECT count(*) FROM token_usage_p2025_12")).isEqualTo(700);
        assertThat(database.count("SELECT count(*) FROM pg_indexes WHERE tablename = 'token_usage_p2025_12'"))
                .as("the primary key and the index on model").isEqualTo(2);
        assertThat(report.get("table").get("createdPartitions").get(0).get("name").stringValue())
                .isEqualTo("token_usage_p2025_12");
    }

    @Test
    void aPartitionTheToolIsRefusedMakingIsAConfigurationErrorWithTheStatementForTheOwner() throws Exception {
        partitionedTable("token_usage_p2025_11", "2025-11-01", "2025-12-01");
        database.execute("CREATE TABLE token_usage_p2025_12 (note TEXT)");

        BackfillCli.Outcome refused = cli.capture("import", "--create-partitions", "--chunk-size", "500",
                log.toString());

        assertThat(refused.exit()).as(refused.printed()).isEqualTo(2);
        assertThat(refused.printed()).contains("--create-partitions could not make the partition table token_usage")
                .contains("already exists").contains("nothing was written")
                .contains("CREATE TABLE token_usage_p2025_12 PARTITION OF token_usage");
        assertThat(Totals.inTable(database)).isEqualTo(Totals.NONE);
    }

    @Test
    void aRoleThatDoesNotOwnTheTableIsToldToHaveTheOwnerMakeThePartitions() throws Exception {
        partitionedTable("token_usage_p2025_11", "2025-11-01", "2025-12-01");
        String role = "ub_loader_" + java.util.UUID.randomUUID().toString().substring(0, 8);
        database.execute("CREATE ROLE " + role + " LOGIN", "GRANT SELECT, INSERT ON token_usage TO " + role,
                "GRANT CREATE ON SCHEMA public TO " + role, "GRANT USAGE ON SCHEMA usage_backfill TO " + role,
                "GRANT ALL ON ALL TABLES IN SCHEMA usage_backfill TO " + role,
                "GRANT ALL ON ALL SEQUENCES IN SCHEMA usage_backfill TO " + role);
        try {
            BackfillCli.Outcome refused = cli.capture("import", "--db", database.cliUrl().replaceFirst("user=[^&]*",
                    "user=" + role), "--create-partitions", log.toString());

            assertThat(refused.exit()).as(refused.printed()).isEqualTo(2);
            assertThat(refused.printed()).contains("--create-partitions could not make the partition")
                    .contains("must be owner").contains("as the table's owner (CREATE TABLE token_usage_p2025_12")
                    .doesNotContain("schema --apply");
            assertThat(Totals.inTable(database)).isEqualTo(Totals.NONE);
        } finally {
            database.execute("DROP OWNED BY " + role, "DROP ROLE " + role);
        }
    }

    @Test
    void aJobFileAsksForThePartitionsWithCreatePartitions() throws Exception {
        partitionedTable("token_usage_2025_11", "2025-11-01", "2025-12-01");
        Path job = Files.writeString(dir.resolve("nightly.properties"), "paths=" + log + "\ncreate-partitions=true\n"
                + "rejects=" + dir.resolve("rejects.log") + "\n");

        BackfillCli.Outcome run = cli.capture("run", job.toString());

        assertThat(run.exit()).as(run.printed()).isZero();
        assertThat(Totals.inTable(database)).isEqualTo(ALL);
    }

    @Test
    void aTableManagedByPgPartmanGetsItsPartitionThroughPgPartman() throws Exception {
        assumeTrue(partmanInstalls(), "pg_partman is not installed on this server (Debian: postgresql-"
                + "<version>-partman); .ci/run installs it");
        partitionedTable(null, null, null);
        database.execute("SELECT partman.create_parent(p_parent_table => 'public.token_usage', p_control =>"
                + " 'created_at', p_type => 'native', p_interval => 'monthly', p_start_partition => '2025-11-01')",
                // pg_partman 4 always makes a DEFAULT partition, which would take December's rows.
                "DROP TABLE IF EXISTS token_usage_default");
        // Three years on: past the months pg_partman made ahead.
        int later = 94_608_000;
        List<String> lines = lines(0, 200, TokenEvents::pino);
        lines.addAll(lines(later, later + 300, TokenEvents::pino));
        Files.write(log, lines);

        BackfillCli.Outcome refused = cli.capture("import", log.toString());
        JsonNode report = cli.report(dir, "import", "--create-partitions", log.toString());

        assertThat(refused.exit()).as(refused.printed()).isEqualTo(2);
        assertThat(refused.printed()).contains("partman.create_partition_time(p_parent_table => 'public.token_usage',"
                + " p_partition_times => ARRAY['2028-11-01 00:00:00+00']::timestamptz[])");
        assertThat(Totals.inTable(database)).isEqualTo(totals(0, 200).plus(totals(later, later + 300)));
        assertThat(report.get("table").get("createdPartitions").get(0).get("name").stringValue())
                .isEqualTo("token_usage_p2028_11");
        assertThat(database.count("SELECT count(*) FROM partman.show_partitions('public.token_usage')"
                + " WHERE partition_tablename = 'token_usage_p2028_11'")).as("pg_partman knows it").isEqualTo(1);
    }

    @Test
    void aDefaultPartitionTakesTheRowsNoPartitionFitsAndTheReportCountsThemByMonth() throws Exception {
        partitionedTable("token_usage_2025_11", "2025-11-01", "2025-12-01");
        database.execute("CREATE TABLE token_usage_default PARTITION OF token_usage DEFAULT");
        List<String> lines = new ArrayList<>(Files.readAllLines(log));
        int january = 5_000_000;
        lines.addAll(lines(january, january + 50, TokenEvents::pino));
        Files.write(log, lines);

        BackfillCli.Outcome run = cli.capture("import", "--chunk-size", "300", "--report-json",
                dir.resolve("report.json").toString(), log.toString());

        assertThat(run.exit()).as(run.printed()).isZero();
        assertThat(Totals.inTable(database)).isEqualTo(ALL.plus(totals(january, january + 50)));
        assertThat(database.count("SELECT count(*) FROM token_usage_default")).isEqualTo(750);
        assertThat(run.stdout()).contains("750 rows landed in the DEFAULT partition token_usage_default")
                .contains("2025-12 700, 2026-01 50");
        JsonNode table = BackfillCli.readJson(dir.resolve("report.json")).get("table");
        assertThat(table.get("rowsInDefaultPartition").longValue()).isEqualTo(750);
        assertThat(table.get("inDefaultPartitionByMonth").get("2025-12").longValue()).isEqualTo(700);
        assertThat(table.get("inDefaultPartitionByMonth").get("2026-01").longValue()).isEqualTo(50);
    }

    @Test
    void verifyAndUndoSelectAndDeleteByIdAcrossThePartitions() throws Exception {
        partitionedTable("token_usage_2025_11", "2025-11-01", "2025-12-01");
        partition("token_usage_2025_12", "2025-12-01", "2026-01-01");
        cli.output("import", "--chunk-size", "500", log.toString());
        long run = database.count("SELECT max(job_instance_id) FROM usage_backfill.batch_job_instance");

        BackfillCli.Outcome verify = cli.capture("verify", log.toString());
        BackfillCli.Outcome undo = cli.capture("undo", "--run", String.valueOf(run));

        assertThat(verify.exit()).as(verify.printed()).isZero();
        assertThat(verify.stdout()).contains("(2,200 distinct)");
        assertThat(undo.exit()).as(undo.printed()).isZero();
        assertThat(undo.stdout()).contains("removed 2,200 rows");
        assertThat(Totals.inTable(database)).isEqualTo(Totals.NONE);
    }

    @Test
    void untilAutoStopsAtTheAppsFirstRowInAnyPartition() throws Exception {
        partitionedTable("token_usage_2025_11", "2025-11-01", "2025-12-01");
        partition("token_usage_2025_12", "2025-12-01", "2026-01-01");
        database.execute("INSERT INTO token_usage (id, provider, model, prompt_tokens, completion_tokens,"
                + " total_tokens, cost_usd, created_at) VALUES (gen_random_uuid(), 'openai', 'gpt-4o', 7, 3, 10, 42, '"
                + TokenEvents.time(DECEMBER + 100) + "')");

        cli.output("import", "--until", "auto", log.toString());

        assertThat(Totals.inTable(database)).isEqualTo(totals(0, 1_500).plus(totals(DECEMBER, DECEMBER + 100))
                .plus(new Totals(1, 7, 3, 10, 42)));
    }

    @Test
    void aPartitionedTableWithoutAUsableKeyIsRefusedNamingTheKeyItCanHave() throws Exception {
        database.execute("CREATE TABLE token_usage (id UUID NOT NULL, user_id UUID, session_id UUID, provider TEXT"
                + " NOT NULL, model TEXT NOT NULL, prompt_tokens INT, completion_tokens INT, total_tokens INT,"
                + " cost_usd INT, created_at TIMESTAMPTZ NOT NULL) PARTITION BY RANGE (created_at)");

        BackfillCli.Outcome byTime = cli.capture("import", log.toString());
        database.execute("DROP TABLE token_usage", "CREATE TABLE token_usage (id UUID NOT NULL, user_id UUID,"
                + " session_id UUID, provider TEXT NOT NULL, model TEXT NOT NULL, prompt_tokens INT,"
                + " completion_tokens INT, total_tokens INT, cost_usd INT, created_at TIMESTAMPTZ NOT NULL,"
                + " PRIMARY KEY (id, provider)) PARTITION BY LIST (provider)");
        BackfillCli.Outcome byProvider = cli.capture("import", log.toString());

        assertThat(byTime.exit()).isEqualTo(2);
        assertThat(byTime.stderr()).contains("ALTER TABLE token_usage ADD PRIMARY KEY (id, created_at)")
                .doesNotContain("ADD PRIMARY KEY (id))");
        assertThat(byProvider.exit()).isEqualTo(2);
        assertThat(byProvider.stderr()).contains("partitioned by LIST (provider)")
                .contains("partition it by RANGE (created_at) with PRIMARY KEY (id, created_at)");
    }

    /** The guide's columns, partitioned by RANGE on created_at, with its first partition (none for null). */
    private void partitionedTable(String first, String from, String to) throws SQLException {
        database.execute("CREATE TABLE token_usage (id UUID NOT NULL DEFAULT gen_random_uuid(), user_id UUID,"
                + " session_id UUID, provider TEXT NOT NULL, model TEXT NOT NULL, prompt_tokens INT DEFAULT 0,"
                + " completion_tokens INT DEFAULT 0, total_tokens INT DEFAULT 0, cost_usd INT,"
                + " created_at TIMESTAMPTZ NOT NULL DEFAULT now(), PRIMARY KEY (id, created_at))"
                + " PARTITION BY RANGE (created_at)");
        if (first != null) {
            partition(first, from, to);
        }
    }

    private void partition(String name, String from, String to) throws SQLException {
        database.execute("CREATE TABLE " + name + " PARTITION OF token_usage FOR VALUES FROM ('" + from
                + " 00:00:00+00') TO ('" + to + " 00:00:00+00')");
    }

    private boolean partmanInstalls() {
        try {
            database.execute("CREATE SCHEMA partman", "CREATE EXTENSION pg_partman SCHEMA partman");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }
}
