package io.usagebackfill.normalize;

import io.usagebackfill.catalog.RejectedLineException;
import io.usagebackfill.catalog.FieldCatalog;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.time.ZoneOffset;

import io.usagebackfill.parse.EventRecognizer;
import io.usagebackfill.parse.RecognizedEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Lines as the logging libraries write them (the library's own fields, time format and nesting around the app's
 * data), each with the row it must become: {@code model,prompt,completion,created_at,zoneless}. Lines marked
 * "real" were written by the library itself (see {@code sample-logs/real-loggers/}); python-json-logger and
 * structlog could not be installed here, so their lines follow their documented output exactly.
 */
class LoggerEnvelopesTest {

    private final EventRecognizer recognizer = new EventRecognizer();
    private final EventNormalizer normalizer = new EventNormalizer(ProviderCatalog.builtIn());

    /** A local time the clocks skipped, or passed twice, has no one instant: it is rejected, never moved. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "2025-03-09 02:30:00,001 | does not exist in America/New_York",
        "2025-11-02 01:30:00,001 | happened twice in America/New_York"})
    void aLocalTimeTheClocksSkippedOrRepeatedIsRejectedNotMoved(String time, String reason) {
        ZoneId newYork = ZoneId.of("America/New_York");
        EventRecognizer inNewYork = new EventRecognizer(FieldCatalog.builtIn(), newYork);
        EventNormalizer normalizerInNewYork = new EventNormalizer(ProviderCatalog.builtIn(), FieldCatalog.builtIn(),
                newYork);
        String prefixed = time + " INFO app.llm: token_usage {\"model\": \"gpt-4o\", \"prompt_tokens\": 1}";
        String inField = "{\"asctime\": \"" + time + "\", \"message\": \"token_usage\", \"model\": \"gpt-4o\","
                + " \"prompt_tokens\": 1}";

        for (String line : java.util.List.of(prefixed, inField)) {
            assertThatThrownBy(() -> normalizerInNewYork.normalize(inNewYork.recognize(line)))
                    .isInstanceOf(RejectedLineException.class).hasMessageContaining(reason)
                    .hasMessageContaining("log times with their offset");
        }
        assertThat(normalizerInNewYork.normalize(inNewYork.recognize(prefixed.replace(time,
                "2025-03-09 03:30:00,001"))).row().createdAt()).hasToString("2025-03-09T07:30:00.001Z");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        pino (real)                                   | {"level":30,"time":1796103632999,"pid":18009,"hostname":"vm","provider":"openai","model":"gpt-4o-mini-2024-07-18","usage":{"prompt_tokens":812,"completion_tokens":95,"total_tokens":907},"msg":"token_usage"} | gpt-4o-mini-2024-07-18,812,95,2026-12-01T05:40:32.999Z,false
        bunyan (real)                                 | {"name":"llm","hostname":"vm","pid":18009,"level":30,"modelId":"anthropic.claude-3-5-sonnet-20240620-v1:0","usage":{"inputTokens":22,"outputTokens":91,"totalTokens":113},"metrics":{"latencyMs":1440},"msg":"token_usage","time":"2026-12-01T05:40:33.141Z","v":0} | anthropic.claude-3-5-sonnet-20240620-v1:0,22,91,2026-12-01T05:40:33.141Z,false
        winston json (real)                           | {"level":"info","message":"token_usage","model":"claude-sonnet-4-20250514","provider":"anthropic","timestamp":"2026-12-01T05:40:33.124Z","usage":{"cache_creation_input_tokens":null,"cache_read_input_tokens":null,"input_tokens":1200,"output_tokens":310}} | claude-sonnet-4-20250514,1200,310,2026-12-01T05:40:33.124Z,false
        winston logstash() (real)                     | {"@fields":{"level":"info","model":"gpt-4.1","usage":{"input_tokens":328,"input_tokens_details":{"cached_tokens":0},"output_tokens":52,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":380}},"@message":"token_usage","@timestamp":"2026-12-01T05:40:33.128Z"} | gpt-4.1,328,52,2026-12-01T05:40:33.128Z,false
        winston custom timestamp format (real)        | {"level":"info","message":"token_usage","model":"gpt-4o","timestamp":"2026-12-01 05:40:33.129","usage":{"completionTokens":5,"promptTokens":10,"totalTokens":15}} | gpt-4o,10,5,2026-12-01T05:40:33.129Z,true
        log4js basic layout, JSON argument (real)     | [2026-12-01T05:40:33.178] [INFO] llm - token_usage {"model":"gpt-4o-mini","usage":{"prompt_tokens":40,"completion_tokens":8,"total_tokens":48}} | gpt-4o-mini,40,8,2026-12-01T05:40:33.178Z,true
        Python logging text formatter (real)          | 2026-12-01 05:40:51,403 INFO app.llm: token_usage {"model": "gemini-2.0-flash", "usage_metadata": {"input_tokens": 350, "output_tokens": 240, "total_tokens": 590}} | gemini-2.0-flash,350,240,2026-12-01T05:40:51.403Z,true
        Python logging JSON formatter, asctime first (real) | {"asctime": "2026-12-01 05:40:51,403", "created": 1796103651.403406, "levelname": "INFO", "name": "app.json", "message": "token_usage", "model": "claude-3-5-haiku-20241022", "usage": {"input_tokens": 20, "output_tokens": 11, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0}} | claude-3-5-haiku-20241022,20,11,2026-12-01T05:40:51.403Z,true
        Python logging JSON formatter, created only (real) | {"created": 1796103651.4035218, "levelname": "INFO", "message": "token_usage", "model": "gpt-4o-mini", "response_cost": 1.23e-05, "usage": {"prompt_tokens": 30, "completion_tokens": 5, "total_tokens": 35}} | gpt-4o-mini,30,5,2026-12-01T05:40:51.403522Z,false
        python-json-logger, asctime renamed to timestamp | {"timestamp": "2025-11-15 11:00:07,463", "level": "INFO", "name": "app.llm", "message": "token_usage", "model": "gpt-4o", "prompt_tokens": 7, "completion_tokens": 3} | gpt-4o,7,3,2025-11-15T11:00:07.463Z,true
        python-json-logger, default fields            | {"message": "token_usage", "model": "gpt-4o", "usage": {"prompt_tokens": 7, "completion_tokens": 3}, "taskName": null} | gpt-4o,7,3,2025-11-15T10:00:00Z,false
        structlog JSONRenderer with TimeStamper(fmt="iso") | {"model": "claude-3-5-sonnet-20241022", "usage": {"input_tokens": 9, "output_tokens": 4}, "event": "token_usage", "level": "info", "timestamp": "2025-11-15T11:00:07.463123Z"} | claude-3-5-sonnet-20241022,9,4,2025-11-15T11:00:07.463123Z,false
        structlog TimeStamper(fmt="%Y-%m-%d %H:%M:%S", utc=False) | {"model": "gpt-4o", "prompt_tokens": 9, "completion_tokens": 4, "event": "token_usage", "level": "info", "timestamp": "2025-11-15 11:00:07"} | gpt-4o,9,4,2025-11-15T11:00:07Z,true
        logstash-logback-encoder, structured arguments kv() | {"@timestamp":"2025-11-15T11:00:07.463+01:00","@version":"1","message":"token_usage model=gpt-4o prompt_tokens=12 completion_tokens=3","logger_name":"com.acme.llm.UsageLog","thread_name":"http-nio-8080-exec-1","level":"INFO","level_value":20000,"model":"gpt-4o","prompt_tokens":12,"completion_tokens":3} | gpt-4o,12,3,2025-11-15T10:00:07.463Z,false
        logstash-logback-encoder, MDC and a placeholder message | {"@timestamp":"2025-11-15T11:00:07.463Z","@version":"1","message":"token_usage {} {}","logger_name":"com.acme.llm.UsageLog","thread_name":"main","level":"INFO","level_value":20000,"userId":"3f0e1b2c-4d5e-4f60-8a7b-9c0d1e2f3a01","traceId":"4bf92f3577b34da6","model":"claude-3-5-sonnet-20241022","usage":{"input_tokens":100,"output_tokens":20}} | claude-3-5-sonnet-20241022,100,20,2025-11-15T11:00:07.463Z,false
        """)
    void aLoggersLineBecomesTheRowItDescribes(String library, String line, String expected) {
        RecognizedEvent event = recognizer.recognize(line);
        // A line with no time of its own takes its wrapper's; the default python-json-logger fields have none.
        RecognizedEvent withFallback = event.lineTime() == null
                ? new RecognizedEvent(event.fields(), java.time.Instant.parse("2025-11-15T10:00:00Z"),
                        event.identityText())
                : event;
        EventNormalizer.Normalized normalized = normalizer.normalize(withFallback);
        TokenUsage row = normalized.row();

        assertThat(String.join(",", row.model(), String.valueOf(row.promptTokens()),
                String.valueOf(row.completionTokens()), row.createdAt().toString(),
                String.valueOf(normalized.zonelessTime()))).isEqualTo(expected);
    }

    @Test
    void timesWithoutAZoneAreReadInTheLogTimezoneWhenOneIsGiven() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        EventRecognizer inBerlin = new EventRecognizer(FieldCatalog.builtIn(), berlin);
        EventNormalizer normalizerInBerlin = new EventNormalizer(ProviderCatalog.builtIn(), FieldCatalog.builtIn(),
                berlin);

        TokenUsage fromPrefix = normalizerInBerlin.normalize(inBerlin.recognize(
                "2025-11-15 11:00:07,463 INFO app.llm: token_usage {\"model\": \"gpt-4o\", \"prompt_tokens\": 1}"))
                .row();
        TokenUsage fromField = normalizerInBerlin.normalize(inBerlin.recognize(
                "{\"asctime\": \"2025-07-15 11:00:07,463\", \"message\": \"token_usage\", \"model\": \"gpt-4o\","
                        + " \"prompt_tokens\": 1}")).row();
        TokenUsage withOffset = normalizerInBerlin.normalize(inBerlin.recognize(
                "{\"time\": \"2025-07-15T11:00:07Z\", \"msg\": \"token_usage\", \"model\": \"gpt-4o\","
                        + " \"prompt_tokens\": 1}")).row();

        assertThat(fromPrefix.createdAt()).hasToString("2025-11-15T10:00:07.463Z");
        assertThat(fromField.createdAt()).hasToString("2025-07-15T09:00:07.463Z");
        assertThat(withOffset.createdAt()).hasToString("2025-07-15T11:00:07Z");
        assertThat(new EventNormalizer(ProviderCatalog.builtIn()).normalize(recognizer.recognize(
                "{\"asctime\": \"2025-07-15 11:00:07,463\", \"message\": \"token_usage\", \"model\": \"gpt-4o\","
                        + " \"prompt_tokens\": 1}")).row().createdAt()).hasToString("2025-07-15T11:00:07.463Z");
        assertThat(LogZone.of(null)).isEqualTo(ZoneOffset.UTC);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        pino error about the table (real)      | {"level":50,"time":1796103633000,"pid":18009,"hostname":"vm","err":{"type":"Error","message":"relation \\"token_usage\\" does not exist"},"msg":"failed to insert into token_usage"}
        Python text error line (real)          | 2026-12-01 05:40:51,403 ERROR app.llm: failed to insert into token_usage {"err": "duplicate key"}
        """)
    void aLineThatOnlyMentionsTheEventIsNotOne(String library, String line) {
        assertThat(recognizer.recognize(line)).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        an OpenTelemetry-style record with no usage | {"msg":"token_usage","time":1796103633000,"error.type":"db"}
        the word and a colon, no data | {"msg":"token_usage: flushed","time":1796103633000,"rows":0}
        """)
    void anEventNamedTokenUsageWithNeitherModelNorCountsIsRejectedNamingTheKeysItHolds(String shape, String line) {
        assertThatThrownBy(() -> normalizer.normalize(recognizer.recognize(line)))
                .hasMessageContaining("holds neither a model nor a token count; keys seen: ");
    }

    @Test
    void aMessageStartingWithTheWordThenProseIsAboutTheTableNotTheEvent() {
        assertThat(recognizer.recognize("{\"level\":50,\"time\":1796103633000,\"msg\":\"TOKEN_USAGE insert failed:"
                + " relation \\\"token_usage\\\" does not exist\"}")).isNull();
    }
}
