package io.usagebackfill;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import io.usagebackfill.support.BackfillCli;
import io.usagebackfill.support.DatabaseExtension;
import io.usagebackfill.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/** Secrets stay secret, and hostile text in logs or options stays text. */
class SecurityIT {

    private static final String PASSWORD = "Pw-" + UUID.randomUUID().toString().replace("-", "");
    private static final String SSL_SECRET = "Ssl-" + UUID.randomUUID().toString().replace("-", "");
    private static final String ROLE = "ub_owner_" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);

    @RegisterExtension
    static final DatabaseExtension DATABASE = DatabaseExtension.database();

    private static TestDatabase database;
    private static BackfillCli cli;
    private static String urlWithPassword;

    @TempDir
    Path dir;

    @BeforeAll
    static void createDatabase() throws SQLException {
        database = DATABASE.testDatabase();
        urlWithPassword = database.postgresUrlWithOwner(ROLE, PASSWORD);
        cli = DATABASE.cli();
        // The owner role makes the table and the job's schema (schema --apply), so the other tests' superuser runs can
        // share them.
        assertThat(cli.run("schema", "--db", urlWithPassword, "--apply")).isZero();
        assertThat(cli.run("status", "--db", urlWithPassword)).isZero();
    }

    @AfterAll
    static void dropRole() throws SQLException {
        database.execute("REASSIGN OWNED BY " + ROLE + " TO CURRENT_USER", "DROP OWNED BY " + ROLE);
        TestDatabase.dropRole(ROLE);
    }

    @Test
    void thePasswordInAPostgresUrlNeverAppearsInOutputReportStatusOrJobParameters() throws Exception {
        Files.write(dir.resolve("app.log"), BackfillIT.events(0, 5));
        Path report = dir.resolve("report.json");

        BackfillCli.Outcome imported = cli.capture("import", "--db", urlWithPassword, "--report-json",
                report.toString(), "--rejects", dir.resolve("r.log").toString(), dir.resolve("app.log").toString());
        BackfillCli.Outcome status = cli.capture("status", "--db", urlWithPassword, "--json");
        BackfillCli.Outcome refused = cli.capture("import", "--db", urlWithPassword.replaceFirst(":\\d+/", ":1/"),
                dir.resolve("app.log").toString());

        assertThat(imported.exit()).as(imported.printed()).isZero();
        assertThat(refused.exit()).as(refused.printed()).isEqualTo(1);
        assertThat(List.of(imported.printed(), status.printed(), refused.printed(), Files.readString(report)))
                .allSatisfy(text -> assertThat(text).doesNotContain(PASSWORD));
        assertThat(everythingTheJobStored()).isNotEmpty().allSatisfy(text -> assertThat(text).doesNotContain(PASSWORD));
    }

    @Test
    void aJdbcUrlWithThePasswordInItsUserPartAndAnSslPasswordNeverShowsEitherAnywhere() throws Exception {
        String jdbc = urlWithPassword.replaceFirst("^postgres://", "jdbc:postgresql://")
                + "?sslmode=disable&sslpassword=" + SSL_SECRET;
        Files.write(dir.resolve("app.log"), List.of(BackfillIT.eventWithModel(900, "gpt-4o"),
                "{\"msg\":\"token_usage\",\"time\":1,\"user_id\":\"nope\"}"));
        Path report = dir.resolve("report.json");
        Path rejects = dir.resolve("r.log");

        BackfillCli.Outcome imported = cli.capture("import", "--db", jdbc, "--report-json", report.toString(),
                "--rejects", rejects.toString(), dir.resolve("app.log").toString());
        BackfillCli.Outcome status = cli.capture("status", "--db", jdbc);
        BackfillCli.Outcome refused = cli.capture("import", "--db", jdbc.replaceFirst(":\\d+/", ":1/"),
                dir.resolve("app.log").toString());

        assertThat(imported.exit()).as(imported.printed()).isZero();
        assertThat(refused.exit()).as(refused.printed()).isEqualTo(1);
        assertThat(refused.stderr()).contains("cannot connect");
        assertThat(List.of(imported.printed(), status.printed(), refused.printed(), Files.readString(report)))
                .allSatisfy(SecurityIT::assertNoSecret);
        assertThat(everythingTheJobStored()).isNotEmpty().allSatisfy(SecurityIT::assertNoSecret);
    }

    @Test
    void theDriversAndThePoolsDebugLoggingNeverShowsASecret() throws Exception {
        String jdbc = urlWithPassword.replaceFirst("^postgres://", "jdbc:postgresql://")
                + "?sslmode=disable&sslpassword=" + SSL_SECRET + "&password=" + PASSWORD;
        Files.write(dir.resolve("app.log"), BackfillIT.events(950, 953));

        String imported = runJarWithDebugLogging("import", "--db", jdbc, "--rejects", dir.resolve("r.log").toString(),
                dir.resolve("app.log").toString());
        String status = runJarWithDebugLogging("status", "--db", jdbc);
        String refused = runJarWithDebugLogging("status", "--db", jdbc.replaceFirst(":\\d+/", ":1/"));

        assertThat(imported).contains("DEBUG").contains("COMPLETED");
        assertThat(imported + status).contains("com.zaxxer.hikari").contains("sslpassword=***");
        assertThat(refused).contains("cannot connect");
        assertThat(List.of(imported, status, refused)).allSatisfy(SecurityIT::assertNoSecret);
    }

    private String runJarWithDebugLogging(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", Path.of("target", "usage-backfill.jar").toString()));
        command.addAll(List.of(args));
        Path output = Files.createTempFile(dir, "debug", ".out");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("LOGGING_LEVEL_ROOT", "DEBUG");
        builder.environment().put("USAGE_BACKFILL_DEBUG", "1");
        Process process = builder.start();
        assertThat(process.waitFor(2, java.util.concurrent.TimeUnit.MINUTES)).as("the run ends").isTrue();
        return Files.readString(output);
    }

    private static void assertNoSecret(String text) {
        assertThat(text).doesNotContain(PASSWORD).doesNotContain(SSL_SECRET);
    }

    @Test
    void hostileModelNamesLandAsTextByteForByte() throws Exception {
        List<String> models = new ArrayList<>(List.of("it's", "say \"hi\"", "a,b,c", "line\nbreak", "\\.", "\\N",
                "tab\there", "'); DROP TABLE token_usage; --", "\"; DELETE FROM users; --", "$$ || pg_sleep(1) || $$",
                "模型-名字", "back\\slash", "a\r\nb", "\"\"", "🙂".repeat(256)));
        for (int i = 0; i < 2_000; i++) {
            // Four-byte characters at every offset, so some straddle each 64 KiB buffer of the COPY stream.
            models.add("x".repeat(i % 7) + "🙂".repeat(1 + i % 50) + i);
        }
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            lines.add(BackfillIT.eventWithModel(i, JsonMapper.builder().build().writeValueAsString(models.get(i))
                    .replaceAll("^\"|\"$", "")));
        }
        Files.write(dir.resolve("hostile.log"), lines);

        assertThat(cli.run("import", "--rejects", dir.resolve("r.log").toString(),
                dir.resolve("hostile.log").toString())).isZero();

        List<String> stored = new ArrayList<>();
        try (Connection c = database.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT model FROM token_usage WHERE model <> 'gpt-4o-mini'"
                        + " ORDER BY prompt_tokens")) {
            while (rs.next()) {
                stored.add(rs.getString(1));
            }
        }
        assertThat(stored).containsExactlyElementsOf(models);
    }

    @Test
    void aTableOptionThatIsNotAPlainIdentifierIsRefusedBeforeAnythingRuns() throws Exception {
        Files.write(dir.resolve("app.log"), BackfillIT.events(0, 2));

        BackfillCli.Outcome outcome = cli.capture("import", "--table", "token_usage; DROP TABLE token_usage",
                "--rejects", dir.resolve("r.log").toString(), dir.resolve("app.log").toString());

        assertThat(outcome.exit()).isEqualTo(2);
        assertThat(outcome.stderr()).contains("--table").contains("is not a table name");
        assertThat(database.count("SELECT count(*) FROM pg_tables WHERE tablename = 'token_usage'")).isEqualTo(1);
    }

    @Test
    void rejectsFilesAreReadableOnlyByTheirOwnerEvenWhenTheyExistedBefore() throws Exception {
        Path rejects = dir.resolve("rejects.log");
        Files.writeString(rejects, "old content\n");
        Files.setPosixFilePermissions(rejects, PosixFilePermissions.fromString("rw-r--r--"));
        Files.writeString(dir.resolve("app.log"), "{\"msg\":\"token_usage\",\"time\":1,\"model\":\"gpt-4o\",\"user_id\":\"nope\"}\n");

        assertThat(cli.run("import", "--rejects", rejects.toString(), dir.resolve("app.log").toString())).isZero();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(rejects))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                dir.resolve("rejects.log.reasons.csv")))).isEqualTo("rw-------");
        assertThat(Files.readString(rejects)).doesNotContain("old content").contains("\"nope\"");
    }

    /** Every text column of the job's own schema: Spring Batch's tables and our checkpoints. */
    private static List<String> everythingTheJobStored() throws SQLException {
        List<String> texts = new ArrayList<>();
        try (Connection c = database.connect(); Statement st = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'usage_backfill'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                try (ResultSet rs = st.executeQuery("SELECT t::text FROM usage_backfill." + table + " t")) {
                    while (rs.next()) {
                        texts.add(rs.getString(1));
                    }
                }
            }
        }
        return texts;
    }
}
