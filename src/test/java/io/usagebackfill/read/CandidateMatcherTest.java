package io.usagebackfill.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CandidateMatcherTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{\"msg\":\"token_usage\"}", "TOKEN_USAGE", "{\"msg\":\"token\\u005fusage\"}",
        "{\"msg\":\"token\\u005Fusage\"}", "{\"msg\":\"\\u0074oken_usag\\u0065\"}", "{\"msg\":\"TOKEN\\u005FUSAGE\"}",
        "{\"log\":\"{\\\"msg\\\":\\\"token\\\\u005fusage\\\"}\\n\"}", "x token_usage"})
    void theEventNameIsFoundInAnyLetterCaseAndWithJsonEscapedLetters(String line) {
        assertThat(contains(line)).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"", "token", "token usage", "token\\u005gusage", "token\\u00", "token\\x5fusage",
        "token\\u015fusage", "tokenusage", "token_usag"})
    void otherTextIsNoise(String line) {
        assertThat(contains(line)).isFalse();
    }

    private static boolean contains(String line) {
        byte[] bytes = ("noise " + line).getBytes(StandardCharsets.UTF_8);
        return CandidateMatcher.contains(bytes, 6, bytes.length);
    }
}
