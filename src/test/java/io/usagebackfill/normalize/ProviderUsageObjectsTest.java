package io.usagebackfill.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import io.usagebackfill.parse.EventRecognizer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The usage objects the provider SDKs and frameworks return, verbatim (field names, nesting, nulls and detail
 * objects as the SDKs serialise them), logged beside {@code token_usage}, each with the row it must become:
 * {@code provider,model,prompt,completion,total,cost_micros,user_id}.
 */
class ProviderUsageObjectsTest {

    private final EventRecognizer recognizer = new EventRecognizer();
    private final EventNormalizer normalizer = new EventNormalizer(ProviderCatalog.builtIn());

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        OpenAI Chat Completions usage with details | {"msg":"token_usage","time":1762761600000,"model":"gpt-4o-mini-2024-07-18","usage":{"prompt_tokens":812,"completion_tokens":95,"total_tokens":907,"prompt_tokens_details":{"cached_tokens":512,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}} | openai,gpt-4o-mini-2024-07-18,812,95,907,,
        OpenAI Chat Completions response logged whole | {"msg":"token_usage","time":1762761600000,"response":{"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion","created":1741569952,"model":"gpt-4.1-2025-04-14","choices":[],"usage":{"prompt_tokens":19,"completion_tokens":10,"total_tokens":29},"service_tier":"default"}} | openai,gpt-4.1-2025-04-14,19,10,29,,
        OpenAI Responses API usage (cached input inside input_tokens) | {"msg":"token_usage","time":1762761600000,"model":"gpt-4.1","usage":{"input_tokens":328,"input_tokens_details":{"cached_tokens":128},"output_tokens":52,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":380}} | openai,gpt-4.1,328,52,380,,
        Anthropic Messages usage with cache tokens | {"msg":"token_usage","time":1762761600000,"model":"claude-sonnet-4-20250514","usage":{"input_tokens":1200,"cache_creation_input_tokens":100,"cache_read_input_tokens":2000,"cache_creation":{"ephemeral_5m_input_tokens":100,"ephemeral_1h_input_tokens":0},"output_tokens":310,"service_tier":"standard"}} | anthropic,claude-sonnet-4-20250514,3300,310,3610,,
        Anthropic Messages usage with null cache fields | {"msg":"token_usage","time":1762761600000,"model":"claude-3-5-haiku-20241022","usage":{"input_tokens":20,"cache_creation_input_tokens":null,"cache_read_input_tokens":null,"output_tokens":11,"server_tool_use":null,"service_tier":"standard"}} | anthropic,claude-3-5-haiku-20241022,20,11,31,,
        Gemini usageMetadata with thinking and cache | {"msg":"token_usage","time":1762761600000,"modelVersion":"gemini-2.5-flash","usageMetadata":{"promptTokenCount":1021,"candidatesTokenCount":230,"totalTokenCount":1549,"cachedContentTokenCount":512,"thoughtsTokenCount":298,"promptTokensDetails":[{"modality":"TEXT","tokenCount":1021}]}} | google,gemini-2.5-flash,1021,528,1549,,
        Gemini Python SDK usage_metadata (snake_case) | {"event":"token_usage","timestamp":1762761600.5,"model_version":"gemini-2.0-flash","usage_metadata":{"prompt_token_count":40,"candidates_token_count":12,"total_token_count":52,"cached_content_token_count":null,"thoughts_token_count":null}} | google,gemini-2.0-flash,40,12,52,,
        AWS Bedrock Converse usage with prompt caching | {"msg":"token_usage","time":1762761600000,"modelId":"anthropic.claude-3-5-sonnet-20240620-v1:0","provider":"bedrock","usage":{"inputTokens":22,"outputTokens":91,"totalTokens":1113,"cacheReadInputTokens":1000,"cacheWriteInputTokens":0},"metrics":{"latencyMs":1440}} | bedrock,anthropic.claude-3-5-sonnet-20240620-v1:0,1022,91,1113,,
        Vercel AI SDK v4 usage | {"msg":"token_usage","time":1762761600000,"provider":"openai","model":"gpt-4o","usage":{"promptTokens":1534,"completionTokens":211,"totalTokens":1745}} | openai,gpt-4o,1534,211,1745,,
        Vercel AI SDK v5 usage (cachedInputTokens inside inputTokens) | {"msg":"token_usage","time":1762761600000,"provider":"openai","model":"gpt-5-mini","usage":{"inputTokens":1534,"outputTokens":411,"totalTokens":1945,"reasoningTokens":200,"cachedInputTokens":1024}} | openai,gpt-5-mini,1534,411,1945,,
        Vercel AI SDK v5 response.modelId | {"msg":"token_usage","time":1762761600000,"response":{"id":"resp_1","modelId":"claude-3-7-sonnet-20250219","timestamp":"2025-11-10T08:00:00.000Z"},"usage":{"inputTokens":90,"outputTokens":12,"totalTokens":102}} | anthropic,claude-3-7-sonnet-20250219,90,12,102,,
        LangChain usage_metadata on an AIMessage | {"event":"token_usage","timestamp":1762761600.25,"model":"gpt-4o-mini","usage_metadata":{"input_tokens":350,"output_tokens":240,"total_tokens":590,"input_token_details":{"audio":0,"cache_read":100},"output_token_details":{"audio":0,"reasoning":0}}} | openai,gpt-4o-mini,350,240,590,,
        LangChain.js llmOutput.tokenUsage | {"msg":"token_usage","time":1762761600000,"llmOutput":{"tokenUsage":{"promptTokens":17,"completionTokens":9,"totalTokens":26}},"response_metadata":{"model_name":"gpt-3.5-turbo-0125"}} | openai,gpt-3.5-turbo-0125,17,9,26,,
        LangChain response_metadata.token_usage | {"event":"token_usage","timestamp":1762761600,"response_metadata":{"token_usage":{"completion_tokens":3,"prompt_tokens":8,"total_tokens":11},"model_name":"gpt-4o-2024-08-06","system_fingerprint":"fp_1"}} | openai,gpt-4o-2024-08-06,8,3,11,,
        Spring AI ChatResponseMetadata | {"@timestamp":"2025-11-10T08:00:00.000Z","message":"token_usage","metadata":{"id":"chatcmpl-1","model":"gpt-4o-mini-2024-07-18","usage":{"promptTokens":25,"completionTokens":7,"totalTokens":32,"nativeUsage":{"prompt_tokens":25}}}} | openai,gpt-4o-mini-2024-07-18,25,7,32,,
        Spring AI 0.8 usage with generationTokens | {"@timestamp":"2025-11-10T08:00:00.000Z","message":"token_usage","model":"mistral-small-latest","usage":{"promptTokens":25,"generationTokens":7,"totalTokens":32}} | mistral,mistral-small-latest,25,7,32,,
        LiteLLM standard logging payload with response_cost | {"event":"token_usage","standard_logging_object":{"id":"chatcmpl-2","call_type":"acompletion","response_cost":0.000123,"status":"success","total_tokens":35,"prompt_tokens":30,"completion_tokens":5,"startTime":1762761600.1,"endTime":1762761601.2,"model":"gpt-4o-mini","model_id":"d1f0","custom_llm_provider":"openai","metadata":{"user_api_key_hash":"88dc"},"cache_hit":false}} | openai,gpt-4o-mini,30,5,35,123,
        OpenTelemetry GenAI attributes as flattened keys | {"msg":"token_usage","time":1762761600000,"gen_ai.system":"openai","gen_ai.provider.name":"azure.ai.openai","gen_ai.request.model":"gpt-4o","gen_ai.response.model":"gpt-4o-2024-11-20","gen_ai.usage.input_tokens":120,"gen_ai.usage.output_tokens":33,"user.id":"3f0e1b2c-4d5e-4f60-8a7b-9c0d1e2f3a01"} | azure.ai.openai,gpt-4o-2024-11-20,120,33,153,,3f0e1b2c-4d5e-4f60-8a7b-9c0d1e2f3a01
        OpenTelemetry GenAI attributes, older gen_ai.system only | {"msg":"token_usage","time":1762761600000,"gen_ai.system":"anthropic","gen_ai.request.model":"claude-3-haiku-20240307","gen_ai.usage.input_tokens":12,"gen_ai.usage.output_tokens":7} | anthropic,claude-3-haiku-20240307,12,7,19,,
        OpenTelemetry GenAI attributes nested in an attributes object | {"msg":"token_usage","time":1762761600000,"attributes":{"gen_ai.request.model":"gpt-4o","gen_ai.usage.input_tokens":5,"gen_ai.usage.output_tokens":1}} | openai,gpt-4o,5,1,6,,
        """)
    void aProviderUsageObjectBecomesTheRowItDescribes(String family, String line, String expected) {
        TokenUsage row = normalizer.normalize(recognizer.recognize(line)).row();

        assertThat(String.join(",", row.provider(), row.model(), String.valueOf(row.promptTokens()),
                String.valueOf(row.completionTokens()), String.valueOf(row.totalTokens()), text(row.costMicros()),
                text(row.userId()))).isEqualTo(expected);
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }
}
