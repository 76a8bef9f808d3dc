package io.usagebackfill.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import io.usagebackfill.catalog.RejectedLineException;
import io.usagebackfill.parse.EventRecognizer;
import io.usagebackfill.parse.RecognizedEvent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Lines no catalog entry spells out, read by rule: names in normal form, dotted keys, count stems, a logged total
 * that must be accounted for, times in their split, nested and unit forms, lines inside lines. Each gives the row its
 * values mean, a reject saying what it could not read, or no event at all; never a row with 0 for what was not read.
 */
class ReadByRuleTest {

    private final EventRecognizer recognizer = new EventRecognizer();
    private final EventNormalizer normalizer = new EventNormalizer(ProviderCatalog.builtIn());

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        PascalCase struct fields (Go)           | {"level":"info","msg":"token_usage","time":"2026-12-07T10:00:00Z","model":"gpt-4o","Usage":{"PromptTokens":12,"CompletionTokens":3,"TotalTokens":15}} | openai,gpt-4o,12,3,15,2026-12-07T10:00:00Z
        leading _ and @ (GELF, logstash)        | {"@timestamp":"2026-12-07T10:00:00Z","short_message":"token_usage","_model":"gpt-4o","_prompt_tokens":5,"_completion_tokens":2} | openai,gpt-4o,5,2,7,2026-12-07T10:00:00Z
        upper case and µs strings (journald)    | {"MESSAGE":"token_usage","__REALTIME_TIMESTAMP":"1796639652240275","MODEL":"gpt-4o","PROMPT_TOKENS":"7","COMPLETION_TOKENS":"1"} | openai,gpt-4o,7,1,8,2026-12-07T10:34:12.240275Z
        dotted keys in logfmt (slog text)       | time=2026-12-07T10:00:00Z level=INFO msg=token_usage model=gpt-4o usage.prompt_tokens=19 usage.completion_tokens=4 | openai,gpt-4o,19,4,23,2026-12-07T10:00:00Z
        dotted keys in JSON                     | {"msg":"token_usage","time":"2026-12-07T10:00:00Z","model":"gpt-4o","usage.prompt_tokens":19,"usage.completion_tokens":4} | openai,gpt-4o,19,4,23,2026-12-07T10:00:00Z
        attributes repeating their object's name | {"msg":"token_usage","time":"2026-12-07T10:00:00Z","gen_ai":{"gen_ai.request.model":"gpt-4o","gen_ai.usage.input_tokens":8,"gen_ai.usage.output_tokens":2}} | openai,gpt-4o,8,2,10,2026-12-07T10:00:00Z
        stems with TokenCount                   | {"msg":"token_usage","time":"2026-12-07T10:00:00Z","model":"gpt-4o","usage":{"inputTokenCount":10,"outputTokenCount":5}} | openai,gpt-4o,10,5,15,2026-12-07T10:00:00Z
        punctuation in names (HTTP headers)     | {"msg":"token_usage","time":"2026-12-07T10:00:00Z","model":"anthropic.claude-3-haiku-20240307-v1:0","headers":{"x-amzn-bedrock-input-token-count":"42","x-amzn-bedrock-output-token-count":"18"}} | anthropic,anthropic.claude-3-haiku-20240307-v1:0,42,18,60,2026-12-07T10:00:00Z
        Ollama's evaluation counts              | {"msg":"token_usage","time":"2026-12-07T10:00:00Z","model":"llama3.1:8b","provider":"ollama","prompt_eval_count":26,"eval_count":237,"total_duration":5191566416} | ollama,llama3.1:8b,26,237,263,2026-12-07T10:00:00Z
        bare stems in an object named tokens    | {"msg":"token_usage","time":"2026-12-07T10:00:00Z","model":"gpt-4o","tokens":{"prompt":5,"completion":7}} | openai,gpt-4o,5,7,12,2026-12-07T10:00:00Z
        a total deciding cached is inside       | {"msg":"token_usage","time":"2026-12-07T10:00:00Z","model":"gemini-2.0-flash","usageMetadata":{"promptTokenCount":100,"candidatesTokenCount":20,"cachedContentTokenCount":60,"totalTokenCount":120}} | google,gemini-2.0-flash,100,20,120,2026-12-07T10:00:00Z
        a total deciding tool use is added      | {"msg":"token_usage","time":"2026-12-07T10:00:00Z","model":"gemini-2.5-pro","usageMetadata":{"promptTokenCount":900,"toolUsePromptTokenCount":120,"candidatesTokenCount":300,"thoughtsTokenCount":50,"totalTokenCount":1370}} | google,gemini-2.5-pro,1020,350,1370,2026-12-07T10:00:00Z
        Anthropic's cache added without a total | {"msg":"token_usage","time":"2026-12-07T10:00:00Z","model":"claude-3-5-haiku","usage":{"input_tokens":10,"cache_read_input_tokens":90,"output_tokens":5}} | anthropic,claude-3-5-haiku,100,5,105,2026-12-07T10:00:00Z
        a time split in one object (Log4j)      | {"msg":"token_usage","instant":{"epochSecond":1796639761,"nanoOfSecond":448506000},"model":"gpt-4o","prompt_tokens":1,"completion_tokens":1} | openai,gpt-4o,1,1,2,2026-12-07T10:36:01.448506Z
        a time split side by side               | {"msg":"token_usage","ts_seconds":1796639761,"ts_nanos":5000,"model":"gpt-4o","prompt_tokens":1,"completion_tokens":1} | openai,gpt-4o,1,1,2,2026-12-07T10:36:01.000005Z
        a time object in a record (loguru)      | {"text":"x","record":{"message":"token_usage","extra":{"model":"gpt-4o","prompt_tokens":1,"completion_tokens":1},"time":{"repr":"2026-12-07 10:35:50","timestamp":1796639750.322849}}} | openai,gpt-4o,1,1,2,2026-12-07T10:35:50.322849Z
        an offset without its colon             | {"msg":"token_usage","timestamp":"2026-12-07T12:00:00.5+0200","model":"gpt-4o","prompt_tokens":1,"completion_tokens":1} | openai,gpt-4o,1,1,2,2026-12-07T10:00:00.500Z
        a time name with a unit                 | {"msg":"token_usage","timestampMs":1796639750123,"model":"gpt-4o","prompt_tokens":1,"completion_tokens":1} | openai,gpt-4o,1,1,2,2026-12-07T10:35:50.123Z
        an access log's time                    | 127.0.0.1 - - [07/Dec/2026:10:59:49 +0000] "POST /v1/chat HTTP/1.1" 200 11 1.5 ms token_usage model=gpt-4o prompt_tokens=10 completion_tokens=2 | openai,gpt-4o,10,2,12,2026-12-07T10:59:49Z
        journald MESSAGE, the entry's time      | {"__REALTIME_TIMESTAMP":"1796639652240275","SYSLOG_IDENTIFIER":"api","MESSAGE":"level=info msg=token_usage model=gpt-4o prompt_tokens=3 completion_tokens=1"} | openai,gpt-4o,3,1,4,2026-12-07T10:34:12.240275Z
        Cloud Logging jsonPayload               | {"jsonPayload":{"message":"token_usage","model":"gpt-4o","usage":{"prompt_tokens":4,"completion_tokens":1}},"timestamp":"2026-12-06T08:10:01.5Z","severity":"INFO"} | openai,gpt-4o,4,1,5,2026-12-06T08:10:01.500Z
        an argument array                       | ["token_usage",{"model":"gpt-4o","time":"2026-12-07T10:00:00Z","prompt_tokens":1,"completion_tokens":1}] | openai,gpt-4o,1,1,2,2026-12-07T10:00:00Z
        a shipper's [time, record] pair         | app.log: [1796547601.5, {"log":"level=info msg=token_usage model=gpt-4o prompt_tokens=3 completion_tokens=1"}] | openai,gpt-4o,3,1,4,2026-12-06T09:00:01.500Z
        the inner line's own time wins          | {"timestamp":"2026-12-06T08:10:01.5Z","message":"{\\"time\\":1796464800123,\\"msg\\":\\"token_usage\\",\\"model\\":\\"gpt-4o\\",\\"prompt_tokens\\":1,\\"completion_tokens\\":1}"} | openai,gpt-4o,1,1,2,2026-12-05T10:00:00.123Z
        a name in a type field (eliot)          | {"message_type":"token_usage","timestamp":1796639750.5,"model":"gpt-4o","usage":{"prompt_tokens":44,"completion_tokens":128,"total_tokens":172}} | openai,gpt-4o,44,128,172,2026-12-07T10:35:50.500Z
        a .NET message template in its state    | {"Timestamp":"2026-12-07T11:00:00.123Z","Message":"token_usage gpt-4o 812 95","State":{"Model":"gpt-4o","PromptTokens":812,"CompletionTokens":95,"{OriginalFormat}":"token_usage {Model} {PromptTokens} {CompletionTokens}"}} | openai,gpt-4o,812,95,907,2026-12-07T11:00:00.123Z
        metadata before the name (Elixir)       | 2026-12-07 10:59:23.617 [info] model=gemini-2.0-flash provider=google prompt_tokens=900 completion_tokens=120 total_tokens=1020 token_usage | google,gemini-2.0-flash,900,120,1020,2026-12-07T10:59:23.617Z
        JSON as a pair's value                  | 2026-12-07T10:59:23.615Z [info] token_usage model=gpt-4.1-mini provider=azure_openai usage={"InputTokenCount":1834,"OutputTokenCount":262,"TotalTokenCount":2096} | azure_openai,gpt-4.1-mini,1834,262,2096,2026-12-07T10:59:23.615Z
        the model beside the usage, deep in      | {"time":"2026-12-07T10:00:00Z","msg":"token_usage","context":{"custom_id":"r1","response":{"status_code":200,"body":{"model":"gpt-3.5-turbo-0125","usage":{"prompt_tokens":22,"completion_tokens":2,"total_tokens":24}}}}} | openai,gpt-3.5-turbo-0125,22,2,24,2026-12-07T10:00:00Z
        """)
    void aShapeNoCatalogEntrySpellsOutLoadsAsItsValuesMean(String shape, String line, String expected) {
        assertThat(read(line)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        counts under unknown names next to a total   | {"msg":"token_usage","time":"2026-12-07T10:00:00Z","model":"gpt-4o","usage":{"in_tok":12,"out_tok":30,"total_tokens":42}} | the usage data does not add up: no prompt or completion count do not make total 42, and a prompt or completion count is not in it; it also holds usage.intok=12, usage.outtok=30
        a count left out beside an unknown number    | {"msg":"token_usage","time":"2026-12-07T10:00:00Z","model":"gpt-4o","usage":{"prompt_tokens":5,"count_out":7}} | a completion count is not in the usage data, which also holds usage.countout=7
        a count in an array beside the other         | {"msg":"token_usage","time":"2026-12-07T10:00:00Z","modelId":"amazon.titan-text-express-v1","body":{"inputTextTokenCount":12,"results":[{"tokenCount":57}]}} | which also holds body.results[0].tokencount=57
        a total that does not add up                  | {"msg":"token_usage","time":"2026-12-07T10:00:00Z","model":"gpt-4o","prompt_tokens":100,"completion_tokens":50,"total_tokens":120} | the usage data does not add up: prompt_tokens=100, completion_tokens=50 do not make total 120
        one count under two spellings, two values    | {"msg":"token_usage","time":"2026-12-07T10:00:00Z","model":"gpt-4o","usage":{"prompt_tokens":100,"promptTokens":120,"completion_tokens":5}} | the usage data names one count twice with two values
        counts split across objects                   | {"msg":"token_usage","time":"2026-12-07T10:00:00Z","model":"gpt-4o","usage":{"completion_tokens":20},"moderation":{"input_tokens":500}} | the counts are split across objects
        a prompt count beside cache counts, no total | {"msg":"token_usage","time":"2026-12-07T10:00:00Z","model":"claude-3-5-sonnet","usage":{"prompt_tokens":2100,"cache_read_input_tokens":2000,"completion_tokens":5}} | whether the prompt count holds those already is unknowable
        a total alone                                 | {"msg":"token_usage","time":"2026-12-07T10:00:00Z","model":"gpt-4o","usage":{"total_tokens":42}} | the usage data does not add up
        an event named with no data                   | {"msg":"token_usage","time":"2026-12-07T10:00:00Z","error":"rate limited"} | the event names token_usage but holds neither a model nor a token count; keys seen: msg, time
        a name at the end of a console line, no data  | 2026-12-07T10:59:35+0000 [app.llm#info] token_usage | the line ends at token_usage, so its data is not on this line
        no time anywhere                              | [together] ℹ token_usage {"model":"gpt-4o","usage":{"prompt_tokens":58,"completion_tokens":19}} | the event has no timestamp
        """)
    void anEventThatCannotBeReadWithoutAGuessIsRejectedSayingWhat(String shape, String line, String reason) {
        assertThat(read(line)).startsWith("rejected: ").contains(reason);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        the word then prose                  | {"level":50,"msg":"TOKEN_USAGE insert failed: relation \\"token_usage\\" does not exist"}
        the word as a table's name           | {"msg":"insert failed","table_name":"token_usage","model":"gpt-4o","prompt_tokens":5}
        the word as an entity's type         | {"msg":"row archived","entity_type":"token_usage","model":"gpt-4o","prompt_tokens":5,"completion_tokens":1}
        a sentence about the table, pairs    | 2025-11-09T12:00:01Z ERROR flushing token_usage rows=5 failed
        """)
    void aLineWhereTheWordIsNotTheEventsNameIsNoEvent(String shape, String line) {
        assertThat(read(line)).isEqualTo("no event");
    }

    private String read(String line) {
        RecognizedEvent event;
        try {
            event = recognizer.recognize(line);
            if (event == null) {
                return "no event";
            }
            TokenUsage row = normalizer.normalize(event).row();
            return String.join(",", row.provider(), row.model(), String.valueOf(row.promptTokens()),
                    String.valueOf(row.completionTokens()), String.valueOf(row.totalTokens()),
                    row.createdAt().toString());
        } catch (RejectedLineException e) {
            return "rejected: " + e.getMessage();
        }
    }
}
