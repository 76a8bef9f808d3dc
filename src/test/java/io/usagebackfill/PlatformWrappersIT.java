package io.usagebackfill;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import io.usagebackfill.support.BackfillCli;
import io.usagebackfill.support.DatabaseExtension;
import io.usagebackfill.support.LoadedRows;
import io.usagebackfill.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Platform and shipper envelopes around an app's {@code token_usage} line (issue 20, point 4; {@code docs/wrappers.md}
 * names each format and its source): each wrapper's sample in {@code src/test/resources/io/usagebackfill/wrappers}
 * loads exactly the rows listed here, worked out from what each format documents, not from what the tool prints.
 * Which time a row gets is part of the check: the inner line's own time wins, the wrapper's time serves when the
 * inner line has none. Every sample also holds lines of that platform that are not events (an error naming the
 * {@code token_usage} table, the platform's own lines); none of them may become a row, and none is malformed.
 *
 * <p>Each row is {@code provider,model,prompt,completion,total,cost_micros,created_at} (UTC, microseconds).
 */
class PlatformWrappersIT {

    private static final Path SAMPLES = Path.of("src/test/resources/io/usagebackfill/wrappers");

    @RegisterExtension
    static final DatabaseExtension DATABASE = DatabaseExtension.withFreshTable();

    private final TestDatabase database = DATABASE.testDatabase();
    private final BackfillCli cli = DATABASE.cli();

    @TempDir
    Path dir;

    /**
     * {@code journalctl -o json}, written for real by systemd 252's journald (a namespace instance, fed through its
     * stdout-stream socket as a service's stdout is, and through its native socket as {@code sd_journal_send} does).
     */
    @Test
    void theJournalsJsonExportLoadsMessageWithTheEntrysTimeWhenTheLineHasNone() throws Exception {
        loads(List.of("journalctl-o-json.log"), 0,
                // MESSAGE is pino JSON (stdout transport); its time 1796464800123 ms wins over __REALTIME_TIMESTAMP
                "openai,gpt-4o-mini,812,95,907,179,2026-12-05T10:00:00.123000Z",
                // MESSAGE is logfmt without a time (stdout: no _SOURCE_REALTIME_TIMESTAMP); __REALTIME_TIMESTAMP
                // "1796639652240275" µs; cost 0.00006 $
                "anthropic,claude-3-5-haiku-20241022,20,11,31,60,2026-12-07T10:34:12.240275Z",
                // MESSAGE is "INFO [usage] token_usage {json}", no time; __REALTIME_TIMESTAMP "1796639652290548"
                "google,gemini-2.0-flash,350,240,590,,2026-12-07T10:34:12.290548Z",
                // (line 7: MESSAGE is a byte array, as journalctl writes a message holding ESC (winston colorize):
                // its text is not in the line, so the line is an other line, counted; docs/wrappers.md says so)
                // native transport, MESSAGE is logfmt with its own time=2026-12-05T09:00:03.250Z, which wins over
                // _SOURCE_REALTIME_TIMESTAMP and __REALTIME_TIMESTAMP
                "openai,gpt-4o,12,3,15,,2026-12-05T09:00:03.250000Z",
                // native transport, MESSAGE "token_usage model=… " without a time: _SOURCE_REALTIME_TIMESTAMP
                // "1796639652491854" (what journalctl shows) over __REALTIME_TIMESTAMP "1796639652491910"
                "openai,gpt-4o-2024-08-06,8,3,11,,2026-12-07T10:34:12.491854Z");
    }

    /** A Cloud Logging sink's export to Cloud Storage: one LogEntry a line. */
    @Test
    void cloudLoggingEntriesLoadJsonPayloadAndTextPayload() throws Exception {
        loads(List.of("gcp-logging-gcs-export.jsonl"), 0,
                // jsonPayload is pino's object (GKE parsed the JSON line); its numeric time 1796464860250 ms wins
                // over the entry's timestamp 2026-12-06T08:00:00.254118002Z; cost 0.000968 $
                "openai,gpt-4.1-mini,1500,230,1730,968,2026-12-05T10:01:00.250000Z",
                // jsonPayload without a time of its own (the agent lifted it): the entry's timestamp, not
                // receiveTimestamp
                "anthropic,claude-sonnet-4-20250514,900,120,1020,,2026-12-06T08:00:01.250000Z",
                // textPayload is logfmt with time=2026-12-05T09:10:00.500Z, which wins over timestamp
                "openai,o3-mini,45,300,345,,2026-12-05T09:10:00.500000Z",
                // textPayload is "INFO token_usage {json}" without a time: timestamp 2026-12-06T08:00:06.123456Z
                "google,gemini-2.5-pro,2000,800,2800,,2026-12-06T08:00:06.123456Z");
    }

    /**
     * {@code gcloud logging read --format=json}: one JSON list over many lines (indent 2, keys sorted), the form the
     * command prints. The reader reads lines: a member line holding a whole app line with its own time loads; an
     * entry spread over lines (a jsonPayload object) is rejected with what to do (one entry a line, {@code jq -c}),
     * never loaded without its time nor counted away.
     */
    @Test
    void gcloudLoggingReadsPrettyPrintedListLoadsAnAppLineAndRejectsAnEntrySpreadOverLines() throws Exception {
        JsonNode report = loads(List.of("gcloud-logging-read.json"), 1,
                // textPayload is a pino line: its time 1796465400750 ms wins over timestamp
                "anthropic,claude-3-7-sonnet-20250219,90,12,102,,2026-12-05T10:10:00.750000Z");

        assertThat(report.get("rejectReasons").toString()).contains("pretty-printed JSON document")
                .contains("jq -c");
    }

    /** An export task's gzipped object in S3: each line the event's time (ISO-8601, ms, Z), a space, the message. */
    @Test
    void cloudWatchS3ExportLinesLoadTheMessageWithTheExportTimeWhenTheLineHasNone() throws Exception {
        loads(List.of("cloudwatch-s3-export"), 0,
                // message is pino JSON: its time 1796464860500 ms wins over the line's 2026-12-06T09:00:00.123Z
                "openai,gpt-4o,1534,211,1745,,2026-12-05T10:01:00.500000Z",
                // message is logfmt without a time: the export's 2026-12-06T09:00:01.456Z
                "anthropic,claude-3-5-sonnet-20241022,100,20,120,,2026-12-06T09:00:01.456000Z",
                // message is a Lambda Node.js runtime line "2026-12-06T09:00:02.001Z<TAB>request id<TAB>INFO<TAB>
                // token_usage {json}": its own time wins over the export's 09:00:02.004Z
                "openai,gpt-4o-mini,350,240,590,,2026-12-06T09:00:02.001000Z");
    }

    /**
     * {@code aws logs filter-log-events} and {@code get-log-events} as the CLI prints them (JSON, indent 4, over many
     * lines); {@code aws logs tail} (one line an event: ISO time with microseconds and offset, stream, message).
     */
    @Test
    void cloudWatchCliOutputLoadsEachEventsMessageThatHasItsOwnTime() throws Exception {
        // The CLI's JSON is one pretty-printed document: the message's member line is read, the event's timestamp
        // on another line is not seen. filter-log-events' logfmt message and get-log-events' "INFO [usage]
        // token_usage {json}" have no time of their own: rejected with what to do (jq -c '.events[]').
        JsonNode report = loads(List.of("cloudwatch-filter-log-events.json", "cloudwatch-get-log-events.json",
                "cloudwatch-logs-tail.log"), 2,
                // filter-log-events: message is pino JSON, its time 1796464860900 ms wins over timestamp
                "openai,gpt-4.1-nano,60,9,69,,2026-12-05T10:01:00.900000Z",
                // logs tail: pino JSON after the time and stream; its time 1796465100100 ms wins
                "openai,gpt-4o-mini-2024-07-18,25,7,32,,2026-12-05T10:05:00.100000Z",
                // logs tail: logfmt without a time: the tail's 2026-12-06T09:05:00.456000+00:00
                "openai,gpt-3.5-turbo-0125,17,9,26,,2026-12-06T09:05:00.456000Z");

        assertThat(report.get("rejectReasons").toString()).contains("the event has no timestamp")
                .contains("jq -c '.events[]'");
    }

    /** A subscription filter's DATA_MESSAGE (decompressed), one a line; each of its logEvents is one event. */
    @Test
    void cloudWatchSubscriptionDataMessagesLoadEachLogEvent() throws Exception {
        loads(List.of("cloudwatch-subscription-data-message.log"), 0,
                // logEvents[0].message is pino JSON: its time 1796464920000 ms wins over the logEvent's timestamp
                "openai,gpt-5-mini,1534,411,1945,,2026-12-05T10:02:00.000000Z",
                // logEvents[1].message is logfmt without a time: the logEvent's timestamp 1796547120250 ms
                "anthropic,claude-opus-4-20250514,300,50,350,,2026-12-06T08:52:00.250000Z");
    }

    /** Fluent Bit's file output (default, template, plain formats) and its stdout output in json_lines. */
    @Test
    void fluentBitOutputsLoadTheRecordOrItsLogWithThePairsTimeWhenTheLineHasNone() throws Exception {
        loads(List.of("fluent-bit-out-file.log", "fluent-bit-template.log", "fluent-bit-plain.log",
                "fluent-bit-stdout-json-lines.log"), 0,
                // out_file "tag: [time, {"log":…}]": log is pino JSON, its time 1796465400123 ms wins
                "openai,gpt-4o-mini,41,9,50,,2026-12-05T10:10:00.123000Z",
                // out_file: log is logfmt without a time: the pair's time 1796547601.500000000 s
                "anthropic,claude-3-5-haiku-20241022,64,21,85,,2026-12-06T09:00:01.500000Z",
                // out_file: the record is the parsed event itself, its own time 1796465402250 ms wins
                "openai,o4-mini,250,1250,1500,,2026-12-05T10:10:02.250000Z",
                // out_file: the parsed record without a time (the parser lifted it): the pair's 1796465403.75 s
                "google,gemini-2.5-flash-lite,90,10,100,,2026-12-05T10:10:03.750000Z",
                // template "{time} {log}": logfmt without a time after the record time 1796547610.250000 s
                "mistral,mistral-large-latest,300,120,420,,2026-12-06T09:00:10.250000Z",
                // template: the log is a text prefix with its own time 2026-12-05T11:00:00.500+01:00 + JSON
                "openai,gpt-4o-2024-05-13,50,20,70,,2026-12-05T10:00:00.500000Z",
                // plain: {"log": pino JSON} and no wrapper time; the line's 1796465420000 ms
                "openai,chatgpt-4o-latest,70,30,100,,2026-12-05T10:10:20.000000Z",
                // stdout json_lines: "date" 1796547620.123456 s (json_date_format double) for a text prefix +
                // JSON without a time
                "anthropic,claude-3-5-sonnet-20240620,512,128,640,,2026-12-06T09:00:20.123456Z",
                // stdout json_lines: log is pino JSON, its time 1796465421000 ms wins over "date"
                "openai,gpt-4-turbo,100,50,150,,2026-12-05T10:10:21.000000Z");
    }

    /**
     * Vector's file sink: codec json writes the whole event (the file source's file, host, message, source_type,
     * timestamp); codec text writes the message alone, so a line without a time of its own has none left.
     */
    @Test
    void vectorFileSinkLoadsTheMessageWithTheEventsTimestampWhenTheLineHasNone() throws Exception {
        loads(List.of("vector-file-json.log", "vector-file-text.log"), 1,
                // json: message is pino JSON, its time 1796465430000 ms wins over timestamp
                "openai,gpt-4o-mini,111,22,133,,2026-12-05T10:10:30.000000Z",
                // json: message is logfmt without a time: timestamp 2026-12-06T10:00:00.123456789Z, rounded to µs
                "anthropic,claude-3-5-haiku-latest,33,44,77,,2026-12-06T10:00:00.123457Z",
                // json: message is "INFO [usage] token_usage {json}" without a time: timestamp …01.5Z
                "google,gemini-2.0-flash-lite,55,66,121,,2026-12-06T10:00:01.500000Z",
                // text: the pino line as the app wrote it, its time 1796465440000 ms (the logfmt line after it has
                // no time at all once the text codec dropped Vector's timestamp: the one reject)
                "openai,gpt-4.1,77,88,165,,2026-12-05T10:10:40.000000Z");
    }

    /** Elastic Common Schema documents: ecs-pino-format, ecs-logging-java, and Filebeat's around a raw line. */
    @Test
    void ecsDocumentsLoadDottedKeysAndTheMessagesLineWithTheirTimestamp() throws Exception {
        loads(List.of("ecs.log"), 0,
                // @elastic/ecs-pino-format: the document is the event ("log.level", "ecs.version" dotted keys);
                // @timestamp is its own time
                "openai,gpt-4o,1200,300,1500,,2026-12-05T12:00:00.250000Z",
                // ecs-logging-java: MDC values as top-level strings ("250"), "service.name" dotted, labels object
                "anthropic,claude-3-opus-20240229,250,80,330,,2026-12-05T12:00:01.500000Z",
                // Filebeat: message is logfmt without a time: @timestamp (when Filebeat read it)
                "openai,gpt-4o-mini,222,33,255,,2026-12-06T10:30:00.777000Z",
                // Filebeat: message is pino JSON, its time 1796465460100 ms wins over @timestamp
                "openai,o1-mini,500,2500,3000,,2026-12-05T10:11:00.100000Z");
    }

    /** GELF 1.1: short_message, additional fields prefixed with _, timestamp in fractional epoch seconds. */
    @Test
    void gelfMessagesLoadUnderscoreFieldsAndShortMessageWithFractionalSeconds() throws Exception {
        loads(List.of("gelf.log"), 0,
                // the app's own GELF: short_message names the event, _provider … _cost_usd (0.0001344 $) are its
                // fields, timestamp 1796547630.125 s its time
                "openai,gpt-4o-mini-2024-07-18,640,64,704,134,2026-12-06T09:00:30.125000Z",
                // Docker's gelf driver: short_message is pino JSON, its time 1796465470000 ms wins
                "openai,gpt-4.5-preview,33,3,36,,2026-12-05T10:11:10.000000Z",
                // Docker's gelf driver: short_message is logfmt without a time: timestamp 1796547632.789 s
                "anthropic,claude-3-5-sonnet-latest,44,4,48,,2026-12-06T09:00:32.789000Z",
                // Docker's gelf driver: a text prefix + JSON without a time: timestamp 1796547633 s
                "google,gemini-1.5-pro,1000,100,1100,,2026-12-06T09:00:33.000000Z");
    }

    /**
     * Spring Boot 4.1's own structured logging ({@code logging.structured.format.file=ecs|gelf|logstash}), lines
     * written for real by {@code io.usagebackfill.wrappers.SpringBootStructuredLogLines}: the usage as SLF4J
     * key-value pairs, the user id in the MDC.
     */
    @Test
    void springBootStructuredLogsLoadKeyValuePairs() throws Exception {
        loads(List.of("spring-boot-ecs.log", "spring-boot-gelf.log", "spring-boot-logstash.log"), 0,
                // ecs: nested "log":{"level"…}, pairs top-level, cost 1.08E-5 $ (a Double) = 10.8 µ$ → 11;
                // @timestamp 2026-12-07T10:33:46.609579327Z rounded to µs
                "openai,gpt-4o-mini,40,8,48,11,2026-12-07T10:33:46.609579Z",
                // gelf: short_message token_usage, pairs as _provider … _output_tokens, timestamp 1796639628.102 s
                "anthropic,claude-3-5-haiku-20241022,120,33,153,,2026-12-07T10:33:48.102000Z",
                // logstash: pairs top-level, cost 0.000032 (a BigDecimal); @timestamp …49.560213576Z → µs
                "google,gemini-2.0-flash,64,16,80,32,2026-12-07T10:33:49.560214Z");
    }

    /** Cloudflare Workers Trace Events (Logpush): console.log's arguments as an array, ["token_usage", {…}]. */
    @Test
    void workersLogpushLoadsAnArgumentArrayWithTheLogsTime() throws Exception {
        loads(List.of("cloudflare-workers-logpush.log"), 0,
                // Logs[0].Message is ["token_usage", {usage}], no time of its own: Logs[0].TimestampMs
                // 1796547700412 (not EventTimestampMs, when the request came in)
                "openai,gpt-4o-mini,128,32,160,,2026-12-06T09:01:40.412000Z");
    }

    private JsonNode loads(List<String> samples, int rejected, String... expected) throws Exception {
        List<String> args = new ArrayList<>(List.of("import", "--rejects", dir.resolve("rejects.log").toString()));
        samples.forEach(sample -> args.add(SAMPLES.resolve(sample).toString()));
        JsonNode report = cli.report(dir, args.toArray(String[]::new));
        String seen = "report " + report.get("rejectReasons") + ", events " + report.get("events") + ", ignored "
                + report.get("ignored") + ", rows " + LoadedRows.of(database);

        assertThat(LoadedRows.of(database)).as(seen).containsExactlyInAnyOrder(expected);
        assertThat(report.get("inserted").longValue()).as(seen).isEqualTo(expected.length);
        assertThat(report.get("rejected").longValue()).as(seen).isEqualTo(rejected);
        assertThat(database.count("SELECT count(*) FROM token_usage")).isEqualTo(expected.length);
        for (int column = 2; column <= 5; column++) {
            String name = List.of("prompt_tokens", "completion_tokens", "total_tokens", "cost_usd").get(column - 2);
            assertThat(database.count("SELECT coalesce(sum(" + name + "), 0) FROM token_usage")).as(name)
                    .isEqualTo(LoadedRows.sum(List.of(expected), column));
        }
        return report;
    }


}
