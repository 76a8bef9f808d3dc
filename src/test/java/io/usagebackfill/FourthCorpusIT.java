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
 * The fourth corpus: {@code src/test/resources/io/usagebackfill/corpus4/} holds what 15 more producers the project
 * was never shown printed themselves (PHP Monolog, Perl Log4perl and Log::Dispatch, the Elixir and Erlang loggers,
 * twisted.logger, loglevel, lambda-log, npmlog, simple-node-logger, tracer, morgan; .NET's loggers written by hand
 * from their documented output; how each file was made, with which versions, is in
 * {@code src/test/corpus4/README.md}), carrying SDK usage shapes not tried before. The whole directory is imported
 * into the database; the table must hold exactly the rows listed here, worked out from what each SDK's counts mean
 * and from each logger's own time (the README's table of expected rows), not from what the tool prints; the events
 * that cannot be read without a guess must be rejected and counted, and no other line may become a row.
 *
 * <p>A second test imports {@code src/test/corpus4/hostile/hostile.log}, lines made by hand to lure the reader into
 * a wrong row, and expects for each line a given row, a reject, or no event at all.
 *
 * <p>The assertions are soft: one run names every row that is missing or wrong, not only the first.
 */
class FourthCorpusIT {

    static final Path CORPUS = Path.of("src/test/resources/io/usagebackfill/corpus4");

    static final Path HOSTILE = Path.of("src/test/corpus4/hostile/hostile.log");

    /**
     * provider,model,prompt,completion,total,cost_micros,created_at (UTC, microseconds) of every event that must
     * load. Each comment names the file and line, and how the numbers follow from the SDK's meaning. No line logs a
     * cost, so cost_micros is empty throughout.
     */
    static final List<Row> EXPECTED_ROWS = List.of(
            // monolog-json.log:1 (Monolog JsonFormatter: "message", fields under "context", "datetime" with
            // +00:00 to the microsecond). OpenAI Realtime response.done usage: input_tokens 132 already includes
            // the 64 cached tokens (input_token_details), output_tokens 121; total 253 = 132 + 121 as logged.
            row("monolog-json.log:1",
                    "openai,gpt-4o-realtime-preview-2024-12-17,132,121,253,,2026-12-07T10:59:09.693294Z"),
            // monolog-json.log:3: an OpenAI Batch API output line in "context": the model and the usage
            // {22, 2, 24} are in response.body, the chat completion object; no provider logged, inferred (gpt-).
            // The time is the record's own "datetime", not response.body.created (2024-03-28T19:06:35, the
            // README calls it debatable): the event is the Monolog record and its time is the one its logger
            // stamped; a "created" nested in the response body is data of the event, and taking it would be a
            // guess among times (hostile.log:12 expects exactly that: no log time and only response.created is a
            // reject). The time every other row uses, the time the app logged the usage, keeps one meaning.
            row("monolog-json.log:3", "openai,gpt-3.5-turbo-0125,22,2,24,,2026-12-07T10:59:09.693604Z"),
            // monolog-line.log:1 (Monolog LineFormatter: "[ISO time] channel.LEVEL: message {context}"). Mistral
            // usage: prompt_audio_seconds 57 is seconds of audio, not tokens (already in prompt_tokens as Mistral
            // bills it); 1460 + 87 = 1547 as logged.
            row("monolog-line.log:1", "mistral,voxtral-small-2507,1460,87,1547,,2026-12-07T10:59:09.693878Z"),
            // monolog-line.log:3: prompt_audio_seconds null (no audio); no provider logged, inferred (mistral-).
            row("monolog-line.log:3", "mistral,mistral-large-2411,35,410,445,,2026-12-07T10:59:09.693958Z"),
            // log4perl.log:1 (Log4perl %d{ISO8601}: "2026-12-07 10:59:18,243", no zone, written with TZ=UTC).
            // Replicate prediction metrics: input_token_count 47, output_token_count 212, no total, so 259;
            // predict_time, total_time (seconds) and tokens_per_second are no counts, and the prediction's
            // created_at/started_at/completed_at are data, not the log time.
            row("log4perl.log:1", "replicate,meta/meta-llama-3-70b-instruct,47,212,259,,2026-12-07T10:59:18.243000Z"),
            // log4perl.log:3: LlamaIndex TokenCountingHandler counters: prompt_llm_token_count 512,
            // completion_llm_token_count 64, total_llm_token_count 576 = their sum. total_embedding_token_count 1024
            // belongs to the embedding model's calls (not gpt-4o-mini's, and no embedding model is named), so it
            // is in no column of this row. No provider logged, inferred (gpt-).
            row("log4perl.log:3", "openai,gpt-4o-mini,512,64,576,,2026-12-07T10:59:18.243000Z"),
            // log-dispatch.log:1 (Log::Dispatch with a callback time, ISO with Z, to the second). Anthropic
            // Message Batches result: result.message holds the model and usage; input_tokens excludes the cache,
            // so prompt = 11 + 0 (creation) + 1500 (read) = 1511; output 36. Provider inferred (claude-).
            row("log-dispatch.log:1",
                    "anthropic,claude-3-5-sonnet-20240620,1511,36,1547,,2026-12-07T10:59:18.000000Z"),
            // elixir-logger.log:7 ("$date $time [$level] $metadata$message", no zone, TZ=UTC). The usage= pair's
            // value is Microsoft.Extensions.AI UsageDetails JSON: InputTokenCount 1834 already includes
            // AdditionalCounts "InputTokenDetails.CachedTokenCount" 1024; 1834 + 262 = 2096 as logged.
            row("elixir-logger.log:7", "azure_openai,gpt-4.1-mini,1834,262,2096,,2026-12-07T10:59:23.615000Z"),
            // elixir-logger.log:9: the metadata pairs printed before the message "token_usage"; OpenAI's names.
            row("elixir-logger.log:9", "google,gemini-2.0-flash-001,900,120,1020,,2026-12-07T10:59:23.617000Z"),
            // erlang-logger.log:1 (logger_formatter single_line: RFC 3339 time with +00:00, the report as
            // "key: value" pairs, binaries as <<"...">>, the map as #{k => v}). Vertex AI usageMetadata:
            // promptTokenCount 1200 includes the 800 cached; toolUsePromptTokenCount 60 is added: 1260;
            // candidates 150 + thoughts 40 = 190; 1260 + 190 = 1450 = totalTokenCount. The README allows a reject
            // (Erlang term syntax); a row is expected: it is OTP's own default report format, every value in it
            // is unambiguous (integers, binaries holding the strings), and the logged total confirms the reading.
            row("erlang-logger.log:1", "google,gemini-2.5-pro,1260,190,1450,,2026-12-07T10:59:30.783477Z"),
            // erlang-logger.log:3: Bedrock InvokeModel response headers x-amzn-bedrock-input-token-count "42" and
            // -output-token-count "118" (numeric strings); invocation-latency is milliseconds, not tokens. No
            // total, so 160. No provider logged: the Bedrock id's vendor, meta.
            row("erlang-logger.log:3", "meta,meta.llama3-1-70b-instruct-v1:0,42,118,160,,2026-12-07T10:59:30.797773Z"),
            // lambda-log.log:3 (lambda-log JSON with the dynamicMeta "timestamp"). Bedrock headers under "headers":
            // 1893 in, 204 out, no total. Provider from the Bedrock id (anthropic.claude-).
            row("lambda-log.log:3",
                    "anthropic,anthropic.claude-3-haiku-20240307-v1:0,1893,204,2097,,2026-12-07T10:59:54.545000Z"),
            // loglevel-iso.log:1 (loglevel-plugin-prefix with an ISO formatter). Vertex REST usageMetadata:
            // promptTokenCount 3100 includes cachedContentTokenCount 2048; the *TokensDetails arrays break the same
            // counts down by modality and add nothing; 3100 + 240 = 3340 as logged. Model as modelVersion.
            row("loglevel-iso.log:1", "google,gemini-2.0-flash-001,3100,240,3340,,2026-12-07T10:59:54.807000Z"),
            // simple-node-logger.log:1 ("2026-12-07 10:59:48.628", no zone, TZ=UTC). Replicate metrics as in
            // log4perl.log:1: 830 in, 96 out, no total.
            row("simple-node-logger.log:1",
                    "replicate,anthropic/claude-3.5-haiku,830,96,926,,2026-12-07T10:59:48.628000Z"),
            // tracer.log:1 (tracer: "2026-12-07T10:59:48+0000", to the second). Anthropic batch result: prompt =
            // 25 + 4096 (cache creation) + 0 (read) = 4121; output 410. Provider inferred (claude-).
            row("tracer.log:1", "anthropic,claude-sonnet-4-20250514,4121,410,4531,,2026-12-07T10:59:48.000000Z"),
            // morgan.log:1 (morgan, a CLF line: "[07/Dec/2026:10:59:49 +0000]", then the custom token's pairs).
            // OpenAI's names, 1200 + 80 = 1280 as logged. Provider inferred (gpt-). The program logs one request
            // with two morgan formats; each line is read on its own, as any two lines are, so both are rows.
            row("morgan.log:1", "openai,gpt-4o-2024-08-06,1200,80,1280,,2026-12-07T10:59:49.000000Z"),
            // morgan.log:2: the JSON format, ":date[iso]" to the millisecond; input/output tokens as strings.
            row("morgan.log:2", "openai,gpt-4o-2024-08-06,1200,80,1280,,2026-12-07T10:59:49.084000Z"),
            // twisted-json.log:1 (jsonFileLogObserver: the event names itself by "log_format" "token_usage {model}
            // prompt={prompt} completion={completion}", "log_time" epoch seconds 1796641175.5140088, half up to the
            // microsecond). Haystack's reply meta[0].usage: 14 + 9 = 23, agreeing with the format's own prompt=14
            // and completion=9 fields.
            row("twisted-json.log:1", "openai,gpt-4o-mini-2024-07-18,14,9,23,,2026-12-07T10:59:35.514009Z"),
            // twisted-json.log:3: log_format "token_usage", log_time 1796641175.5147026. OpenAI .NET ChatTokenUsage
            // names: InputTokenCount 2048 includes CachedTokenCount 1536; 2048 + 310 = 2358 as logged.
            row("twisted-json.log:3", "openai,gpt-4o,2048,310,2358,,2026-12-07T10:59:35.514703Z"),
            // handwritten/dotnet-json.log:1 (Microsoft.Extensions.Logging JsonConsoleFormatter with TimestampFormat
            // "O": .1234567 half up to .123457; the message template's placeholders under State, named by
            // "{OriginalFormat}"). InputTokenCount 812, OutputTokenCount 95, no total. Provider inferred (gpt-).
            row("dotnet-json.log:1", "openai,gpt-4o-mini,812,95,907,,2026-12-07T11:00:00.123457Z"),
            // handwritten/dotnet-json.log:2 (Serilog CompactJsonFormatter: "@t", "@mt"; {@Usage} destructured):
            // UsageDetails 400 + 50 = 450 as logged; AdditionalCounts null. Provider inferred (gpt-).
            row("dotnet-json.log:2", "openai,gpt-4.1,400,50,450,,2026-12-07T11:00:01.500000Z"));

    /**
     * The events that cannot be read without a guess, each rejected (file:line).
     * elixir-logger.log:2: Elixir's default console format prints the time of day only ("10:59:23.088"): no date.
     * elixir-logger.log:6: the message "token_usage" alone (the default format dropped the metadata): no counts,
     * no model, no date; an event all the same, so a reject, never silence.
     * lambda-log.log:1: lambda-log's default output has no time at all.
     * loglevel-default.log:1: loglevel-plugin-prefix's default "[10:59:54]": time of day only.
     * npmlog.log:1: npmlog prints no time.
     * tracer.log:3: util.inspect printed the object over lines 3 to 6 as a JavaScript literal (unquoted keys,
     * single quotes); the line holding the event holds only "{": its data is on other lines.
     * twisted-text.log:1: textFileLogObserver rendered the format: "token_usage gpt-4o-mini-2024-07-18 prompt=14
     * completion=9". The README allows a row; a reject is expected: no key names the model (a bare word after the
     * event name), and "prompt"/"completion" carry no token word (they could be a prompt's id or a length), so
     * reading either is a guess; the same call is read from the JSON observer's twisted-json.log:1.
     * twisted-text.log:3: "token_usage" alone (the format is the bare word): no counts, no model.
     * dotnet-json.log:4: JsonConsoleFormatter without TimestampFormat writes no time at all.
     */
    static final Set<String> EXPECTED_REJECTS = Set.of("elixir-logger.log:2", "elixir-logger.log:6", "lambda-log.log:1",
            "loglevel-default.log:1", "npmlog.log:1", "tracer.log:3", "twisted-text.log:1", "twisted-text.log:3",
            "dotnet-json.log:4");

    /**
     * Lines that mention token_usage but are no event (errors naming the table, "token_usage: 3 batch results
     * errored", "token_usage batch flush slow {...}", "token_usage exporter queue full", "msg":"token_usage insert
     * failed", "could not write token_usage row"): elixir 4, 8; erlang 2; lambda-log 2, 4; log-dispatch 2;
     * log4perl 2; loglevel-default 2; loglevel-iso 2; monolog-json 2; monolog-line 2; npmlog 2;
     * simple-node-logger 2; tracer 2; twisted-json 2; twisted-text 2; dotnet-json 3.
     */
    static final long IGNORED = 17;

    /**
     * Events loaded whose time was logged without a zone: log4perl 1 and 3, elixir 7 and 9, simple-node-logger 1.
     * morgan.log:1's CLF time "[07/Dec/2026:10:59:49 +0000]" carries its offset, so it is not one of them (read
     * without it, the same line logged at +0200 would load two hours late, and --log-timezone would move it).
     */
    static final long ZONELESS = 5;

    /**
     * Events loaded with no provider logged: monolog-json 3 (gpt-), monolog-line 3 (mistral-), log4perl 3 (gpt-),
     * log-dispatch 1 (claude-), erlang 3 (meta.), lambda-log 3 (anthropic.), tracer 1 (claude-), morgan 1 and 2
     * (gpt-), dotnet-json 1 and 2 (gpt-).
     */
    static final long INFERRED_PROVIDERS = 11;

    /**
     * hostile.log: the rows its lines must give, as the README's table of hostile lines leads to. All log
     * "2026-12-07T12:00:NNZ" and gpt-4o without a provider (inferred openai), so each row's time is its line's.
     */
    static final List<Row> HOSTILE_ROWS = List.of(
            // hostile.log:1: request.max_tokens/max_completion_tokens are limits asked for, not counts; the
            // usage holds prompt_tokens 100 only and nothing else in it could be the completion, so 0 (the README:
            // max_tokens not taken, completion 0 by the "nothing else could be it" rule).
            row("hostile.log:1", "openai,gpt-4o,100,0,100,,2026-12-07T12:00:01.000000Z"),
            // hostile.log:3: total_time 1.5 is seconds and total_count 3 names no tokens; 3 < 10 + 5 cannot be
            // the tokens' total, so the only reading that is no guess is 10 + 5 = 15 (the README calls the row
            // with total 3 a wrong row).
            row("hostile.log:3", "openai,gpt-4o,10,5,15,,2026-12-07T12:00:03.000000Z"),
            // hostile.log:4 (debatable: two calls, usage and retry.usage). docs/log-formats.md section 4: "The usage
            // data is the first object that holds a count: the event's top, then the catalog's usage objects
            // (usage, ...), ... a count it leaves out is taken from the next object that holds one": usage holds
            // both counts, so retry.usage is not read: 10 + 2.
            row("hostile.log:4", "openai,gpt-4o,10,2,12,,2026-12-07T12:00:04.000000Z"),
            // hostile.log:7 (debatable: top prompt_tokens 100, usage.promptTokens 120). Section 4: the usage data
            // is the first object that holds a count, "the event's top" first; the top holds prompt 100 and
            // completion 5 and leaves nothing out, so usage is not read (the two-spellings reject of section 3 is
            // for "two spellings of one key with different values in one object"): 100 + 5.
            row("hostile.log:7", "openai,gpt-4o,100,5,105,,2026-12-07T12:00:07.000000Z"),
            // hostile.log:15: the chat call's usage (input 40, output 8); embedding.usage is another model's call.
            row("hostile.log:15", "openai,gpt-4o,40,8,48,,2026-12-07T12:00:15.000000Z"),
            // hostile.log:17: the top's counts; budget.total_tokens is a budget, not this call's total.
            row("hostile.log:17", "openai,gpt-4o,1000,200,1200,,2026-12-07T12:00:17.000000Z"),
            // hostile.log:18: usage's counts; context_window.total_tokens/input_tokens are the model's limits.
            row("hostile.log:18", "openai,gpt-4o,1000,200,1200,,2026-12-07T12:00:18.000000Z"),
            // hostile.log:23: usage 100 + 20 = 120 as logged; duration.total (ms) and duration.input_count are
            // no tokens.
            row("hostile.log:23", "openai,gpt-4o,100,20,120,,2026-12-07T12:00:23.000000Z"));

    /**
     * hostile.log's events that cannot be read without a guess, each rejected (file:line).
     * 2: usage holds only completion_tokens; the only prompt-like count is moderation.input_tokens 500 of another
     * model (omni-moderation-latest): the prompt is not in the call's usage (the README: the row with prompt 500 is
     * wrong).
     * 5: "1.2k" and "300 tokens" are no whole numbers.
     * 6: total_tokens 120 is less than 100 + 50: counts that do not add up (section 5: a logged total "must be
     * accounted for, or the event is rejected"; the README: the row "as logged" is wrong).
     * 9: LiteLLM-style prompt_tokens 2100 beside cache_read_input_tokens 2000 and no total: whether the prompt
     * already holds the cache (LiteLLM: 2100) or not (Anthropic's usage: 4100) cannot be told without a total (the
     * README: the row with 4100 is wrong; 2100 would be a guess too).
     * 11: a bare "tokens": 500, neither prompt nor completion.
     * 12: no log time; response.created is the response's data, not the event's time.
     * 13: "07/12/2026 10:00": day and month order unknown, no zone.
     * 14: prompt_tokens 12.7 is no whole number.
     * 16: cost "$0.02" is no number (a currency sign inside the text).
     * 20: prompt_tokens 100 and promptTokens 120 in one object: two spellings of one count with two values
     * (section 3: "counts that disagree are rejected, never one chosen").
     * 21: "1,200": a grouping separator (1200 or 1.2 by locale).
     * 10: completion_tokens logged as null: the count is unknown, not 0 (section 4: a prompt or completion count
     * logged as null is a reject).
     * Not events at all (neither row nor reject): 8 ("msg" names the line "row archived to cold storage";
     * entity_type describes what was archived), 19 (table_name), 22 ("msg" names a write time-out queued for
     * retry; error_type classifies the error, and a row would count again what the retry will log).
     */
    static final Set<String> HOSTILE_REJECTS = Set.of("hostile.log:2", "hostile.log:5", "hostile.log:6",
            "hostile.log:9", "hostile.log:11", "hostile.log:12", "hostile.log:13", "hostile.log:14", "hostile.log:16",
            "hostile.log:20", "hostile.log:21", "hostile.log:10");

    /** hostile.log's lines that mention token_usage but are no event: 8, 19, 22. */
    static final long HOSTILE_IGNORED = 3;


    @RegisterExtension
    static final DatabaseExtension DATABASE = DatabaseExtension.withFreshTable();

    private final TestDatabase database = DATABASE.testDatabase();
    private final BackfillCli cli = DATABASE.cli();

    @TempDir
    Path dir;

    @Test
    void everyEventOfTheFourthCorpusLoadsAsItsSdkMeantItAndNothingElseDoes() throws Exception {
        new CorpusCheck(cli, database, dir).importAndCheck(CORPUS, EXPECTED_ROWS, EXPECTED_REJECTS, IGNORED, ZONELESS,
                INFERRED_PROVIDERS).soft().assertAll();
    }

    @Test
    void eachHostileLineGivesItsOneRightRowOrAReject() throws Exception {
        new CorpusCheck(cli, database, dir).importAndCheck(HOSTILE, HOSTILE_ROWS, HOSTILE_REJECTS, HOSTILE_IGNORED, 0,
                HOSTILE_ROWS.size()).soft().assertAll();
    }
}
