package io.usagebackfill;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import io.usagebackfill.corpus.CorpusGenerator;
import io.usagebackfill.support.BackfillCli;
import io.usagebackfill.support.JarProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The embedded database as a new user meets it, in processes of their own: its directory from
 * {@code USAGE_BACKFILL_HOME}; while one import runs, a second exits 3 with the sentence a server gives, and
 * {@code status} shows the first as RUNNING; a stopped run is restarted there.
 */
class EmbeddedDatabaseIT {

    @TempDir
    Path dir;

    @Test
    void aSecondRunAtOnceExitsThreeAndStatusShowsTheFirstRunning() throws Exception {
        CorpusGenerator.Written corpus = new CorpusGenerator(CorpusGenerator.Settings.pino(200_000))
                .writeTo(dir.resolve("logs"));
        Path home = dir.resolve("home");
        Map<String, String> env = new HashMap<>();
        env.put("USAGE_BACKFILL_HOME", home.toString());
        env.put("POSTGRES_URL", null);
        env.put("DATABASE_URL", null);
        JarProcess first = JarProcess.start(dir.resolve("first.out"), env, "import", "--chunk-size", "10",
                "--progress-every", "0", "--rejects", dir.resolve("r1.log").toString(), dir.resolve("logs").toString());
        awaitOutput(first, "rows at");

        Path small = java.nio.file.Files.write(dir.resolve("small.log"), BackfillIT.events(0, 3));
        JarProcess second = JarProcess.start(dir.resolve("second.out"), env, "import", "--rejects",
                dir.resolve("r2.log").toString(), small.toString());
        JarProcess status = JarProcess.start(dir.resolve("status.out"), env, "status", "--json");

        assertThat(second.exitCode()).as(second.output()).isEqualTo(3);
        assertThat(second.output()).contains("another usage-backfill run is using database embedded PostgreSQL in "
                + home.resolve("postgres")).contains("nothing was done");
        assertThat(status.exitCode()).as(status.output()).isZero();
        JsonNode live = BackfillCli.readJsonText(status.output().substring(status.output().indexOf('{')));
        assertThat(live.get("runs").get(0).get("status").stringValue()).isEqualTo("RUNNING");
        assertThat(live.get("database").stringValue()).contains(home.toString());

        first.signal("TERM");
        assertThat(first.exitCode()).as(first.output()).isEqualTo(143);
        JarProcess restart = JarProcess.start(dir.resolve("restart.out"), env, "restart", "--report-json",
                dir.resolve("restart.json").toString());

        assertThat(restart.exitCode()).as(restart.output()).isZero();
        JsonNode report = BackfillCli.readJson(dir.resolve("restart.json"));
        assertThat(report.get("inserted").longValue()).isEqualTo(corpus.validEvents());
        assertThat(report.get("database").stringValue())
                .isEqualTo("embedded PostgreSQL in " + home.resolve("postgres"));
    }

    @Test
    void restartWithNoEmbeddedDatabaseYetSaysThereIsNothingToRestartAndCreatesNone() throws Exception {
        Path home = dir.resolve("home");
        Map<String, String> env = new HashMap<>();
        env.put("USAGE_BACKFILL_HOME", home.toString());
        env.put("POSTGRES_URL", null);
        env.put("DATABASE_URL", null);

        JarProcess restart = JarProcess.start(dir.resolve("restart.out"), env, "restart");

        assertThat(restart.exitCode()).as(restart.output()).isZero();
        assertThat(restart.output()).contains("there is no embedded database in " + home.resolve("postgres"))
                .contains("nothing to do");
        assertThat(home).doesNotExist();
    }

    private static void awaitOutput(JarProcess run, String text) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (!run.output().contains(text)) {
            assertThat(run.process().isAlive()).as("the import is still running: " + run.output()).isTrue();
            assertThat(Instant.now()).as("it shows progress within two minutes").isBefore(deadline);
            Thread.sleep(20);
        }
    }
}
