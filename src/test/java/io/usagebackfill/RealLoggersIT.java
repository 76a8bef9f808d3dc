package io.usagebackfill;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.usagebackfill.support.BackfillCli;
import io.usagebackfill.support.DatabaseExtension;
import io.usagebackfill.support.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * One mixed file of every logger and provider shape in {@code sample-logs/real-loggers}, {@code sample-logs/providers}
 * and the Docker long line, loaded through the database and through {@code --csv-out}: both hold every event once,
 * exactly the rows this test lists on its own (worked out from what each SDK's counts mean, not by the tool), and
 * both reports count the same.
 */
class RealLoggersIT {

    /** provider,model,prompt,completion,total,cost_micros of every event in the mixed file. */
    private static final List<String> EXPECTED = List.of(
            // Docker json-file: a 40 KiB line in three entries, then a short one
            "openai,gpt-4o,20000,100,20100,", "openai,gpt-4o-mini,5,1,6,",
            // pino (real): OpenAI chat usage, Gemini usageMetadata with thinking tokens in the completion
            "openai,gpt-4o-mini-2024-07-18,812,95,907,", "google,gemini-2.5-flash,1021,528,1549,",
            // winston (real): json() with Anthropic null cache fields, logstash(), a zone-less custom timestamp
            "anthropic,claude-sonnet-4-20250514,1200,310,1510,", "openai,gpt-4.1,328,52,380,",
            "openai,gpt-4o,10,5,15,",
            // bunyan (real): Bedrock Converse usage, provider from the model id's vendor
            "anthropic,anthropic.claude-3-5-sonnet-20240620-v1:0,22,91,113,",
            // log4js (real): the JSON argument loads; the util.inspect one over several lines is a reject
            "openai,gpt-4o-mini,40,8,48,",
            // Python logging (real): text prefix; JSON formatter with asctime; created only and response_cost
            "google,gemini-2.0-flash,350,240,590,", "anthropic,claude-3-5-haiku-20241022,20,11,31,",
            "openai,gpt-4o-mini,30,5,35,12",
            // OpenTelemetry logs SDK (real): one export request, two token_usage records
            "openai,gpt-4o-2024-08-06,120,33,153,", "aws.bedrock,anthropic.claude-3-haiku-20240307-v1:0,12,7,19,",
            // python-json-logger, structlog, logstash-logback-encoder (kv and placeholder message)
            "openai,gpt-4o,7,3,10,", "anthropic,claude-3-5-sonnet-20241022,9,4,13,", "openai,gpt-4o,12,3,15,",
            "anthropic,claude-3-5-sonnet-20241022,100,20,120,",
            // provider usage objects
            "openai,gpt-4o-mini-2024-07-18,812,95,907,", "openai,gpt-4.1-2025-04-14,19,10,29,",
            "openai,gpt-4.1,328,52,380,", "anthropic,claude-sonnet-4-20250514,3300,310,3610,",
            "anthropic,claude-3-5-haiku-20241022,20,11,31,", "google,gemini-2.5-flash,1021,528,1549,",
            "google,gemini-2.0-flash,40,12,52,", "bedrock,anthropic.claude-3-5-sonnet-20240620-v1:0,1022,91,1113,",
            "openai,gpt-4o,1534,211,1745,", "openai,gpt-5-mini,1534,411,1945,",
            "anthropic,claude-3-7-sonnet-20250219,90,12,102,", "openai,gpt-4o-mini,350,240,590,",
            "openai,gpt-3.5-turbo-0125,17,9,26,", "openai,gpt-4o-2024-08-06,8,3,11,",
            "openai,gpt-4o-mini-2024-07-18,25,7,32,", "mistral,mistral-small-latest,25,7,32,",
            "openai,gpt-4o-mini,30,5,35,123", "azure.ai.openai,gpt-4o-2024-11-20,120,33,153,",
            "anthropic,claude-3-haiku-20240307,12,7,19,", "openai,gpt-4o,5,1,6,");

    @RegisterExtension
    static final DatabaseExtension DATABASE = DatabaseExtension.database();

    private final TestDatabase database = DATABASE.testDatabase();
    private final BackfillCli cli = DATABASE.cli();

    @TempDir
    Path dir;

    private Path mixed;

    @BeforeEach
    void oneMixedFileOfEveryShape() throws IOException, SQLException {
        database.execute("DROP TABLE IF EXISTS token_usage");
        assertThat(cli.run("schema", "--apply")).isZero();
        mixed = dir.resolve("mixed.log");
        List<Path> sources = new ArrayList<>(List.of(Path.of("sample-logs/k8s/api-long-line-docker.log")));
        try (Stream<Path> files = Files.list(Path.of("sample-logs/real-loggers"))) {
            files.sorted().forEach(sources::add);
        }
        sources.add(Path.of("sample-logs/providers/usage-objects.log"));
        try (OutputStream out = Files.newOutputStream(mixed, StandardOpenOption.CREATE_NEW)) {
            for (Path source : sources) {
                out.write(Files.readAllBytes(source));
            }
        }
    }

    @Test
    void aMixedFileOfEveryShapeLoadsEveryEventOnceThroughTheDatabaseAndThroughCsvWithTheSameCounts()
            throws Exception {
        JsonNode loaded = cli.report(dir, "import", "--rejects", dir.resolve("db-rejects.log").toString(),
                mixed.toString());
        Path csv = dir.resolve("rows.csv");
        Path csvReport = dir.resolve("csv-report.json");
        BackfillCli.Outcome written = BackfillCli.captureWithoutDatabase("import", "--csv-out", csv.toString(),
                "--rejects", dir.resolve("csv-rejects.log").toString(), "--report-json", csvReport.toString(),
                mixed.toString());
        JsonNode exported = BackfillCli.readJson(csvReport);

        assertThat(written.exit()).as(written.printed()).isZero();
        assertThat(tableRows()).containsExactlyInAnyOrderElementsOf(EXPECTED);
        assertThat(csvRows(csv)).containsExactlyInAnyOrderElementsOf(EXPECTED);
        assertThat(database.count("SELECT sum(prompt_tokens) FROM token_usage")).isEqualTo(sum(2));
        assertThat(database.count("SELECT sum(completion_tokens) FROM token_usage")).isEqualTo(sum(3));
        assertThat(database.count("SELECT sum(total_tokens) FROM token_usage")).isEqualTo(sum(4));
        assertThat(database.count("SELECT sum(cost_usd) FROM token_usage")).isEqualTo(sum(5));
        for (JsonNode report : List.of(loaded, exported)) {
            assertThat(report.get("status").stringValue()).isEqualTo("COMPLETED");
            assertThat(report.get("events").longValue()).isEqualTo(EXPECTED.size() + 1);
            assertThat(report.get("inserted").longValue()).isEqualTo(EXPECTED.size());
            assertThat(report.get("rejected").longValue()).isEqualTo(1);
            assertThat(report.get("ignored").longValue()).isEqualTo(3);
            assertThat(report.get("zonelessTimes").longValue()).isEqualTo(5);
            assertThat(report.get("rejectReasons").toString()).contains("the object after token_usage does not close on"
                    + " this line");
        }
        for (String count : List.of("linesRead", "events", "inserted", "rejected", "ignored",
                "noiseLines", "zonelessTimes", "inferredProviders")) {
            assertThat(exported.get(count)).as(count).isEqualTo(loaded.get(count));
        }
        assertThat(Files.readString(dir.resolve("db-rejects.log"))).startsWith("[").contains("[INFO] llm - token_usage {");
        long beyondLines = loaded.get("events").longValue() + loaded.get("ignored").longValue()
                + loaded.get("noiseLines").longValue() - loaded.get("linesRead").longValue();
        assertThat(beyondLines).as("the export line's records that name token_usage, less the line itself")
                .isEqualTo(otlpRecordsNamingTheEvent() - 1);
        assertThat(written.stdout()).contains("these add up to " + beyondLines + " more than the lines: a"
                + " line holding several records (an OpenTelemetry export request");
    }

    private static long otlpRecordsNamingTheEvent() throws IOException {
        JsonNode export = BackfillCli.readJsonText(Files.readString(
                Path.of("sample-logs/real-loggers/otel-sdk-logs.otlp.jsonl")).strip());
        long naming = 0;
        for (JsonNode resource : export.get("resourceLogs")) {
            for (JsonNode scope : resource.get("scopeLogs")) {
                for (JsonNode logRecord : scope.get("logRecords")) {
                    naming += logRecord.get("body").get("stringValue").stringValue().contains("token_usage") ? 1 : 0;
                }
            }
        }
        return naming;
    }

    @Test
    void aTimeZoneFromTheJobFileReadsZonelessTimesThere() throws Exception {
        Path job = Files.writeString(dir.resolve("zone.properties"), "paths=" + Path.of("sample-logs/real-loggers",
                "python-logging.log").toAbsolutePath() + "\nlog-timezone=Europe/Berlin\nrejects="
                + dir.resolve("r.log") + "\n");

        assertThat(cli.run("run", job.toString())).isZero();

        assertThat(database.count("SELECT count(*) FROM token_usage WHERE created_at"
                + " = '2026-12-01T04:40:51.403Z'")).isEqualTo(1);
    }

    private List<String> tableRows() throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = database.connect(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT provider, model, prompt_tokens, completion_tokens, total_tokens,"
                        + " cost_usd FROM token_usage")) {
            while (r.next()) {
                rows.add(String.join(",", r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                        r.getString(5), r.getString(6) == null ? "" : r.getString(6)));
            }
        }
        return rows;
    }

    private static List<String> csvRows(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        List<String> header = List.of(lines.get(0).split(","));
        List<String> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            rows.add(Stream.of("provider", "model", "prompt_tokens", "completion_tokens", "total_tokens", "cost_usd")
                    .map(column -> cells[header.indexOf(column)]).reduce((a, b) -> a + "," + b).orElseThrow());
        }
        return rows;
    }

    private static long sum(int column) {
        return EXPECTED.stream().map(row -> row.split(",", -1)[column]).filter(v -> !v.isEmpty())
                .mapToLong(Long::parseLong).sum();
    }
}
