package io.usagebackfill;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

import io.usagebackfill.support.BackfillCli;
import io.usagebackfill.support.DatabaseExtension;
import io.usagebackfill.support.JarProcess;
import io.usagebackfill.support.TestDatabase;
import io.usagebackfill.support.TokenEvents;
import io.usagebackfill.support.Totals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The packaged jar importing a log that the rotator moves or cuts under it: killed and rotated, then restarted; or
 * cut by {@code copytruncate} while it reads. The table must end with every event of the planned file once.
 */
class RotationWhileRunningIT {

    private static final int EVENTS = 150_000;

    @RegisterExtension
    static final DatabaseExtension DATABASE = DatabaseExtension.withFreshTable();

    private final TestDatabase database = DATABASE.testDatabase();
    private final BackfillCli cli = DATABASE.cli();

    @TempDir
    Path dir;

    @Test
    void aRunKilledAndThenRotatedIsRestartedFromItsCheckpointInTheRotatedCopy() throws Exception {
        Path log = writeEvents(dir.resolve("logs").resolve("app.log"));
        JarProcess importing = startImport("500", log);
        importing.awaitRows(database, 5_000);
        importing.process().destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        Files.move(log, log.resolveSibling("app.log.1"));
        Files.write(log, TokenEvents.lines(EVENTS, EVENTS + 1_000, TokenEvents::pino));

        JsonNode restarted = cli.report(dir, "restart");

        assertThat(restarted.get("status").stringValue()).isEqualTo("COMPLETED");
        assertThat(Totals.inTable(database)).isEqualTo(TokenEvents.totals(0, EVENTS));
    }

    @Test
    void aFileCutByCopytruncateWhileItIsReadFailsTheRunAndRestartReadsTheRestFromTheCopy() throws Exception {
        Path log = writeEvents(dir.resolve("logs").resolve("app.log"));
        JarProcess importing = startImport("200", log);
        importing.awaitRows(database, 2_000);
        Files.copy(log, log.resolveSibling("app.log.1"), StandardCopyOption.COPY_ATTRIBUTES);
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "rw")) {
            file.setLength(0);
        }
        assertThat(importing.exitCode()).isEqualTo(1);
        assertThat(importing.output()).contains("was cut while it was read");
        assertThat(Totals.inTable(database).rows()).isLessThan(EVENTS);

        JsonNode restarted = cli.report(dir, "restart");

        assertThat(restarted.get("status").stringValue()).isEqualTo("COMPLETED");
        assertThat(Totals.inTable(database)).isEqualTo(TokenEvents.totals(0, EVENTS));
    }

    private static Path writeEvents(Path log) throws Exception {
        Files.createDirectories(log.getParent());
        try (BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            for (int i = 0; i < EVENTS; i++) {
                out.write(TokenEvents.pino(i));
                out.write('\n');
            }
        }
        return log;
    }

    private JarProcess startImport(String chunkSize, Path log) throws Exception {
        return JarProcess.start(dir.resolve("run.out"), java.util.Map.of(), "import", "--db", database.cliUrl(),
                "--chunk-size", chunkSize, "--rejects", dir.resolve("rejects.log").toString(), log.toString());
    }
}
