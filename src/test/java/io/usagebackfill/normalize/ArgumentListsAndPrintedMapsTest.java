package io.usagebackfill.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Lines written by 23 loggers no issue named (consola, tslog, diary, logstash-logback-encoder, Log4j's and logback's
 * patterns, loguru, Ruby's Logger, winston's splat, Python's logging as logfmt, java.util.logging's XML), each through
 * its library's own API: events counted as lines that only mention the word, or rejected with their data on the line,
 * until argument lists, maps as languages print them and records printed over several lines were read by rule.
 */
class ArgumentListsAndPrintedMapsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '¦', quoteCharacter = '`', textBlock = """
        tslog's JSON: arguments as numbered members, the time in its _meta              ¦ {"0":"token_usage","1":{"provider":"google","model":"gemini-2.0-flash","usageMetadata":{"promptTokenCount":1201,"candidatesTokenCount":301,"totalTokenCount":1502}},"_meta":{"runtime":"node","name":"llm","date":"2026-12-07T22:42:05.636Z","logLevelName":"INFO"}} ¦ google,gemini-2.0-flash,1201,301,1502,,2026-12-07T22:42:05.636Z
        tslog's JSON: the data in the first argument's text                               ¦ {"0":"token_usage {\\"model\\":\\"mistral-small-latest\\",\\"prompt_tokens\\":1203,\\"completion_tokens\\":303}","_meta":{"runtime":"node","date":"2026-12-07T22:42:05.636Z","logLevelName":"INFO"}} ¦ mistral,mistral-small-latest,1203,303,1506,,2026-12-07T22:42:05.636Z
        diary's JSON: a printf placeholder after the name                                 ¦ {"time":"2026-12-07T22:42:54.972Z","name":"llm","level":"info","messages":["token_usage %o",{"provider":"mistral","model":"codestral-2501","input_tokens":1702,"output_tokens":802,"cost_usd":0.000751}]} ¦ mistral,codestral-2501,1702,802,2504,751,2026-12-07T22:42:54.972Z
        loguru's extra: a bar, then a Python dict                                         ¦ 2026-12-07 22:46:24.155 | INFO     | __main__:<module>:16 - token_usage | {'provider': 'openai', 'model': 'gpt-4o-mini', 'prompt_tokens': 3101, 'completion_tokens': 1401, 'total_tokens': 4502, 'cost_usd': 0.001305} ¦ openai,gpt-4o-mini,3101,1401,4502,1305,2026-12-07T22:46:24.155Z
        loguru's extra after pairs that say the same                                      ¦ 2026-12-07 22:46:24.158 | INFO     | __main__:<module>:22 - token_usage model=claude-3-5-sonnet-20241022 input_tokens=3102 output_tokens=1402 | {'model': 'claude-3-5-sonnet-20241022', 'input_tokens': 3102, 'output_tokens': 1402} ¦ anthropic,claude-3-5-sonnet-20241022,3102,1402,4504,,2026-12-07T22:46:24.158Z
        Ruby's Logger given a Hash: its inspect                                           ¦ I, [2026-12-07T22:46:44.922604 #19873]  INFO -- llm: {:event=>"token_usage", :provider=>"openai", :model=>"gpt-4o-mini", :prompt_tokens=>4101, :completion_tokens=>1801, :total_tokens=>5902, :cost_usd=>0.001696} ¦ openai,gpt-4o-mini,4101,1801,5902,1696,2026-12-07T22:46:44.922604Z
        winston's splat: the metadata object after the pairs holds the time               ¦ info: token_usage model=gpt-4o prompt_tokens=1302 completion_tokens=402 total_tokens=1704 {"timestamp":"2026-12-07T22:42:17.973Z"} ¦ openai,gpt-4o,1302,402,1704,,2026-12-07T22:42:17.973Z
        Python's logging as logfmt: asctime unquoted                                      ¦ time=2026-12-07 22:46:37,125 level=INFO logger=llm.usage msg="token_usage model=gpt-4o-mini prompt_tokens=3401 completion_tokens=1701 total_tokens=5102" ¦ openai,gpt-4o-mini,3401,1701,5102,,2026-12-07T22:46:37.125Z
        Log4j's pattern with %X: the MDC as Java's Map.toString                           ¦ 2026-12-07 22:45:01.050 INFO  [main] UsageLogger - token_usage {completion_tokens=901, model=gpt-4o-2024-08-06, prompt_tokens=2101, provider=openai, user_id=7d3c2a10-1b2c-4d5e-8f90-a1b2c3d4e5f6} ¦ openai,gpt-4o-2024-08-06,2101,901,3002,,2026-12-07T22:45:01.050Z
        Erlang's logger: a map after the name                                             ¦ 2026-12-07T22:45:14.056Z info: token_usage #{model => <<"gpt-4o">>, prompt_tokens => 12, completion_tokens => 3} ¦ openai,gpt-4o,12,3,15,,2026-12-07T22:45:14.056Z
        logback's pattern with StructuredArguments.entries                                ¦ 2026-12-07 22:45:14,056 INFO  [main] com.acme.llm.UsageRecorder - token_usage {model=claude-3-opus-20240229, input_tokens=2202, output_tokens=1002, session_id=0f1e2d3c-4b5a-4968-8776-655443322110} ¦ anthropic,claude-3-opus-20240229,2202,1002,3204,,2026-12-07T22:45:14.056Z
        """)
    void aLineOfALoggerNoIssueNamedBecomesTheRowItDescribes(String producer, String line, String expected) {
        TokenUsage row = OneLine.row(line);

        assertThat(String.join(",", row.provider(), row.model(), String.valueOf(row.promptTokens()),
                String.valueOf(row.completionTokens()), String.valueOf(row.totalTokens()),
                row.costMicros() == null ? "" : row.costMicros().toString(), row.createdAt().toString()))
                .isEqualTo(expected);
    }

    /**
     * logstash-logback-encoder's message rendered from StructuredArguments, the call's data beside it, reads as an
     * info line about the event would: not loaded as a guess, rejected with the way to load it.
     */
    @org.junit.jupiter.api.Test
    void aMessageInProseBesideTheCallsDataIsRejectedSayingHowToLoadIt() {
        String line = "{\"@timestamp\":\"2026-12-07T22:45:13.304837223Z\",\"message\":\"token_usage for"
                + " mistral-large-2411 : 2204 in / 1004 out\",\"level\":\"INFO\",\"model\":\"mistral-large-2411\","
                + "\"prompt_tokens\":2204,\"completion_tokens\":1004}";

        assertThat(OneLine.rejection(line)).contains("goes on in prose").contains("feed that back");
    }

    /** No map prints a key twice: a value cut at a comma inside it would otherwise give a count silently. */
    @org.junit.jupiter.api.Test
    void aMapWithAKeyTwiceIsNoMapAndIsRejected() {
        assertThat(OneLine.rejection("2026-01-05T10:00:00.123Z info: token_usage {model=gpt-4o, prompt_tokens=12,"
                + " completion_tokens=3, prompt=hi, completion_tokens=999}")).isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '¦', quoteCharacter = '`', textBlock = """
        winston's prettyPrint: one member line of the record                      ¦ `  message: 'token_usage',`                                  ¦ the line holds the event's name and nothing else, so its data is not on this line
        pino-pretty: the data on the lines after                                  ¦ [2026-12-07 22:42:25.567 +0000] INFO (llm-gateway): token_usage  ¦ the line ends at token_usage, so its data is not on this line
        consola's and winston's printed objects: an object opened, not closed     ¦ info: token_usage {                                                ¦ the object after token_usage does not close on this line
        java.util.logging's XMLFormatter: the message element, its time elsewhere ¦ `  <message>token_usage model=gpt-4.1-mini prompt_tokens=2501 completion_tokens=1301</message>` ¦ the event has no timestamp
        """)
    void aRecordPrintedOverSeveralLinesIsRejectedSayingWhatIsMissingFromTheLine(String producer, String line, String reason) {
        assertThat(OneLine.rejection(line)).contains(reason).doesNotContain("neither a model nor a token count");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '¦', quoteCharacter = '`', textBlock = """
        prose after the name, no model beside it     ¦ {"time":"2026-12-07T22:42:54.972Z","msg":"token_usage insert failed","error":"deadlock detected"}
        an object after prose that mentions the word ¦ error: failed to write token_usage row {"code":"ECONNRESET","timestamp":"2026-12-07T22:42:17.973Z"}
        tslog's first argument in prose              ¦ {"0":"token_usage table is missing; run the migration","_meta":{"date":"2026-12-07T22:42:05.636Z"}}
        tslog's error whose arguments name the event ¦ {"0":"token_usage","1":{"model":"gpt-4o","prompt_tokens":12,"completion_tokens":3},"_meta":{"logLevelId":5,"logLevelName":"ERROR","date":"2026-01-05T10:00:00.000Z"}}
        an error about the event, its data beside it ¦ {"level":"ERROR","message":"token_usage write failed: deadlock","model":"gpt-4o","prompt_tokens":12,"completion_tokens":3,"@timestamp":"2026-12-07T22:45:13Z"}
        pino's warning about the event               ¦ {"level":40,"time":1796683367262,"msg":"token_usage for gpt-4o not billed","model":"gpt-4o","prompt_tokens":12}
        an error whose message goes on after a colon ¦ {"level":50,"time":1767607200100,"msg":"token_usage: insert failed: relation \\"token_usage\\" does not exist","model":"gpt-4o","prompt_tokens":12,"completion_tokens":3}
        prose with a model but no count              ¦ {"level":30,"time":1767607200100,"msg":"token_usage backfill started","model":"gpt-4o","batch":500}
        a list in a record that names the word       ¦ {"level":30,"time":1767607200123,"msg":"cache hit","keys":["token_usage"],"model":"gpt-4o","prompt_tokens":12,"completion_tokens":3}
        a query's parameters                          ¦ {"level":"info","time":"2026-01-05T10:00:00Z","msg":"Query","sql":"select 1 from t where n = $1","args":["token_usage"],"model":"gpt-4o","prompt_tokens":12,"completion_tokens":3}
        numbered members nested in a record          ¦ {"time":"2026-01-05T10:00:00Z","msg":"tables","tables":{"0":"token_usage","1":"users"},"model":"gpt-4o","prompt_tokens":12}
        a Java map after prose                        ¦ 2026-01-05 10:00:00,123 ERROR [main] c.e.UsageRepo - failed to save token_usage {model=gpt-4o, prompt_tokens=12, completion_tokens=3}
        """)
    void aLineAboutTheTableStaysALineThatOnlyMentionsIt(String what, String line) {
        assertThat(OneLine.recognizes(line)).isFalse();
    }
}
