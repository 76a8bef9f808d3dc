package io.usagebackfill;

import static io.usagebackfill.support.CorpusCheck.row;


import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import io.usagebackfill.support.BackfillCli;
import io.usagebackfill.support.CorpusCheck;
import io.usagebackfill.support.CorpusCheck.Row;
import io.usagebackfill.support.DatabaseExtension;
import io.usagebackfill.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The third corpus (issue 20, point 6): {@code src/test/resources/io/usagebackfill/corpus3/} holds what 23 logging
 * libraries the project was never shown printed themselves (Node.js, Python, Go, Ruby and Java; how each file was
 * made, with which versions, is in {@code src/test/corpus3/README.md}), carrying the usage objects of SDKs not
 * covered before. The whole directory is imported into the database; the table must hold exactly the rows listed
 * here, worked out from what each SDK's counts mean and from each logger's own time, not from what the tool prints;
 * the events that cannot be read without a guess must be rejected and counted, and no other line may become a row.
 *
 * <p>The assertions are soft: one run names every row that is missing or wrong, not only the first.
 */
class UnseenProducersIT {

    static final Path CORPUS = Path.of("src/test/resources/io/usagebackfill/corpus3");

    /**
     * provider,model,prompt,completion,total,cost_micros,created_at (UTC, microseconds) of every event that must
     * load. Each comment names the file and line, and how the numbers follow from the SDK's meaning.
     */
    static final List<Row> EXPECTED_ROWS = List.of(
            // tslog.log:2 (tslog 5 JSON: the arguments merged into the line, "time"). Vercel AI SDK v5 usage: input
            // and output tokens already include cachedInputTokens and reasoningTokens; the logged top-level model
            // is the model column (response.modelId beside it is the dated snapshot that answered).
            row("tslog.log:2", "openai,gpt-5-mini,1200,340,1540,,2026-12-07T10:35:49.270000Z"),
            // tslog.log:3: Vercel AI SDK v4 usage {promptTokens, completionTokens, totalTokens}
            row("tslog.log:3", "anthropic,claude-3-5-haiku-20241022,611,87,698,,2026-12-07T10:35:49.270000Z"),
            // roarr.log:2 (Roarr: fields under "context", "time" in epoch milliseconds 1796639749402). Cohere v2
            // chat usage: billedUnits are what is charged (412 in, 96 out); tokens.inputTokens (1478) counts the
            // prompt template Cohere adds, which is not billed.
            row("roarr.log:2", "cohere,command-r-plus-08-2024,412,96,508,,2026-12-07T10:35:49.402000Z"),
            // bole.log:2 (bole: "time" ISO, "message"). Groq usage: the counts beside queue_time, prompt_time,
            // completion_time, total_time (seconds, not tokens and not the event's time).
            row("bole.log:2", "groq,llama-3.3-70b-versatile,233,118,351,,2026-12-07T10:35:49.521000Z"),
            // logtape.log:2 (LogTape JSON Lines: "@timestamp", fields under "properties"). @google/genai
            // usageMetadata: promptTokenCount (900) includes the 512 cached tokens; the tool-use prompt (120) is
            // input counted apart, so prompt = 900 + 120; completion = candidates 200 + thoughts 150; the total 1370
            // is their sum as Google documents it.
            row("logtape.log:2", "google,gemini-2.5-pro,1020,350,1370,,2026-12-07T10:35:49.660000Z"),
            // debug.log:2 (debug off a terminal: ISO time, namespace, then "token_usage" and %j JSON). Ollama:
            // prompt_eval_count is the prompt, eval_count the completion; no total, so 26 + 237.
            row("debug.log:2", "ollama,llama3.1:8b,26,237,263,,2026-12-07T10:35:49.889000Z"),
            // loguru-json.log:2 (loguru serialize=True: record.message, record.extra, record.time.timestamp
            // 1796639750.322849). Bedrock InvokeModel body of Meta Llama: prompt_token_count, generation_token_count.
            row("loguru-json.log:2", "bedrock,meta.llama3-1-70b-instruct-v1:0,18,107,125,,2026-12-07T10:35:50.322849Z"),
            // daiquiri-extras.log:2 (daiquiri ExtrasFormatter: "[key: value]" extras after the message, asctime
            // without a zone, written with TZ=UTC). Anthropic Messages usage via Bedrock: input_tokens excludes the
            // cache, so prompt = 45 + 0 (creation) + 1800 (read).
            row("daiquiri-extras.log:2",
                    "anthropic,anthropic.claude-3-5-sonnet-20241022-v2:0,1845,220,2065,,2026-12-07T10:35:50.698000Z"),
            // eliot-messages.log:3 (eliot: "message_type", "timestamp" epoch seconds 1796639750.5337286, half up to
            // the microsecond). huggingface_hub ChatCompletionOutput.usage, OpenAI's counts.
            row("eliot-messages.log:3",
                    "huggingface,meta-llama/Llama-3.1-8B-Instruct,44,128,172,,2026-12-07T10:35:50.533729Z"),
            // logbook-text.log:2 (Logbook's default format, UTC without a zone). DeepSeek usage: prompt_tokens
            // already includes prompt_cache_hit_tokens and prompt_cache_miss_tokens (1024 + 476 = 1500).
            row("logbook-text.log:2", "deepseek,deepseek-reasoner,1500,300,1800,,2026-12-07T10:35:50.624064Z"),
            // go-logrus.log:2 (logrus JSONFormatter: "msg", "time" RFC 3339 to the second). Anthropic Go SDK
            // usage: prompt = 31 + 2048 (cache creation) + 0 (cache read).
            row("go-logrus.log:2", "anthropic,claude-sonnet-4-5-20250929,2079,412,2491,,2026-12-07T10:35:51.000000Z"),
            // go-logrus.log:4 (logrus TextFormatter: logfmt-like, keys sorted). cost_usd=1e-05 dollars = 10 micros.
            row("go-logrus.log:4", "openai,gpt-4.1-nano,64,9,73,10,2026-12-07T10:35:51.000000Z"),
            // go-zap.log:2 (zap production JSON: "ts" epoch seconds 1796639753.3558824). A Go struct without JSON
            // tags, so encoding/json wrote PascalCase: PromptTokens, CompletionTokens, TotalTokens (xAI's counts).
            row("go-zap.log:2", "xai,grok-3-mini,148,403,551,,2026-12-07T10:35:53.355882Z"),
            // go-zap.log:4 (zap development console: tab-separated time, level, caller, message, then the fields as
            // JSON). Perplexity usage: OpenAI's counts beside search_context_size and citation_tokens.
            row("go-zap.log:4", "perplexity,sonar-pro,9,315,324,,2026-12-07T10:35:53.357000Z"),
            // go-zerolog.log:2 (zerolog: "time" RFC 3339 to the second, "message" last). AI21 Jamba usage;
            // cost_usd 0.007202 dollars.
            row("go-zerolog.log:2", "ai21,jamba-1.5-large,3021,145,3166,7202,2026-12-07T10:35:54.000000Z"),
            // go-slog.log:2 (x/exp/slog JSON handler: a Group as an object, nanosecond time .888880861 half up).
            // Amazon Nova InvokeModel usage {inputTokens, outputTokens, totalTokens}, no cache use.
            row("go-slog.log:2", "bedrock,amazon.nova-pro-v1:0,1843,261,2104,,2026-12-07T10:35:54.888881Z"),
            // go-slog.log:4 (x/exp/slog text handler: the Group as dotted keys usage.prompt_tokens=19 ...).
            row("go-slog.log:4",
                    "fireworks,accounts/fireworks/models/llama-v3p1-8b-instruct,19,46,65,,2026-12-07T10:35:54.888000Z"),
            // go-gokit.log:2 (go-kit logfmt: ts with nanoseconds .406590503). Cerebras usage, OpenAI's counts.
            row("go-gokit.log:2", "cerebras,llama3.1-8b,212,77,289,,2026-12-07T10:35:55.406591Z"),
            // go-hclog.log:2 (hclog JSON: "@message", "@timestamp"). Azure OpenAI chat usage.
            row("go-hclog.log:2", "azure,gpt-4o-2024-11-20,2201,180,2381,,2026-12-07T10:35:56.098789Z"),
            // go-hclog.log:4 (hclog text: "time [INFO]  module: token_usage: key=value ..."). Cohere's billed
            // input and output tokens; no total, so 77 + 301.
            row("go-hclog.log:4", "cohere,command-a-03-2025,77,301,378,,2026-12-07T10:35:56.098000Z"),
            // ruby-logger.log:2 (Ruby Logger: "I, [time #pid]  INFO -- progname: msg", no zone, TZ=UTC).
            // ruby-openai usage hash; no provider logged, inferred from the model.
            row("ruby-logger.log:2", "openai,gpt-4o-mini-2024-07-18,83,17,100,,2026-12-07T10:35:56.185617Z"),
            // ruby-logging-json.log:2 (logging gem JSON layout: the Hash is the "message" object, its "event" names
            // it). Anthropic usage: prompt = 12 + null (0) + 4096.
            row("ruby-logging-json.log:2",
                    "anthropic,claude-opus-4-1-20250805,4108,530,4638,,2026-12-07T10:35:56.386064Z"),
            // log4j2-json-template.log:2 (Log4j 2 JsonTemplateLayout, JsonLayout.json template: "instant"
            // {epochSecond 1796639761, nanoOfSecond 448505533}, the thread context as "contextMap" of strings).
            // LangChain4j TokenUsage: inputTokenCount, outputTokenCount, totalTokenCount; model as modelName.
            row("log4j2-json-template.log:2", "mistral,mistral-large-2411,1290,318,1608,,2026-12-07T10:36:01.448506Z"),
            // log4j2-jsonlayout.log:2 (Log4j 2 JsonLayout: an ObjectMessage of a map as the "message" object, its
            // "event" names it; instant 1796639762.268125911). Gemini usageMetadata: completion = candidates 95 +
            // thoughts 311; total 808 as logged.
            row("log4j2-jsonlayout.log:2", "vertex_ai,gemini-2.5-flash-001,402,406,808,,2026-12-07T10:36:02.268126Z"),
            // tinylog-json.log:2 (tinylog JSON writer: the JSON after "token_usage " escaped inside "message").
            // OpenAI Java SDK CompletionUsage: completion_tokens already includes the 1024 reasoning tokens.
            row("tinylog-json.log:2", "openai,o4-mini-2025-04-16,96,1187,1283,,2026-12-07T10:36:02.531000Z"),
            // jul-simpleformatter.log:2 (java.util.logging SimpleFormatter, offset +0000 without a colon, logfmt
            // pairs after the word). watsonx.ai: input_token_count is the prompt, generated_token_count the output.
            row("jul-simpleformatter.log:2",
                    "watsonx,ibm/granite-3-8b-instruct,512,64,576,,2026-12-07T10:36:02.695000Z"),
            // jboss-logmanager-json.log:2 (JBoss Log Manager JsonFormatter: "timestamp" with nanoseconds
            // .966790652, the MDC as "mdc" of strings). Bedrock Converse TokenUsage as the Java SDK names it:
            // prompt = inputTokens 640 + cacheReadInputTokens 1280; totalTokens 2048 as logged.
            row("jboss-logmanager-json.log:2",
                    "bedrock,us.amazon.nova-lite-v1:0,1920,128,2048,,2026-12-07T10:36:02.966791Z"));

    static final List<String> EXPECTED = EXPECTED_ROWS.stream().map(Row::row).toList();

    /**
     * The events that cannot be read without a guess, each rejected (file:line).
     * consola.log:2: consola's basic reporter printed no time at all (Together AI usage 58/19/77).
     * signale.log:2: "[12/7/2026] [10:35:50 AM]" is toLocaleDateString() in the machine's locale: day and month
     * order, 12-hour clock, no zone and no seconds' fraction (OpenRouter usage with cost 0.004203).
     * jul-simpleformatter.log:3: MessageFormat wrote the count with its locale's grouping,
     * input_token_count=1,843 (1843 in en, 1.843 elsewhere): not a number to load.
     * loguru-text.log:2: a Bedrock InvokeModel body of Amazon Titan, whose output count sits in an array of
     * results (results[0].tokenCount, beside inputTextTokenCount 12): no rule reads a count out of an array, so the
     * event is rejected naming the number, rather than loaded with 0 output tokens (a --fields line
     * "completion_tokens += body.results.0.tokenCount" reads it).
     */
    static final Set<String> EXPECTED_REJECTS = Set.of("consola.log:2", "signale.log:2", "jul-simpleformatter.log:3",
            "loguru-text.log:2");

    /** Events loaded whose time was logged without a zone: daiquiri, Logbook, Ruby Logger. */
    static final long ZONELESS = 3;

    /** Events loaded with no provider logged: Ruby Logger (gpt-). */
    static final long INFERRED_PROVIDERS = 1;


    @RegisterExtension
    static final DatabaseExtension DATABASE = DatabaseExtension.withFreshTable();

    private final TestDatabase database = DATABASE.testDatabase();
    private final BackfillCli cli = DATABASE.cli();

    @TempDir
    Path dir;

    @Test
    void everyEventOfTheUnseenProducersLoadsAsItsSdkMeantItAndNothingElseDoes() throws Exception {
        CorpusCheck.Checked checked = new CorpusCheck(cli, database, dir).importAndCheck(CORPUS, EXPECTED_ROWS,
                EXPECTED_REJECTS, null, ZONELESS, INFERRED_PROVIDERS);

        checked.soft().assertThat(checked.rejected().get("loguru-text.log:2"))
                .as("the Titan body's output count is named, not read as 0")
                .contains("a completion count is not in the usage data").contains("results[0].tokencount=57");
        checked.soft().assertAll();
    }
}
