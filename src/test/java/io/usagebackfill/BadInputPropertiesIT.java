package io.usagebackfill;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;

import io.usagebackfill.support.BackfillCli;
import io.usagebackfill.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Random and mutated input, loaded for real: whatever the lines, the run completes and every line is accounted
 * for: {@code linesRead = events + ignored + noise} and {@code events = inserted + duplicates + rejected}, and the
 * tokens and cost read are the ones the table holds. Each log is drawn from a fixed seed, so a failing seed fails
 * again; the fuzz tests ({@code LineFuzzTest}) search the same ground without a database.
 */
class BadInputPropertiesIT {

    private static final List<String> NOISE = List.of("", "   ",
            "ERROR insert into token_usage failed: relation does not exist", "{\"level\":30,\"msg\":\"request completed\"}",
            "token_usage", "{\"msg\":\"token_usage\",\"time\":1762682400123,\"model\":\"a\u0000b\"}",
            "{\"msg\":\"token_usage\",\"time\":1762682400123,\"model\":\"a\\u0000b\"}");
    private static final List<String> BROKEN_FIELDS = List.of("\"user_id\":\"not-a-uuid\"", "\"user_id\":42",
            "\"prompt_tokens\":-1", "\"prompt_tokens\":\"12x\"", "\"prompt_tokens\":1.5",
            "\"completion_tokens\":2147483648", "\"total_tokens\":[]", "\"provider\":\"\"", "\"provider\":null",
            "\"model\":{}", "\"time\":\"not a time\"", "\"time\":-99999999999999", "\"cost_usd\":-0.01",
            "\"cost_usd\":3000", "\"cost_usd\":\"free\"", "\"session_id\":\"1-2-3-4-5\"",
            "\"prompt_tokens\":1e999999999", "\"prompt_tokens\":\"1e2147483647\"", "\"cost_usd\":\"1e-2147483647\"",
            "\"cost_micros\":1e999999999", "\"time\":\"2025-02-30T10:00:00Z\"", "\"time\":\"2025-11-09T24:00:00Z\"",
            "\"user_id\":\"\uFF13f0e8a4c-1b2d-4e5f-8a9b-0c1d2e3f4a5b\"");

    private static TestDatabase database;
    private static BackfillCli cli;
    private static Path dir;

    @BeforeAll
    static void createDatabase() throws Exception {
        database = TestDatabase.create();
        cli = new BackfillCli(database);
        dir = Files.createTempDirectory("bad-input");
        assertThat(cli.run("schema", "--apply")).isZero();
    }

    @AfterAll
    static void dropDatabaseAndLogs() throws Exception {
        database.close();
        try (var files = Files.walk(dir)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    static LongStream seeds() {
        return LongStream.range(0, 40);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyLineIsAccountedForAndNoRunCrashes(long seed) throws Exception {
        Random random = new Random(seed);
        Path log = write(log(random), random.nextBoolean());
        long rowsBefore = database.count("SELECT count(*) FROM token_usage");

        JsonNode report = importing(log);

        assertAccountedFor(report);
        assertThat(database.count("SELECT count(*) FROM token_usage") - rowsBefore)
                .isEqualTo(report.get("inserted").longValue());
    }

    @Test
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

    /** Up to 60 lines: valid events, broken ones, random bytes, noise and deep nesting, in the old proportions. */
    private static List<byte[]> log(Random random) {
        List<byte[]> lines = new ArrayList<>();
        int count = random.nextInt(61);
        for (int i = 0; i < count; i++) {
            int kind = random.nextInt(15);
            if (kind < 5) {
                lines.add(valid(randomText(random, 1 + random.nextInt(40))));
            } else if (kind < 10) {
                lines.add(broken(random));
            } else if (kind < 12) {
                byte[] bytes = new byte[random.nextInt(301)];
                random.nextBytes(bytes);
                lines.add(bytes);
            } else if (kind < 14) {
                lines.add(NOISE.get(random.nextInt(NOISE.size())).getBytes(StandardCharsets.UTF_8));
            } else {
                int depth = 1 + random.nextInt(3_000);
                lines.add(("{\"msg\":\"token_usage\",\"time\":1,\"model\":\"m\",\"x\":" + "{\"a\":".repeat(depth)
                        + "1" + "}".repeat(depth) + "}").getBytes(StandardCharsets.UTF_8));
            }
        }
        return lines;
    }

    /** Text of any code points but NUL: ASCII, controls, the rest of the BMP and beyond it (surrogate pairs). */
    private static String randomText(Random random, int length) {
        StringBuilder text = new StringBuilder();
        while (text.codePointCount(0, text.length()) < length) {
            int codePoint = switch (random.nextInt(4)) {
                case 0 -> 0x20 + random.nextInt(0x5f);
                case 1 -> 1 + random.nextInt(0x1f);
                case 2 -> 0xa0 + random.nextInt(0xd7ff - 0xa0);
                default -> 0x10000 + random.nextInt(0x10ffff - 0x10000);
            };
            text.appendCodePoint(codePoint);
        }
        return text.toString();
    }

    /** A valid event with one field replaced by something wrong, or cut short. */
    private static byte[] broken(Random random) {
        String line = new String(valid("gpt-4o"), StandardCharsets.UTF_8);
        String mutated = random.nextBoolean() ? line.substring(0, Math.min(random.nextInt(201), line.length() - 1))
                : line.substring(0, line.length() - 1) + "," + BROKEN_FIELDS.get(random.nextInt(BROKEN_FIELDS.size()))
                        + "}";
        return mutated.getBytes(StandardCharsets.UTF_8);
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
