package io.usagebackfill.normalize;

import io.usagebackfill.catalog.RejectedLineException;
import io.usagebackfill.catalog.FieldCatalog;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import io.usagebackfill.parse.EventRecognizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventNormalizerTest {

    private final EventRecognizer recognizer = new EventRecognizer();
    private final EventNormalizer normalizer = new EventNormalizer(ProviderCatalog.builtIn());

    /** An event with {@code fields}, and one token count when they have none (an event without any is rejected). */
    private TokenUsage row(String fields) {
        String line = "{\"msg\":\"token_usage\",\"time\":1762682400123,\"provider\":\"openai\",\"model\":\"gpt-4o\","
                + withCounts(fields) + "}";
        return normalizer.normalize(recognizer.recognize(line)).row();
    }

    private static String withCounts(String fields) {
        return fields.toLowerCase(java.util.Locale.ROOT).contains("token") ? fields : fields + ",\"completion_tokens\":1";
    }

    private String rejection(String line) {
        try {
            normalizer.normalize(recognizer.recognize(line));
        } catch (RejectedLineException e) {
            return e.reason();
        }
        throw new AssertionError("expected a rejection for " + line);
    }

    /**
     * The row id is the application's own line's, so a copy of the line under another wrapper is the same row; but
     * a line with no time of its own is timed by its wrapper, and the same text at another time is another call.
     */
    @Test
    void anEventTimedByItsContainerWrapperGetsAnIdOfItsTextAndThatTimeAndOneTimedByItselfOfItsTextAlone() {
        String untimed = "{\"msg\":\"token_usage\",\"provider\":\"openai\",\"model\":\"m\",\"prompt_tokens\":8}";
        String timed = "{\"time\":1762682400101,\"msg\":\"token_usage\",\"provider\":\"openai\",\"model\":\"m\","
                + "\"prompt_tokens\":8}";

        assertThat(id(docker(untimed, "10:00:01"))).isNotEqualTo(id(docker(untimed, "10:00:02")))
                .isNotEqualTo(id(cri(untimed, "10:00:02"))).isEqualTo(id(cri(untimed, "10:00:01")));
        assertThat(id(docker(timed, "10:00:01"))).isEqualTo(id(docker(timed, "10:00:02")))
                .isEqualTo(id(cri(timed, "10:00:03"))).isEqualTo(id(timed));
        assertThat(id("2025-11-09 10:00:01,000 INFO token_usage {\"provider\":\"openai\",\"model\":\"m\","
                + "\"prompt_tokens\":8}")).as("a text prefix's time is part of the text already")
                .isEqualTo(EventId.of("2025-11-09 10:00:01,000 INFO token_usage {\"provider\":\"openai\","
                        + "\"model\":\"m\",\"prompt_tokens\":8}"));
    }

    /** pino writes a child logger's bindings first and the call's fields after: the later one is what was meant. */
    @Test
    void aKeyLoggedTwiceTakesItsLastValueAsJsonParseAndPinoMeanIt() {
        TokenUsage json = normalizer.normalize(recognizer.recognize("{\"level\":30,\"time\":1762682400101,"
                + "\"model\":\"gpt-4o\",\"msg\":\"token_usage\",\"provider\":\"openai\",\"model\":\"gpt-4o-mini\","
                + "\"prompt_tokens\":22,\"prompt_tokens\":999}")).row();
        TokenUsage logfmt = normalizer.normalize(recognizer.recognize("time=2025-11-09T10:00:00Z msg=token_usage"
                + " provider=openai model=gpt-4o prompt_tokens=19 prompt_tokens=999")).row();

        assertThat(json.model()).isEqualTo("gpt-4o-mini");
        assertThat(json.promptTokens()).isEqualTo(999);
        assertThat(logfmt.promptTokens()).isEqualTo(999);
    }

    /** Python's JSON formatter, logback without structured arguments, pino's printf-style message. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "python-json-logger | {\"asctime\": \"2025-11-15 11:00:07,463\", \"levelname\": \"INFO\", \"message\": \"token_usage {\\\"model\\\": \\\"gpt-4o\\\", \\\"prompt_tokens\\\": 20, \\\"completion_tokens\\\": 5}\"} | 20 | 5 | 2025-11-15T11:00:07.463Z",
        "logback, pairs     | {\"@timestamp\":\"2025-11-15T11:00:08.463+01:00\",\"level\":\"INFO\",\"message\":\"token_usage model=gpt-4o prompt_tokens=12 completion_tokens=3\"} | 12 | 3 | 2025-11-15T10:00:08.463Z",
        "pino, a colon      | {\"level\":30,\"time\":1763204409463,\"msg\":\"token_usage: {\\\"model\\\":\\\"gpt-4o\\\",\\\"prompt_tokens\\\":7,\\\"time\\\":1}\"} | 7 | 0 | 2025-11-15T11:00:09.463Z"})
    void anEventWhoseDataIsInItsFormattedMessageIsReadFromThereTheLinesOwnFieldsWinning(String logger, String line,
            int prompt, int completion, String createdAt) {
        TokenUsage row = normalizer.normalize(recognizer.recognize(line)).row();

        assertThat(row.model()).isEqualTo("gpt-4o");
        assertThat(row.promptTokens()).isEqualTo(prompt);
        assertThat(row.completionTokens()).isEqualTo(completion);
        assertThat(row.createdAt()).hasToString(createdAt);
        assertThatThrownBy(() -> normalizer.normalize(recognizer.recognize("{\"level\":30,\"time\":1763204409463,"
                + "\"msg\":\"token_usage {} {}\"}"))).as("an unrendered SLF4J pattern adds nothing")
                .hasMessageContaining("holds neither a model nor a token count");
        assertThat(recognizer.recognize("{\"level\":30,\"time\":1763204409463,\"msg\":\"token_usage {} {}\"}")
                .unreadMessage()).isNull();
    }

    @Test
    void theLinesOwnFieldsWinOverTheMessagesWhereverTheyAreAndAnUnreadableMessageIsSaidSo() {
        TokenUsage row = normalizer.normalize(recognizer.recognize("{\"time\":1763204409463,\"msg\":\"token_usage"
                + " {\\\"model\\\":\\\"gpt-4o\\\",\\\"prompt_tokens\\\":19}\",\"fields\":{\"model\":\"claude-3-5-sonnet\"},"
                + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":6}}")).row();

        assertThat(row.model()).isEqualTo("claude-3-5-sonnet");
        assertThat(row.promptTokens()).isEqualTo(5);
        assertThat(row.totalTokens()).isEqualTo(11);
        for (String message : java.util.List.of("token_usage {\\\"model\\\":\\\"gpt-4o\\\"} trailing",
                "token_usage {\\\"model\\\":\\\"gpt-4o\\\",\\\"prompt_tokens\\\":27", "token_usage [1]")) {
            var event = recognizer.recognize("{\"time\":1763204409463,\"msg\":\"" + message + "\"}");
            assertThat(event.unreadMessage()).as(message).startsWith("the message's");
            assertThatThrownBy(() -> normalizer.normalize(event)).as(message).hasMessage(event.unreadMessage());
        }
    }

    private java.util.UUID id(String line) {
        return normalizer.normalize(recognizer.recognize(line)).row().id();
    }

    private static String docker(String appLine, String time) {
        return "{\"log\":" + tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(appLine + "\n")
                + ",\"stream\":\"stdout\",\"time\":\"2025-11-09T" + time + ".000000001Z\"}";
    }

    private static String cri(String appLine, String time) {
        return "2025-11-09T" + time + ".000000001Z stdout F " + appLine;
    }

    @ParameterizedTest(name = "{0} -> prompt {1}, completion {2}, total {3}")
    @CsvSource(delimiter = '|', value = {
        "\"prompt_tokens\":812,\"completion_tokens\":95,\"total_tokens\":907 | 812 | 95 | 907",
        "\"promptTokens\":1,\"completionTokens\":2                          | 1   | 2  | 3",
        "\"input_tokens\":\"50\",\"output_tokens\":\"20\"                   | 50  | 20 | 70",
        "\"inputTokens\":4,\"outputTokens\":6                               | 4   | 6  | 10",
        "\"usage\":{\"input_tokens\":1200,\"output_tokens\":310}            | 1200 | 310 | 1510",
        "\"usage\":{\"promptTokens\":3,\"completionTokens\":4,\"totalTokens\":7} | 3 | 4 | 7",
        "\"tokenUsage\":{\"prompt_tokens\":7,\"completion_tokens\":1}       | 7   | 1  | 8",
        "\"tokens\":{\"input_tokens\":2,\"output_tokens\":2,\"reasoning_tokens\":99} | 2 | 2 | 4",
        "\"input_tokens\":100,\"cache_read_input_tokens\":50,\"cache_creation_input_tokens\":25,\"output_tokens\":1 | 175 | 1 | 176",
        "\"prompt_tokens\":5.0,\"completion_tokens\":0                      | 5   | 0  | 5",
        "\"usage\":{\"prompt_tokens\":8191,\"total_tokens\":8191}           | 8191 | 0 | 8191",
        "\"usageMetadata\":{\"promptTokenCount\":1021,\"thoughtsTokenCount\":298,\"totalTokenCount\":1319} | 1021 | 298 | 1319",
        "\"usage\":{\"cacheReadInputTokens\":500,\"outputTokens\":91}      | 500 | 91 | 591",
        "\"usage\":{\"cache_creation_input_tokens\":100,\"cache_read_input_tokens\":2000,\"output_tokens\":5} | 2100 | 5 | 2105",
        "\"cache_read_input_tokens\":7,\"usage\":{\"input_tokens\":10,\"output_tokens\":1} | 10 | 1 | 11"})
    void tokenCountsAreReadUnderEveryAlias(String fields, int prompt, int completion, int total) {
        TokenUsage row = row(fields);

        assertThat(row.promptTokens()).isEqualTo(prompt);
        assertThat(row.completionTokens()).isEqualTo(completion);
        assertThat(row.totalTokens()).isEqualTo(total);
    }

    @ParameterizedTest(name = "{0} -> {1} micro-dollars")
    @CsvSource(delimiter = '|', value = {
        "\"cost_usd\":0.0000125      | 13",
        "\"cost_usd\":0.0000124      | 12",
        "\"costUsd\":0.00825         | 8250",
        "\"cost_usd\":\"0.0001788\"  | 179",
        "\"cost\":1.5                | 1500000",
        "\"estimatedCost\":0.001     | 1000",
        "\"cost_micros\":42          | 42",
        "\"cost\":9,\"cost_usd\":0.000001 | 1",
        "\"cost_usd\":2147.483647    | 2147483647",
        "\"cost_usd\":2147.4836474   | 2147483647"})
    void costsBecomeMicroDollarsRoundedHalfUp(String fields, int micros) {
        assertThat(row(fields).costMicros()).isEqualTo(micros);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "''",
        "\"usage\":{}",
        "\"usage\":{\"cached_tokens\":12}",
        "\"prompt_tokens\":null,\"completion_tokens\":null"})
    void anEventWithNoTokenCountAtAllIsRejectedNeverLoadedAsZeros(String fields) {
        String line = "{\"msg\":\"token_usage\",\"time\":1762682400123,\"provider\":\"openai\",\"model\":\"gpt-4o\""
                + (fields.isEmpty() ? "" : "," + fields) + "}";

        assertThat(rejection(line)).startsWith("no token counts: no member is named like a prompt, completion or total"
                + " count").contains("keys seen: msg, time=1762682400123, provider, model");
    }

    @Test
    void aMissingCostIsNull() {
        assertThat(row("\"prompt_tokens\":1").costMicros()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "\"user_id\":\"not-a-uuid\"                       | user_id is \"not-a-uuid\", not a UUID",
        "\"session_id\":\"1-2-3-4-5\"                     | session_id is \"1-2-3-4-5\", not a UUID",
        "\"prompt_tokens\":-5                             | prompt_tokens is -5",
        "\"prompt_tokens\":\"12x\"                        | prompt_tokens is \"12x\", not a token count",
        "\"completion_tokens\":2147483648                 | completion_tokens is 2147483648",
        "\"prompt_tokens\":2147483647,\"completion_tokens\":1 | total_tokens adds up to 2147483648",
        "\"prompt_tokens\":1.5                            | prompt_tokens is 1.5",
        "\"cost_usd\":2147.4836475                        | beyond what cost_usd",
        "\"cost_usd\":-0.01                               | a cost cannot be negative"})
    void invalidValuesRejectTheEventWithAReasonNamingTheField(String fields, String reason) {
        String line = "{\"msg\":\"token_usage\",\"time\":1762682400123,\"provider\":\"openai\",\"model\":\"gpt-4o\","
                + withCounts(fields) + "}";
        assertThat(rejection(line)).contains(reason);
    }

    /** A target whose count columns are wider than INT (BIGINT prompt and total here) takes what they hold. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "\"prompt_tokens\":3000000000,\"completion_tokens\":5     | 3000000000 | 5 | 3000000005",
        "\"prompt_tokens\":\"9223372036854775806\"                | 9223372036854775806 | 0 | 9223372036854775806",
        "\"input_tokens\":3000000000,\"cache_read_input_tokens\":4000000000 | 7000000000 | 0 | 7000000000"})
    void countsBeyondIntLoadWhereTheTargetsColumnsHoldThem(String fields, long prompt, long completion, long total) {
        EventNormalizer wide = new EventNormalizer(ProviderCatalog.builtIn(), FieldCatalog.builtIn(),
                java.time.ZoneOffset.UTC, new CountLimits(CountLimits.BIGINT, CountLimits.INT, CountLimits.BIGINT));
        TokenUsage row = wide.normalize(recognizer.recognize("{\"msg\":\"token_usage\",\"time\":1762682400123,"
                + "\"provider\":\"openai\",\"model\":\"gpt-4o\"," + fields + "}")).row();

        assertThat(row.promptTokens()).isEqualTo(prompt);
        assertThat(row.completionTokens()).isEqualTo(completion);
        assertThat(row.totalTokens()).isEqualTo(total);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "\"completion_tokens\":2147483648 | completion_tokens is 2147483648; token counts must be whole numbers from 0 to 2147483647",
        "\"prompt_tokens\":9223372036854775808 | prompt_tokens is 9223372036854775808; token counts must be whole numbers from 0 to 9223372036854775807",
        "\"prompt_tokens\":9223372036854775807,\"completion_tokens\":1 | total_tokens adds up to more than 9223372036854775807, beyond the table's BIGINT limit of 9223372036854775807"})
    void aTargetsWiderColumnsStillBoundTheirCounts(String fields, String reason) {
        EventNormalizer wide = new EventNormalizer(ProviderCatalog.builtIn(), FieldCatalog.builtIn(),
                java.time.ZoneOffset.UTC, new CountLimits(CountLimits.BIGINT, CountLimits.INT, CountLimits.BIGINT));
        String line = "{\"msg\":\"token_usage\",\"time\":1762682400123,\"provider\":\"openai\",\"model\":\"gpt-4o\","
                + fields + "}";
        assertThatThrownBy(() -> wide.normalize(recognizer.recognize(line))).isInstanceOf(RejectedLineException.class)
                .hasMessage(reason);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"msg\":\"token_usage\",\"time\":1,\"model\":\"x-unknown\"}                 | model \"x-unknown\" matches no known prefix",
        "{\"msg\":\"token_usage\",\"time\":1762682400123,\"provider\":\"openai\",\"prompt_tokens\":1}     | model is missing",
        "{\"msg\":\"token_usage\",\"time\":1762682400123,\"provider\":\"openai\"}     | holds neither a model nor a token count; keys seen: msg, time=1762682400123, provider",
        "{\"msg\":\"token_usage\",\"time\":1,\"args\":[\"x\",{\"model\":\"m\",\"prompt_tokens\":3}]} | keys seen: msg, time=1, args[1].model, args[1].prompttokens=3",
        "{\"msg\":\"token_usage\",\"time\":1762682400123,\"provider\":\"\",\"model\":\"m\"} | provider is \"\"",
        "{\"msg\":\"token_usage\",\"provider\":\"openai\",\"model\":\"gpt-4o\",\"prompt_tokens\":1} | the event has no timestamp",
        "{\"msg\":\"token_usage\",\"time\":\"yesterday\",\"provider\":\"p\",\"model\":\"m\",\"prompt_tokens\":1} | time is \"yesterday\", not a timestamp",
        "{\"msg\":\"token_usage\",\"time\":1762682400123,\"provider\":\"p\",\"model\":\"a\\u0000b\"} | NUL character"})
    void missingOrUnusableFieldsRejectTheEvent(String line, String reason) {
        assertThat(rejection(line)).contains(reason);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "\"time\":1762682400123                  | 2025-11-09T10:00:00.123Z",
        "\"timestamp\":\"2025-11-09T12:00:00.5+02:00\" | 2025-11-09T10:00:00.500Z",
        "\"ts\":1762682400.25                    | 2025-11-09T10:00:00.250Z",
        "\"@timestamp\":\"2025-11-09 10:00:00\"  | 2025-11-09T10:00:00Z",
        "\"timestamp\":1762682400123             | 2025-11-09T10:00:00.123Z"})
    void timestampsBecomeUtcInstants(String field, String expected) {
        String line = "{\"msg\":\"token_usage\"," + field + ",\"provider\":\"p\",\"model\":\"m\",\"prompt_tokens\":1}";

        assertThat(normalizer.normalize(recognizer.recognize(line)).row().createdAt())
                .isEqualTo(Instant.parse(expected));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"gpt-4o-mini,openai", "o3-mini,openai", "claude-3-5-sonnet,anthropic", "gemini-1.5-pro,google",
        "mixtral-8x7b,mistral", "llama-3.1-70b,meta", "command-r-plus,cohere", "deepseek-chat,deepseek",
        "grok-2,xai", "text-embedding-3-small,openai", "openai/gpt-4o,openai"})
    void aMissingProviderIsInferredFromTheModel(String model, String provider) {
        String line = "{\"msg\":\"token_usage\",\"time\":1762682400123,\"model\":\"" + model + "\",\"prompt_tokens\":1}";

        EventNormalizer.Normalized normalized = normalizer.normalize(recognizer.recognize(line));

        assertThat(normalized.row().provider()).isEqualTo(provider);
        assertThat(normalized.providerInferred()).isTrue();
    }

    @Test
    void aModelNameLongerThanTheIndexCanHoldIsRejectedWhileOneAtTheLimitIsKept() {
        String atLimit = "m".repeat(EventNormalizer.MAX_TEXT_LENGTH);

        assertThat(row("\"model\":\"" + atLimit + "\",\"prompt_tokens\":1").model()).isEqualTo(atLimit);
        assertThat(rejection("{\"msg\":\"token_usage\",\"time\":1762682400123,\"provider\":\"p\",\"model\":\""
                + atLimit + "x\"}")).isEqualTo("model is 513 characters long; at most 512 fit the table's index on it");
    }

    @Test
    void theUserIdMayBeNestedInAUserObjectAndOtherIdsAreNotSessions() {
        TokenUsage row = row("\"prompt_tokens\":1,\"user\":{\"id\":\"3F0E1B2C-0000-4000-8000-000000000001\"},\"chatId\":"
                + "\"9b1c0000-0000-4000-8000-000000000002\"");

        assertThat(row.userId()).hasToString("3f0e1b2c-0000-4000-8000-000000000001");
        assertThat(row.sessionId()).isNull();
    }

    @Test
    void theSameEventTextAlwaysGetsTheSameIdAndDifferentTextADifferentOne() {
        assertThat(EventId.of("a")).isEqualTo(EventId.of("a")).isNotEqualTo(EventId.of("b"));
        assertThat(EventId.of("a").version()).isEqualTo(5);
    }
}
