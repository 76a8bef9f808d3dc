package io.usagebackfill.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import io.usagebackfill.parse.EventRecognizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A key=value key that holds a character no key name has (a NUL, a tab, a zero-width space) is no field the
 * catalog can find: the count logged under it would load as 0. Such an event is rejected, naming the key.
 */
class UnreadableKeysTest {

    private static final String PREFIX = "time=2025-11-09T10:00:00Z msg=token_usage provider=openai model=gpt-4o"
            + " prompt_tokens=1200 ";

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "completio\\0n_tokens=14670  | completio\\u0000n_tokens  | a control character",
        "completion_tokens\\0=14670  | completion_tokens\\u0000  | a control character",
        "\\tcompletion_tokens=14670  | \\u0009completion_tokens  | a control character",
        "complet\\u007fion_tokens=1  | complet\\u007fion_tokens  | a control character",
        "complet\\u200Bion_tokens=14 | complet\\u200bion_tokens  | an invisible character"})
    void aLogfmtKeyWithAControlOrInvisibleCharacterRejectsTheEventNamingTheKeyEscaped(String pair, String key,
            String what) {
        String line = PREFIX + unescape(pair);

        assertThat(OneLine.rejection(line)).isEqualTo("the logfmt key \"" + key + "\" holds " + what
                + ", so what is logged under it cannot be read as any field (a count there would load as 0);"
                + " write the key without it");
    }

    @Test
    void theSameKeyAfterATextPrefixOrInAJsonLoggersMessageIsRejectedToo() {
        String afterPrefix = "2025-11-09T10:00:00Z INFO token_usage model=gpt-4o prompt_tokens=1200"
                + " completio\0n_tokens=14670";
        String inMessage = "{\"time\":1762682400123,\"msg\":\"token_usage model=gpt-4o prompt_tokens=1200"
                + " completio\\u0000n_tokens=14670\"}";

        assertThat(OneLine.rejection(afterPrefix)).startsWith("the logfmt key \"completio\\u0000n_tokens\" holds");
        assertThat(OneLine.rejection(inMessage)).startsWith("the logfmt key \"completio\\u0000n_tokens\" holds");
    }

    @Test
    void aLineThatIsNoEventIsNotRejectedForItsKeys() {
        assertThat(new EventRecognizer().recognize("level=error msg=\"insert into token_usage failed\""
                + " ke\0y=1")).isNull();
    }

    @Test
    void aControlCharacterOutsideAnyKeyLeavesTheCountsAsLogged() {
        TokenUsage row = OneLine.row(PREFIX + "\0 completion_tokens=14670");

        assertThat(row.promptTokens()).isEqualTo(1200);
        assertThat(row.completionTokens()).isEqualTo(14670);
    }

    /** The test's own escapes: a CSV cell cannot hold a NUL or a tab. */
    private static String unescape(String text) {
        return text.replace("\\0", "\0").replace("\\t", "\t").replace("\\u007f", "\u007f")
                .replace("\\u200B", "\u200B");
    }
}
