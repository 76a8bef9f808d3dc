package io.usagebackfill.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.stream.Stream;

import io.usagebackfill.catalog.RejectedLineException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class EventRecognizerTest {

    private final EventRecognizer recognizer = new EventRecognizer();

    static Stream<Arguments> everyShape() {
        return Stream.of(
                Arguments.of("pino", "{\"level\":30,\"time\":1762682400123,\"pid\":7,\"msg\":\"token_usage\","
                        + "\"provider\":\"openai\",\"model\":\"gpt-4o-mini\"}", "gpt-4o-mini", null),
                Arguments.of("winston", "{\"level\":\"info\",\"message\":\"token_usage\",\"timestamp\":"
                        + "\"2025-11-09T10:00:00.123Z\",\"provider\":\"anthropic\",\"model\":\"claude-3-5-sonnet\","
                        + "\"usage\":{\"input_tokens\":1200,\"output_tokens\":310}}", "claude-3-5-sonnet", null),
                Arguments.of("text prefix", "2025-11-09T12:00:00.123+02:00 INFO [usage] token_usage"
                        + " {\"provider\":\"openai\",\"model\":\"gpt-4o\"}", "gpt-4o", "2025-11-09T10:00:00.123Z"),
                Arguments.of("logfmt", "time=2025-11-09T10:00:00.123Z level=info msg=token_usage provider=openai"
                        + " model=\"gpt 4o \\\"preview\\\"\" prompt_tokens=5", "gpt 4o \"preview\"", null),
                Arguments.of("docker json-file", "{\"log\":\"{\\\"level\\\":30,\\\"time\\\":1762682400123,"
                        + "\\\"msg\\\":\\\"token_usage\\\",\\\"provider\\\":\\\"openai\\\",\\\"model\\\":\\\"o3\\\"}\\n\","
                        + "\"stream\":\"stdout\",\"time\":\"2025-11-09T10:00:00.123456789Z\"}", "o3",
                        "2025-11-09T10:00:00.123456789Z"),
                Arguments.of("kubernetes cri", "2025-11-09T10:00:00.123456789Z stdout F {\"level\":30,"
                        + "\"msg\":\"token_usage\",\"provider\":\"openai\",\"model\":\"gpt-4o\"}", "gpt-4o",
                        "2025-11-09T10:00:00.123456789Z"),
                Arguments.of("structlog event, upper case", "{\"event\":\"TOKEN_USAGE\",\"model\":\"gpt-4o\"}",
                        "gpt-4o", null),
                Arguments.of("byte order mark and spaces", "\uFEFF  {\"msg\":\"token_usage\",\"model\":\"m\"}  ",
                        "m", null),
                Arguments.of("a message naming the event and a colon", "{\"msg\":\"token_usage: openai gpt-4o\","
                        + "\"provider\":\"openai\",\"model\":\"gpt-4o\",\"prompt_tokens\":12}", "gpt-4o", null),
                Arguments.of("text prefix then logfmt pairs", "2025-11-09T10:00:00.011Z INFO token_usage"
                        + " provider=openai model=gpt-4o prompt_tokens=21 completion_tokens=1", "gpt-4o",
                        "2025-11-09T10:00:00.011Z"),
                Arguments.of("python logging, a colon, then logfmt pairs", "2025-11-09 10:00:00,011 INFO app.llm"
                        + " token_usage: model=\"gpt 4o\" prompt_tokens=21", "gpt 4o", "2025-11-09T10:00:00.011Z"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyShape")
    void recognisesTheEventInEveryShape(String shape, String line, String model, String lineTime) {
        RecognizedEvent event = recognizer.recognize(line);

        assertThat(event).isNotNull();
        assertThat(event.fields().get("model").stringValue()).isEqualTo(model);
        assertThat(event.lineTime()).isEqualTo(lineTime == null ? null : Instant.parse(lineTime));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "2025-11-09T12:00:01.000+02:00 ERROR [db] insert into token_usage failed: connection reset",
        "{\"level\":50,\"msg\":\"insert into token_usage failed\",\"err\":\"relation does not exist\"}",
        "time=2025-11-09T10:00:00Z level=error msg=\"flushing token_usage failed\"",
        "ERROR token_usage_daily refresh failed",
        "2025-11-09T12:00:01Z ERROR flushing token_usage rows=5 failed",
        "{\"msg\":\"token_usage_total\",\"model\":\"m\",\"prompt_tokens\":1}",
        "[1,2,\"token_usage\"]"})
    void aLineThatOnlyMentionsTokenUsageIsNotAnEvent(String line) {
        assertThat(recognizer.recognize(line)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"msg\":\"token_usage\",\"provider\":\"openai\",\"model\":\"gpt",
        "2025-11-09T12:00:00Z INFO token_usage {\"provider\":\"openai\",",
        "{\"msg\":\"token_usage\"} trailing",
        "msg=token_usage model=\"unterminated"})
    void aTruncatedEventIsRejectedNotIgnored(String line) {
        assertThatThrownBy(() -> recognizer.recognize(line)).isInstanceOf(RejectedLineException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {5000})
    void deeplyNestedJsonIsRejectedWithoutCrashing(int depth) {
        String line = "{\"msg\":\"token_usage\",\"x\":" + "[".repeat(depth) + "]".repeat(depth) + "}";

        assertThatThrownBy(() -> recognizer.recognize(line)).isInstanceOf(RejectedLineException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"msg\":\"token_usage\",\"model\":\"m\",\"pid\":7}"})
    void theRowIdentityIsTheApplicationsOwnLineSoAWrappedCopyMatchesThePlainOne(String appLine) {
        String docker = "{\"log\":" + tools.jackson.databind.json.JsonMapper.builder().build()
                .writeValueAsString(appLine + "\n") + ",\"stream\":\"stdout\",\"time\":\"2025-11-09T10:00:00Z\"}";
        String cri = "2025-11-09T10:00:00.1Z stdout F " + appLine;

        assertThat(recognizer.recognize(docker).identityText()).isEqualTo(appLine);
        assertThat(recognizer.recognize(cri).identityText()).isEqualTo(appLine);
        assertThat(recognizer.recognize(appLine).identityText()).isEqualTo(appLine);
    }
}
