package io.usagebackfill;

import static io.usagebackfill.support.TokenEvents.totals;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import io.usagebackfill.support.BackfillCli;
import io.usagebackfill.support.DatabaseExtension;
import io.usagebackfill.support.TestDatabase;
import io.usagebackfill.support.TokenEvents;
import io.usagebackfill.support.Totals;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rejected lines fixed and fed back: every third of 30 events is logged without its model, so the first import loads
 * 20 and rejects 10; however often and however differently the rejects are fixed, the table ends with the 30 events'
 * rows (count and the sums of every token column and the cost), never one per fix.
 */
class FixesIT {

    private static final String MODEL = "\"model\":\"gpt-4o-mini\",";

    @RegisterExtension
    static final DatabaseExtension DATABASE = DatabaseExtension.withFreshTable();

    private final TestDatabase database = DATABASE.testDatabase();
    private final BackfillCli cli = DATABASE.cli();

    @TempDir
    Path dir;

    private Path rejects;

    @BeforeEach
    void importLogsWithTenEventsMissingTheirModel() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            lines.add(i % 3 == 0 ? TokenEvents.pino(i).replace(MODEL, "") : TokenEvents.pino(i));
        }
        Files.write(dir.resolve("app.log"), lines);
        rejects = dir.resolve("rejects.log");
        cli.output("import", "--rejects", rejects.toString(), dir.resolve("app.log").toString());
        assertThat(Totals.inTable(database).rows()).isEqualTo(20);
    }

    @Test
    void aRejectsFileFixedInPlaceTwiceInTwoWaysLoadsEachEventOnce() throws Exception {
        fix(rejects, line -> line.replace("}", ",\"model\":\"gpt-4o-mini\"}"));
        cli.output("import", "--rejects", dir.resolve("again.log").toString(), rejects.toString());
        assertThat(Totals.inTable(database)).isEqualTo(totals(0, 30));

        fix(rejects, line -> line.replace("{", "{ \"model\" : \"gpt-4o-mini\" , "));
        String second = cli.output("import", "--rejects", dir.resolve("again2.log").toString(), rejects.toString());

        assertThat(second).contains("0 inserted").contains("10 already in the table");
        assertThat(Totals.inTable(database)).isEqualTo(totals(0, 30));
    }

    @Test
    void aCorrectedCopyNamedWithFixesKeepsTheIdentitiesOfTheLinesItCorrects() throws Exception {
        Path fixed = dir.resolve("fixed.log");
        Files.copy(rejects, fixed);
        fix(fixed, line -> line.replace("}", ",\"model\":\"gpt-4o-mini\"}"));
        cli.output("import", "--fixes", rejects.toString(), "--rejects", dir.resolve("r2.log").toString(),
                fixed.toString());
        fix(fixed, line -> line.replace("{", "{\"model\":\"gpt-4o-mini\","));

        cli.output("import", "--fixes", rejects.toString(), "--rejects", dir.resolve("r3.log").toString(),
                fixed.toString());

        assertThat(Totals.inTable(database)).isEqualTo(totals(0, 30));
    }

    @Test
    void aLineFixedBadlyIsRejectedAgainUnderItsOriginalIdentitySoItsLaterFixLoadsOnce() throws Exception {
        fix(rejects, line -> line.contains("\"time\":" + TokenEvents.time(0).toEpochMilli()) ? line
                : line.replace("}", ",\"model\":\"gpt-4o-mini\"}"));
        Path rejectsOfFix = dir.resolve("rejects-of-fix.log");
        cli.output("import", "--rejects", rejectsOfFix.toString(), rejects.toString());
        assertThat(Totals.inTable(database)).isEqualTo(totals(1, 30));
        fix(rejectsOfFix, line -> line.replace("}", ",\"model\":\"gpt-4o-mini\"}"));
        fix(rejects, line -> line.replace("{", "{\"model\":\"gpt-4o-mini\","));

        cli.output("import", "--rejects", dir.resolve("r3.log").toString(), rejectsOfFix.toString());
        cli.output("import", "--rejects", dir.resolve("r4.log").toString(), rejects.toString());

        assertThat(Totals.inTable(database)).isEqualTo(totals(0, 30));
    }

    @Test
    void aSecondCorrectionWithOtherCountsKeepsTheFirstsRowsAndNamesReplaceFixedAsTheWayToReplaceThem()
            throws Exception {
        fix(rejects, line -> line.replace("}", ",\"model\":\"gpt-4o-mini\"}"));
        cli.output("import", "--rejects", dir.resolve("again.log").toString(), rejects.toString());
        Totals first = Totals.inTable(database);
        fix(rejects, line -> line.replace("\"prompt_tokens\":", "\"prompt_tokens\":1"));

        BackfillCli.Outcome second = cli.capture("import", "--rejects", dir.resolve("again2.log").toString(),
                rejects.toString());

        assertThat(second.exit()).as(second.printed()).isEqualTo(4);
        assertThat(second.printed()).contains("10 already in the table").contains("corrected rejects")
                .contains("--replace-fixed");
        assertThat(Totals.inTable(database)).isEqualTo(first);
    }

    @Test
    void aSecondCorrectionOfOnlyTheModelKeepsTheFirstsRowsAndSaysSo() throws Exception {
        fix(rejects, line -> line.replace("}", ",\"model\":\"gpt-4o-mini\"}"));
        cli.output("import", "--rejects", dir.resolve("again.log").toString(), rejects.toString());
        fix(rejects, line -> line.replace("gpt-4o-mini", "gpt-4o-mini-2024-07-18"));

        String second = cli.output("import", "--rejects", dir.resolve("again2.log").toString(), rejects.toString());

        assertThat(second).contains("10 corrected lines found the row of an earlier correction")
                .contains("--replace-fixed");
        assertThat(database.count("SELECT count(*) FROM token_usage WHERE model = 'gpt-4o-mini-2024-07-18'"))
                .isZero();
    }

    @Test
    void withReplaceFixedASecondCorrectionReplacesTheRowsOfTheFirst() throws Exception {
        fix(rejects, line -> line.replace("}", ",\"model\":\"gpt-4o-mini\"}"));
        cli.output("import", "--rejects", dir.resolve("again.log").toString(), rejects.toString());
        fix(rejects, line -> line.replace("gpt-4o-mini", "gpt-4o-mini-2024-07-18"));

        String replaced = cli.output("import", "--replace-fixed", "--rejects", dir.resolve("again2.log").toString(),
                rejects.toString());

        assertThat(replaced).contains("10 inserted").contains("10 of the rows inserted replaced the row of an earlier"
                + " correction").contains("the table grew by 0 rows");
        assertThat(Totals.inTable(database)).isEqualTo(totals(0, 30));
        assertThat(database.count("SELECT count(*) FROM token_usage WHERE model = 'gpt-4o-mini-2024-07-18'"))
                .isEqualTo(10);
        BackfillCli.Outcome logs = cli.capture("import", "--replace-fixed", dir.resolve("app.log").toString());
        assertThat(logs.exit()).isEqualTo(2);
        assertThat(logs.stderr()).contains("--replace-fixed").contains("no rejects file");
        // The replacing run inserted nothing that was not there before it: undo keeps the rows it replaced.
        long replacing = database.count("SELECT max(job_instance_id) FROM usage_backfill.batch_job_instance");
        cli.capture("undo", "--run", String.valueOf(replacing));
        assertThat(Totals.inTable(database)).isEqualTo(totals(0, 30));
    }

    @Test
    void verifyReadsAFedBackRejectsFileAsImportDidSoItsRowsAreNeitherMissingNorUnexpected() throws Exception {
        fix(rejects, line -> line.replace("}", ",\"model\":\"gpt-4o-mini\"}"));
        cli.output("import", "--rejects", dir.resolve("again.log").toString(), rejects.toString());

        BackfillCli.Outcome verify = cli.capture("verify", dir.resolve("app.log").toString(), rejects.toString());

        assertThat(verify.exit()).as(verify.printed()).isZero();
        assertThat(verify.stdout()).doesNotContain("missing:").doesNotContain("NOT matching");
    }

    @Test
    void aRejectsFileWithALineDeletedIsRefusedBeforeAnythingLoads() throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(rejects));
        lines.remove(4);
        Files.write(rejects, lines);

        BackfillCli.Outcome refused = cli.capture("import", "--rejects", dir.resolve("r2.log").toString(),
                rejects.toString());

        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.stderr()).contains(rejects.toString()).contains("9 lines").contains("10 rejects")
                .contains("empty a line");
        assertThat(Totals.inTable(database).rows()).isEqualTo(20);
    }

    @Test
    void aCorrectionWhoseOriginalIsUnknownIsRejectedWithItsReason() throws Exception {
        Path reasons = dir.resolve("rejects.log.reasons.csv");
        List<String> rows = new ArrayList<>(Files.readAllLines(reasons));
        rows.set(1, rows.get(1).replaceAll(",[0-9a-f-]{36}$", ","));
        Files.write(reasons, rows);
        fix(rejects, line -> line.replace("}", ",\"model\":\"gpt-4o-mini\"}"));
        Path again = dir.resolve("again.log");

        cli.output("import", "--rejects", again.toString(), rejects.toString());

        assertThat(Totals.inTable(database)).as("all but event 0, the first reject").isEqualTo(totals(1, 30));
        assertThat(Files.readString(again.resolveSibling("again.log.reasons.csv"), StandardCharsets.UTF_8))
                .contains("original is unknown");
    }

    private static void fix(Path file, UnaryOperator<String> fix) throws Exception {
        Files.write(file, Files.readAllLines(file).stream().map(fix).toList());
    }
}
