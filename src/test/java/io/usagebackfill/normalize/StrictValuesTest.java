package io.usagebackfill.normalize;

import io.usagebackfill.catalog.EventTime;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Values are read as logged or rejected, never moved, widened or counted differently from how users count them. */
class StrictValuesTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"2025-02-30T10:00:00Z", "2025-04-31T10:00:00Z", "2025-11-09T24:00:00Z",
        "2025-11-09T24:00", "2025-02-29T00:00:00+01:00", "2025-13-01T00:00:00Z", "2025-11-09T10:60:00Z",
        "2025-11-09 24:00:00.000"})
    void impossibleDatesAndTimesAreRejectedNotMoved(String time) {
        assertThat(EventTime.parseText(time)).isNull();
        assertThat(rejection(event("\"time\":\"" + time + "\""))).contains("not a timestamp");
    }

    @Test
    void possibleEdgesOfTheCalendarStillRead() {
        assertThat(EventTime.parseText("2024-02-29T23:59:59.999999Z")).isEqualTo(
                Instant.parse("2024-02-29T23:59:59.999999Z"));
        assertThat(EventTime.parseText("2025-04-30 00:00:00")).isEqualTo(Instant.parse("2025-04-30T00:00:00Z"));
    }

    @Test
    void anImpossiblePrefixTimeIsNotTheEventsTime() {
        String reason = rejection("2025-02-30T10:00:00Z INFO token_usage {\"provider\":\"openai\","
                + "\"model\":\"gpt-4o\",\"prompt_tokens\":1}");

        assertThat(reason).contains("no timestamp");
    }

    @Test
    void aPrefixOrWrapperTimeOutsideTheCenturyIsRejectedLikeThePayloadsTime() {
        String reason = rejection("0225-11-11T14:04:00.004+02:00 INFO [usage] token_usage {\"provider\":\"openai\","
                + "\"model\":\"gpt-4o\",\"prompt_tokens\":1}");

        assertThat(reason).isEqualTo("the line's time is 0225-11-11T12:04:00.004Z, outside 2000-2099");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"３f0e8a4c-1b2d-4e5f-8a9b-0c1d2e3f4a5b", "3f0e8a4c-1b2d-4e5f-8a9b-0c1d2e3f4a５b",
        "3f0e8a4c-1b2d-4e5f-8a9b-0c1d2e3f4aＢb", "3f0e8a4c-1b2d-4e5f-8a9b-0c1d2e3f4a٥b",
        "3f0e8a4c-1b2d-4e5f-8a9b-0c1d2e3f4a\u0665b", "3f0e8a4c-1b2d-4e5f-8a9b-0c1d2e3f4a5g"})
    void nonAsciiDigitsAreNotAUuid(String id) {
        assertThat(Uuids.isCanonical(id)).isFalse();
        assertThat(rejection(event("\"user_id\":\"" + id + "\""))).contains("not a UUID");
    }

    @Test
    void aCanonicalUuidInEitherCaseIsRead() {
        assertThat(Uuids.isCanonical("3F0E8A4C-1B2D-4E5F-8A9B-0C1D2E3F4A5B")).isTrue();
        assertThat(row(event("\"user_id\":\"3f0e8a4c-1b2d-4e5f-8a9b-0c1d2e3f4a5b\"")).userId())
                .hasToString("3f0e8a4c-1b2d-4e5f-8a9b-0c1d2e3f4a5b");
    }

    @Test
    void lengthsAreCountedInCharactersAsUsersCountThem() {
        String model512 = "🙂".repeat(EventNormalizer.MAX_TEXT_LENGTH);
        String model513 = model512 + "x";

        assertThat(row(withModel("🙂".repeat(300))).model()).hasSize(600);
        assertThat(row(withModel(model512)).model()).isEqualTo(model512);
        assertThat(rejection(withModel(model513))).startsWith("model is 513 characters long");
    }

    /**
     * JavaScript's JSON.stringify writes half of a character as a lone escape when a string was cut inside an emoji;
     * UTF-8 has no bytes for it, so storing it would put a '?' where the logged value had something else.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "\"model\":\"gpt-4o\\ud800\"                      | model    | \\ud800",
        "\"model\":\"\\udc00gpt-4o\"                      | model    | \\udc00",
        "\"model\":\"gpt-4o\\ude00\\ud83d\"             | model    | \\ude00",
        "\"modelId\":\"anthropic.claude\\uDBFF-v1\"       | modelId  | \\udbff",
        "\"provider\":\"openai\\ud83d\",\"model\":\"m\" | provider | \\ud83d"})
    void aLoneSurrogateInATextColumnIsRejectedNamingTheFieldNeverStoredAsAQuestionMark(String fields, String field,
            String escape) {
        String line = "{\"msg\":\"token_usage\",\"time\":1762682400123,\"prompt_tokens\":1,"
                + (fields.contains("\"provider\"") ? "" : "\"provider\":\"openai\",") + fields + "}";

        assertThat(rejection(line)).isEqualTo(field + " holds a lone UTF-16 surrogate (" + escape + "), half of a"
                + " character such as an emoji, which PostgreSQL text cannot store; log whole characters");
    }

    /** A text prefix before the JSON, and logfmt pairs in a JSON logger's message, decoded from its escapes. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "2025-11-09T10:00:00Z INFO token_usage {\"provider\":\"openai\",\"model\":\"gpt-4o\\ud800\",\"prompt_tokens\":1}",
        "{\"time\":1762682400123,\"msg\":\"token_usage provider=openai model=gpt-4o\\ud800 prompt_tokens=1\"}",
        "{\"time\":1762682400123,\"msg\":\"token_usage provider=openai model=\\\"gpt 4o\\ud800\\\" prompt_tokens=1\"}"})
    void aLoneSurrogateIsRejectedInEveryShapeThatCanSpellOne(String line) {
        assertThat(rejection(line)).startsWith("model holds a lone UTF-16 surrogate (\\ud800)");
    }

    @Test
    void aWholeSurrogatePairIsTheCharacterItEscapes() {
        String model = row(withModel("gpt-4o\\ud83d\\ude00")).model();

        assertThat(model).isEqualTo("gpt-4o" + new String(Character.toChars(0x1F600)));
        assertThat(model.getBytes(java.nio.charset.StandardCharsets.UTF_8)).endsWith(0xF0, 0x9F, 0x98, 0x80);
    }

    @Test
    void aJsonEscapedEventNameIsTheEventName() {
        assertThat(row("{\"msg\":\"token\\u005fusage\",\"time\":1762682400123,\"provider\":\"openai\","
                + "\"model\":\"gpt-4o\",\"prompt_tokens\":1}").promptTokens()).isEqualTo(1);
    }

    @Test
    void aDockerLineWithItsKeysInAnotherOrderIsStillDockers() {
        String inner = "{\\\"msg\\\":\\\"token_usage\\\",\\\"provider\\\":\\\"openai\\\",\\\"model\\\":\\\"gpt-4o\\\","
                + "\\\"prompt_tokens\\\":7}\\n";
        TokenUsage row = row("{\"stream\":\"stdout\",\"time\":\"2025-11-09T10:00:00.123456789Z\",\"log\":\"" + inner
                + "\"}");

        assertThat(row.promptTokens()).isEqualTo(7);
        assertThat(row.createdAt()).isEqualTo(Instant.parse("2025-11-09T10:00:00.123457Z"));
    }

    @Test
    void anAppsOwnJsonWithLogAndStreamFieldsIsNotTakenForDockers() {
        TokenUsage row = row("{\"msg\":\"token_usage\",\"time\":1762682400123,\"provider\":\"openai\","
                + "\"model\":\"gpt-4o\",\"prompt_tokens\":3,\"stream\":true,\"log\":\"x\"}");

        assertThat(row.promptTokens()).isEqualTo(3);
    }

    private static String event(String field) {
        return "{\"msg\":\"token_usage\",\"provider\":\"openai\",\"model\":\"gpt-4o\",\"prompt_tokens\":1,"
                + (field.startsWith("\"time\"") ? "" : "\"time\":1762682400123,") + field + "}";
    }

    private static String withModel(String model) {
        return "{\"msg\":\"token_usage\",\"time\":1762682400123,\"provider\":\"openai\",\"model\":\"" + model
                + "\",\"prompt_tokens\":1}";
    }

    private static TokenUsage row(String line) {
        return OneLine.row(line);
    }

    private static String rejection(String line) {
        return OneLine.rejection(line);
    }
}
