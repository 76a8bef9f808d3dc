package io.usagebackfill;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;

import io.usagebackfill.support.BackfillCli;
import io.usagebackfill.support.TestDatabase;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import tools.jackson.databind.JsonNode;

/**
 * Random and mutated input, loaded for real: whatever the lines, the run completes and every line is accounted
 * for: {@code linesRead = events + ignored + noise} and {@code events = inserted + duplicates + rejected}, and the
 * tokens and cost read are the ones the table holds.
 */
class BadInputPropertiesIT {

    private static TestDatabase database;
    private static BackfillCli cli;
    private static Path dir;

    @BeforeContainer
    static void createDatabase() throws Exception {
        database = TestDatabase.create();
        cli = new BackfillCli(database);
        dir = Files.createTempDirectory("bad-input");
        assertThat(cli.run("schema", "--apply")).isZero();
    }

    @AfterContainer
    static void dropDatabase() throws SQLException {
        database.close();
    }

    @Property(tries = 40)
    void everyLineIsAccountedForAndNoRunCrashes(@ForAll("logs") List<byte[]> lines, @ForAll boolean crlf)
            throws Exception {
        Path log = write(lines, crlf);
        long rowsBefore = database.count("SELECT count(*) FROM token_usage");

        JsonNode report = importing(log);

        assertAccountedFor(report);
        assertThat(database.count("SELECT count(*) FROM token_usage") - rowsBefore)
                .isEqualTo(report.get("inserted").longValue());
    }

    @Example
    void aTenMegabyteLineAndDeeplyNestedJsonAreRejectedAndTheValidLinesAroundThemLoad() throws Exception {
        byte[] huge = ("{\"msg\":\"token_usage\",\"time\":1762682400123,\"model\":\"" + "m".repeat(10 << 20) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] deep = ("{\"msg\":\"token_usage\",\"time\":1762682400123,\"model\":\"gpt-4o\",\"x\":"
                + "[".repeat(5_000) + "]".repeat(5_000) + "}").getBytes(StandardCharsets.UTF_8);
        Path log = write(List.of(valid("before-huge"), huge, deep, valid("after-huge")), false);

        JsonNode report = importing(log);

        assertAccountedFor(report);
        assertThat(report.get("rejected").longValue()).isEqualTo(2);
        assertThat(database.count("SELECT count(*) FROM token_usage WHERE model IN ('before-huge', 'after-huge')"))
                .isEqualTo(2);
    }

    @Provide
    Arbitrary<List<byte[]>> logs() {
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(5, validEvents()),
                        net.jqwik.api.Tuple.of(5, brokenEvents()),
                        net.jqwik.api.Tuple.of(2, randomBytes()),
                        net.jqwik.api.Tuple.of(2, Arbitraries.of(
                                "", "   ", "ERROR insert into token_usage failed: relation does not exist",
                                "{\"level\":30,\"msg\":\"request completed\"}", "token_usage",
                                "{\"msg\":\"token_usage\",\"time\":1762682400123,\"model\":\"a\u0000b\"}",
                                "{\"msg\":\"token_usage\",\"time\":1762682400123,\"model\":\"a\\u0000b\"}")
                                .map(s -> s.getBytes(StandardCharsets.UTF_8))),
                        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1, 3_000).map(depth ->
                                ("{\"msg\":\"token_usage\",\"time\":1,\"model\":\"m\",\"x\":" + "{\"a\":".repeat(depth)
                                        + "1" + "}".repeat(depth) + "}").getBytes(StandardCharsets.UTF_8))))
                .list().ofMaxSize(60);
    }

    private Arbitrary<byte[]> validEvents() {
        return Arbitraries.strings().ofMinLength(1).ofMaxLength(40).filter(s -> s.indexOf('\0') < 0)
                .map(BadInputPropertiesIT::valid);
    }

    /** A valid event with one field replaced by something wrong, or cut short. */
    private Arbitrary<byte[]> brokenEvents() {
        Arbitrary<String> field = Arbitraries.of("\"user_id\":\"not-a-uuid\"", "\"user_id\":42",
                "\"prompt_tokens\":-1", "\"prompt_tokens\":\"12x\"", "\"prompt_tokens\":1.5",
                "\"completion_tokens\":2147483648", "\"total_tokens\":[]", "\"provider\":\"\"", "\"provider\":null",
                "\"model\":{}", "\"time\":\"not a time\"", "\"time\":-99999999999999", "\"cost_usd\":-0.01",
                "\"cost_usd\":3000", "\"cost_usd\":\"free\"", "\"session_id\":\"1-2-3-4-5\"");
        Arbitrary<Integer> cut = Arbitraries.integers().between(0, 200);
        return Combinators.combine(field, cut, Arbitraries.of(true, false)).as((broken, at, truncate) -> {
            String line = new String(valid("gpt-4o"), StandardCharsets.UTF_8);
            String mutated = truncate ? line.substring(0, Math.min(at, line.length() - 1))
                    : line.substring(0, line.length() - 1) + "," + broken + "}";
            return mutated.getBytes(StandardCharsets.UTF_8);
        });
    }

    private Arbitrary<byte[]> randomBytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
    }

    private static byte[] valid(String model) {
        String escaped = model.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r");
        StringBuilder json = new StringBuilder();
        for (char c : escaped.toCharArray()) {
            json.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return ("{\"level\":30,\"time\":1762682400123,\"msg\":\"token_usage\",\"provider\":\"openai\",\"model\":\""
                + json + "\",\"prompt_tokens\":3,\"completion_tokens\":4}").getBytes(StandardCharsets.UTF_8);
    }

    private static Path write(List<byte[]> lines, boolean crlf) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] line : lines) {
            out.write(line);
            out.write(crlf ? new byte[] {'\r', '\n'} : new byte[] {'\n'});
        }
        Path log = Files.createTempFile(dir, "app", ".log");
        Files.write(log, out.toByteArray());
        return log;
    }

    private static JsonNode importing(Path log) throws IOException {
        return cli.report(dir, "import", "--skip-limit", "100000", "--rejects",
                Files.createTempFile(dir, "rejects", ".log").toString(), log.toString());
    }

    private static void assertAccountedFor(JsonNode report) {
        assertThat(report.get("status").stringValue()).isEqualTo("COMPLETED");
        assertThat(report.get("linesRead").longValue()).isEqualTo(report.get("events").longValue()
                + report.get("ignored").longValue() + report.get("noiseLines").longValue());
        assertThat(report.get("events").longValue()).isEqualTo(report.get("inserted").longValue()
                + report.get("duplicates").longValue() + report.get("rejected").longValue());
        assertThat(report.get("reconciliation").get("matches").booleanValue()).isTrue();
    }
}
