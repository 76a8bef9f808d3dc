package io.usagebackfill.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A time finer than PostgreSQL's microsecond is rounded half up to it, whatever wrote it, as docs/how-it-works.md says; the
 * row ids that a container wrapper's time is part of stay those made when such times were cut.
 */
class MicrosecondRoundingTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {
        "\"2025-11-09T10:00:00.999999999Z\"     | 2025-11-09T10:00:01Z",
        "\"2025-11-09T10:00:00.9999995Z\"       | 2025-11-09T10:00:01Z",
        "\"2025-11-09T10:00:00.9999994Z\"       | 2025-11-09T10:00:00.999999Z",
        "\"2025-11-09T10:00:00.1234565Z\"       | 2025-11-09T10:00:00.123457Z",
        "\"2025-11-09T10:00:00.123456499Z\"     | 2025-11-09T10:00:00.123456Z",
        "\"2025-11-09T11:59:59.9999999+02:00\"  | 2025-11-09T10:00:00Z",
        "\"2025-11-09 10:00:00,0000005\"        | 2025-11-09T10:00:00.000001Z",
        "1762682400.1234567                     | 2025-11-09T10:00:00.123457Z",
        "1762682400.1234565                     | 2025-11-09T10:00:00.123457Z",
        "1762682400.12345649999                 | 2025-11-09T10:00:00.123456Z",
        "\"1762682400.9999999\"                 | 2025-11-09T10:00:01Z",
        "1762682400123.4565                     | 2025-11-09T10:00:00.123457Z",
        "1762682400123456500                    | 2025-11-09T10:00:00.123457Z",
        "1762682400999999999                    | 2025-11-09T10:00:01Z"})
    void anEventsOwnTimeIsRoundedHalfUpToTheMicrosecond(String time, String stored) {
        assertThat(row("{\"msg\":\"token_usage\",\"time\":" + time + ",\"provider\":\"openai\",\"model\":\"gpt-4o\","
                + "\"prompt_tokens\":1}").createdAt()).isEqualTo(Instant.parse(stored));
    }

    @Test
    void aTextPrefixsTimeIsRoundedLikeThePayloads() {
        TokenUsage row = row("2025-11-09T10:00:00.9999996Z INFO token_usage {\"provider\":\"openai\","
                + "\"model\":\"gpt-4o\",\"prompt_tokens\":1}");

        assertThat(row.createdAt()).isEqualTo(Instant.parse("2025-11-09T10:00:01Z"));
    }

    /**
     * The wrapper's time (Docker's and CRI's have nine digits) is rounded for created_at, but the id is still that of
     * the text and the time cut to the microsecond, as ids were made before, so a log loaded again adds nothing.
     */
    @Test
    void aContainerWrappersTimeIsRoundedForCreatedAtWhileTheIdKeepsTheTimeCutAsBefore() {
        String app = "{\"msg\":\"token_usage\",\"provider\":\"openai\",\"model\":\"gpt-4o\",\"prompt_tokens\":7}";
        String docker = "{\"log\":\"" + app.replace("\"", "\\\"") + "\\n\",\"stream\":\"stdout\","
                + "\"time\":\"2025-11-09T10:00:00.999999999Z\"}";
        String cri = "2025-11-09T10:00:00.123456500Z stdout F " + app;

        TokenUsage fromDocker = row(docker);
        TokenUsage fromCri = row(cri);

        assertThat(fromDocker.createdAt()).isEqualTo(Instant.parse("2025-11-09T10:00:01Z"));
        assertThat(fromCri.createdAt()).isEqualTo(Instant.parse("2025-11-09T10:00:00.123457Z"));
        assertThat(fromDocker.id()).isEqualTo(oldId(app + "\u0000logged at 2025-11-09T10:00:00.999999Z"));
        assertThat(fromCri.id()).isEqualTo(oldId(app + "\u0000logged at 2025-11-09T10:00:00.123456Z"));
    }

    @Test
    void aTimeRoundedIntoTheNextCenturyIsOutsideTheRange() {
        assertThat(OneLine.rejection("{\"msg\":\"token_usage\",\"time\":\"2099-12-31T23:59:59.9999995Z\","
                + "\"provider\":\"openai\",\"model\":\"gpt-4o\",\"prompt_tokens\":1}"))
                .isEqualTo("time is 2100-01-01T00:00:00Z, outside 2000-2099");
    }

    @Test
    void aRowBuiltWithNanosecondsHoldsTheMicrosecondTheyRoundTo() {
        assertThat(rowAt(Instant.ofEpochSecond(1_762_682_400L, 2_500)).createdAt())
                .isEqualTo(Instant.ofEpochSecond(1_762_682_400L, 3_000));
        assertThat(rowAt(Instant.ofEpochSecond(1_762_682_400L, 999_999_500)).createdAt())
                .isEqualTo(Instant.ofEpochSecond(1_762_682_401L));
        assertThat(rowAt(Instant.ofEpochSecond(-1L, 999_999_499)).createdAt())
                .isEqualTo(Instant.ofEpochSecond(-1L, 999_999_000));
    }

    /** The v5 UUID of the namespace and the text, computed here as RFC 4122 says, not by {@link EventId}. */
    private static UUID oldId(String text) {
        try {
            java.security.MessageDigest sha1 = java.security.MessageDigest.getInstance("SHA-1");
            UUID namespace = UUID.fromString("6b9e3a52-6f0c-4b8e-9a8e-2c1f0d7e5a41");
            sha1.update(java.nio.ByteBuffer.allocate(16).putLong(namespace.getMostSignificantBits())
                    .putLong(namespace.getLeastSignificantBits()).array());
            byte[] hash = sha1.digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
            hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
            java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(hash);
            return new UUID(bytes.getLong(), bytes.getLong());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static TokenUsage rowAt(Instant createdAt) {
        return new TokenUsage(UUID.randomUUID(), null, null, "openai", "gpt-4o", 1, 2, 3, null, createdAt);
    }

    private static TokenUsage row(String line) {
        return OneLine.row(line);
    }
}
