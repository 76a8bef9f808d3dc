package io.usagebackfill;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.usagebackfill.support.BackfillCli;
import io.usagebackfill.support.DatabaseExtension;
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

    private static final Path JAR = Path.of("target", "usage-backfill.jar");
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
        Process importing = startJar("import", "--db", database.cliUrl(), "--chunk-size", "500",
                "--rejects", dir.resolve("rejects.log").toString(), log.toString());
        awaitRows(5_000, importing);
        importing.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        Files.move(log, log.resolveSibling("app.log.1"));
        Files.write(log, TokenEvents.lines(EVENTS, EVENTS + 1_000, TokenEvents::pino));

        JsonNode restarted = cli.report(dir, "restart");

        assertThat(restarted.get("status").stringValue()).isEqualTo("COMPLETED");
        assertThat(Totals.inTable(database)).isEqualTo(TokenEvents.totals(0, EVENTS));
    }

    @Test
    void aFileCutByCopytruncateWhileItIsReadFailsTheRunAndRestartReadsTheRestFromTheCopy() throws Exception {
        Path log = writeEvents(dir.resolve("logs").resolve("app.log"));
        Process importing = startJar("import", "--db", database.cliUrl(), "--chunk-size", "200",
                "--rejects", dir.resolve("rejects.log").toString(), log.toString());
        awaitRows(2_000, importing);
        Files.copy(log, log.resolveSibling("app.log.1"), StandardCopyOption.COPY_ATTRIBUTES);
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "rw")) {
            file.setLength(0);
        }
        assertThat(importing.waitFor(2, TimeUnit.MINUTES)).isTrue();

        assertThat(importing.exitValue()).isEqualTo(1);
        assertThat(Files.readString(dir.resolve("run.out"))).contains("was cut while it was read");
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

    private Process startJar(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("run.out").toFile()).start();
    }

    private void awaitRows(long rows, Process process) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (database.count("SELECT count(*) FROM token_usage") < rows) {
            assertThat(process.isAlive()).as("the import is still running; its output: "
                    + Files.readString(dir.resolve("run.out"))).isTrue();
            assertThat(Instant.now()).as("rows appear within two minutes").isBefore(deadline);
            Thread.sleep(5);
        }
    }
}
