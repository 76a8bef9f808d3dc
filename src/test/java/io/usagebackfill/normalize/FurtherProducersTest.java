package io.usagebackfill.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import io.usagebackfill.parse.EventRecognizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Lines of loggers no issue named, found by a corpus made of them after reading by rule was built (npm's bristol,
 * Go's log15 and apex/log, Python's colorlog, logback's own JsonEncoder): each was counted as a line that only
 * mentions the word, or rejected, where it holds an event. Each becomes the row it describes.
 */
class FurtherProducersTest {

    private static final String ESC = "\u001B";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        bristol's commonInfoModel: a date, then pairs whose message names the event in quotes | 2026-12-07 20:22:43 message="token_usage" severity="info" file="/srv/app/usage.cjs" line="10" model="gemini-2.0-flash" provider="google" promptTokens="800" completionTokens="64" userId="3f0e1b2c-4d5e-4f60-8a7b-9c0d1e2f3a01" | google,gemini-2.0-flash,800,64,864,,3f0e1b2c-4d5e-4f60-8a7b-9c0d1e2f3a01,2026-12-07T20:22:43Z
        a prefix, then pairs with the model before the quoted name                          | 2026-12-07T20:22:43Z INFO model="gpt-4o" msg="token_usage" prompt_tokens=1 completion_tokens=2 | openai,gpt-4o,1,2,3,,,2026-12-07T20:22:43Z
        logback's JsonEncoder: SLF4J's key/value pairs as a list of one-member objects      | {"sequenceNumber":0,"timestamp":1796675052561,"nanoseconds":561589730,"level":"INFO","threadName":"main","loggerName":"app.Llm","context":{"name":"default","birthdate":1796675052000,"properties":{}},"mdc": {},"kvpList": [{"model":"gpt-4o-mini"},{"provider":"openai"},{"input_tokens":"120"},{"output_tokens":"30"},{"cost_usd":"3.6E-5"}],"message":"token_usage","throwable":null} | openai,gpt-4o-mini,120,30,150,36,,2026-12-07T20:24:12.561Z
        """)
    void aLineOfALoggerNoIssueNamedBecomesTheRowItDescribes(String producer, String line, String expected) {
        assertThat(describe(OneLine.row(line))).isEqualTo(expected);
    }

    /** log15's and apex/log's text formats colour every key; colorlog colours the whole record. */
    @Test
    void aTerminalsColourCodesAroundKeysOrTheWholeRecordAreNotPartOfWhatWasLogged() {
        String keys = "2026-12-07T20:22:43Z INFO token_usage " + ESC + "[32mmodel" + ESC + "[0m=gpt-4o " + ESC
                + "[32mprompt_tokens" + ESC + "[0m=10 " + ESC + "[32mcompletion_tokens" + ESC + "[0m=2";
        String record = ESC + "[32m{\"asctime\": \"2026-12-07T20:22:44Z\", \"message\": \"token_usage\", \"model\":"
                + " \"gpt-4o\", \"prompt_tokens\": 5, \"completion_tokens\": 1}" + ESC + "[0m";

        assertThat(describe(OneLine.row(keys))).isEqualTo("openai,gpt-4o,10,2,12,,,2026-12-07T20:22:43Z");
        assertThat(describe(OneLine.row(record))).isEqualTo("openai,gpt-4o,5,1,6,,,2026-12-07T20:22:44Z");
    }

    /** log15's terminal format writes a month and day but no year: an event without a time, said so, not ignored. */
    @Test
    void aColouredLineWithoutAFullTimeIsRejectedForItNotCountedAsAMention() {
        String log15 = ESC + "[32mINFO" + ESC + "[0m[12-07|20:25:41] token_usage " + ESC + "[32mmodel" + ESC
                + "[0m=gpt-4o-mini " + ESC + "[32minput_tokens" + ESC + "[0m=120 " + ESC + "[32moutput_tokens" + ESC
                + "[0m=30";

        assertThat(OneLine.rejection(log15)).contains("time");
    }

    /** Ids derive from the line as written: rows a version before this one loaded from a coloured line keep theirs. */
    @Test
    void aColouredLinesIdIsStillOfTheLineAsWritten() {
        String line = ESC + "[34m2026-12-07T20:22:43Z INFO" + ESC + "[0m token_usage {\"model\":\"gpt-4o\","
                + "\"prompt_tokens\":1}";

        assertThat(new EventRecognizer().recognize(line).identityText()).isEqualTo(line);
    }

    private static String describe(TokenUsage row) {
        return String.join(",", row.provider(), row.model(), String.valueOf(row.promptTokens()),
                String.valueOf(row.completionTokens()), String.valueOf(row.totalTokens()), text(row.costMicros()),
                text(row.userId()), row.createdAt().toString());
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }
}
