package io.usagebackfill.normalize;

import io.usagebackfill.catalog.RejectedLineException;
import io.usagebackfill.catalog.Numbers;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Numbers built to make BigDecimal arithmetic take minutes or overflow its scale are each one rejected line with a
 * short reason, whichever field and shape they come in.
 */
class HostileNumbersTest {

    private static final String EVENT = "{\"msg\":\"token_usage\",\"time\":1762682400123,\"provider\":\"openai\","
            + "\"model\":\"gpt-4o\",\"output_tokens\":1,";

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "\"prompt_tokens\":\"1e2147483647\"", "\"prompt_tokens\":\"1e-2147483647\"", "\"prompt_tokens\":1e999999999",
        "\"prompt_tokens\":1e-999999999", "\"prompt_tokens\":\"1E+2147483647\"", "\"completion_tokens\":9e99",
        "\"total_tokens\":1e65", "\"cost_usd\":\"1e-2147483647\"", "\"cost_usd\":1e999999999", "\"cost_usd\":1e-99",
        "\"cost_micros\":1e999999999", "\"cost_micros\":\"1e2147483647\"", "\"costMicros\":-1e999999999",
        "\"cost_micros\":1e9996824001", "\"prompt_tokens\":1E-99999999999",
        "\"usage\":{\"input_tokens\":1e999999999}", "\"prompt_tokens\":1,\"time\":1e999999999",
        "\"prompt_tokens\":1,\"time\":\"1e2147483647\"", "\"prompt_tokens\":1,\"time\":-1e-999999999",
        "\"prompt_tokens\":1234567890123456789012345678901234567890123456789012345678901234567890"})
    void aHugeExponentOrDigitCountInAnyNumericFieldIsOneShortRejection(String field) {
        String reason = rejection(EVENT + field + "}");

        assertThat(reason).hasSizeLessThan(300).doesNotStartWith("no token counts").doesNotContain("000000000000000000000000000000000000000000000000");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "time=2025-11-09T10:00:00Z msg=token_usage provider=openai model=gpt-4o prompt_tokens=1e2147483647",
        "time=2025-11-09T10:00:00Z msg=token_usage provider=openai model=gpt-4o cost_usd=1e-2147483647",
        "time=1e999999999 msg=token_usage provider=openai model=gpt-4o prompt_tokens=1"})
    void logfmtValuesAreBoundedTheSameWay(String line) {
        assertThat(rejection(line)).hasSizeLessThan(300);
    }

    @Test
    void aNumberLongerThanTheParserAllowsIsARejectionNamingTheLimit() {
        String reason = rejection(EVENT + "\"prompt_tokens\":1" + "0".repeat(5_000) + "}");

        assertThat(reason).startsWith("the JSON payload cannot be parsed").contains("100");
    }

    @Test
    void zeroWithAnyExponentIsZero() {
        assertThat(Numbers.parseDecimal("0e-2147483647")).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(row("\"prompt_tokens\":0e999999999").promptTokens()).isZero();
    }

    @Test
    void ordinaryNumbersStayExact() {
        TokenUsage row = OneLine.row("{\"msg\":\"token_usage\",\"time\":1762682400123,\"model\":\"gpt-4o\","
                + "\"prompt_tokens\":1.2e3,\"completion_tokens\":\"5E+1\",\"cost_usd\":1.2345678901234567E-5}");
        TokenUsage timed = OneLine.row(
                "{\"msg\":\"token_usage\",\"timestamp\":1762761602.437512,\"model\":\"gpt-4o\",\"prompt_tokens\":1}");

        assertThat(row.promptTokens()).isEqualTo(1200);
        assertThat(row.completionTokens()).isEqualTo(50);
        assertThat(row.costMicros()).isEqualTo(12);
        assertThat(timed.createdAt()).hasToString("2025-11-10T08:00:02.437512Z");
    }

    @Test
    void boundsAreDecidedOnDigitsAndExponentAlone() {
        assertThat(Numbers.isBounded(new BigDecimal("1e64"))).isTrue();
        assertThat(Numbers.isBounded(new BigDecimal("1e65"))).isFalse();
        assertThat(Numbers.isBounded(new BigDecimal("1e-64"))).isTrue();
        assertThat(Numbers.isBounded(new BigDecimal("1e-65"))).isFalse();
        assertThat(Numbers.isBounded(new BigDecimal("9".repeat(65)))).isFalse();
        assertThat(Numbers.isBounded(new BigDecimal("1e-2147483647"))).isFalse();
    }

    @Test
    void everyRejectReasonIsCappedWhateverItQuotes() {
        assertThat(new RejectedLineException("x".repeat(10_000)).reason()).hasSize(500).endsWith("...");
        assertThat(new RejectedLineException("\uD83D\uDE00".repeat(400)).reason())
                .hasSizeLessThanOrEqualTo(500).doesNotEndWith("\uD83D...");
        assertThat(new RejectedLineException("short").reason()).isEqualTo("short");
    }

    private static TokenUsage row(String fields) {
        return OneLine.row(EVENT + fields + "}");
    }

    private static String rejection(String line) {
        return OneLine.rejection(line);
    }
}
