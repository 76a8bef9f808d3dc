package io.usagebackfill.normalize;

import io.usagebackfill.catalog.RejectedLineException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usagebackfill.parse.EventRecognizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Lines as real Node and Python apps write them around LLM calls (winston, structlog, pino, the Vercel AI SDK, the
 * OpenAI and Anthropic usage objects), each with the row it must become. The same shapes are in
 * {@code sample-logs/real-world/shapes.log}.
 */
class RealWorldShapesTest {

    private final EventRecognizer recognizer = new EventRecognizer();
    private final EventNormalizer normalizer = new EventNormalizer(ProviderCatalog.builtIn());

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        winston logger.info('TOKEN_USAGE', meta), OpenAI usage with details | {"level":"info","message":"TOKEN_USAGE","timestamp":"2025-11-10T08:00:01.250Z","model":"gpt-4o-mini","usage":{"prompt_tokens":812,"completion_tokens":95,"total_tokens":907,"prompt_tokens_details":{"cached_tokens":512},"completion_tokens_details":{"reasoning_tokens":0}},"userId":"3f0e1b2c-4d5e-4f60-8a7b-9c0d1e2f3a01"} | openai,gpt-4o-mini,812,95,907,,3f0e1b2c-4d5e-4f60-8a7b-9c0d1e2f3a01,,2025-11-10T08:00:01.250Z
        structlog event, time.time() seconds, Anthropic cache tokens         | {"event": "Token_Usage", "timestamp": 1762761602.437512, "model": "claude-3-5-sonnet-20241022", "usage": {"input_tokens": 1200, "output_tokens": 310, "cache_creation_input_tokens": 100, "cache_read_input_tokens": 2000}, "cost": 0.00825} | anthropic,claude-3-5-sonnet-20241022,3300,310,3610,8250,,,2025-11-10T08:00:02.437512Z
        Vercel AI SDK usage, user object, chatId is not a session            | {"level":30,"time":1762761603100,"msg":"token_usage","provider":"openai","model":"gpt-4o","usage":{"promptTokens":1534,"completionTokens":211,"totalTokens":1745},"user":{"id":"3f0e1b2c-4d5e-4f60-8a7b-9c0d1e2f3a03"},"chatId":"c8a1e7f0-1111-4222-8333-944455566677","costUsd":0.0059450} | openai,gpt-4o,1534,211,1745,5945,3f0e1b2c-4d5e-4f60-8a7b-9c0d1e2f3a03,,2025-11-10T08:00:03.100Z
        Date.now() timestamp, tokenUsage nest, estimatedCost, traceId        | {"event":"token_usage","timestamp":1762761604123,"model":"gemini-1.5-flash-002","tokenUsage":{"promptTokens":640,"completionTokens":128},"estimatedCost":0.0000864,"traceId":"4bf92f3577b34da6a3ce929d0e0e4736"} | google,gemini-1.5-flash-002,640,128,768,86,,,2025-11-10T08:00:04.123Z
        tokens nest, totalCost, offset timestamp, requestId                  | {"level":"info","message":"token_usage","timestamp":"2025-11-10T08:00:05.000+01:00","model":"mistral-large-latest","tokens":{"input_tokens":300,"output_tokens":45},"totalCost":0.000735,"requestId":"9b1c2d3e-4f50-4617-8293-a4b5c6d7e8ff"} | mistral,mistral-large-latest,300,45,345,735,,,2025-11-10T07:00:05Z
        counts as strings, cost already in micro-dollars                     | {"level":30,"time":1762761606000,"msg":"TOKEN_USAGE","model":"llama-3.1-70b-instruct","prompt_tokens":"256","completion_tokens":"64","cost_micros":51} | meta,llama-3.1-70b-instruct,256,64,320,51,,,2025-11-10T08:00:06Z
        cost_usd wins over a bare cost                                       | {"level":30,"time":1762761607000,"msg":"token_usage","provider":"cohere","model":"command-r-plus","input_tokens":980,"output_tokens":120,"cost":0.5,"cost_usd":0.00365} | cohere,command-r-plus,980,120,1100,3650,,,2025-11-10T08:00:07Z
        token_usage nest, unknown extra counts ignored, costMicros           | {"level":30,"time":1762761608000,"msg":"token_usage","model":"deepseek-chat","token_usage":{"prompt_tokens":4096,"completion_tokens":512,"prompt_cache_hit_tokens":2048},"costMicros":717} | deepseek,deepseek-chat,4096,512,4608,717,,,2025-11-10T08:00:08Z
        Python estimated_cost, seconds with a fraction                       | {"event": "token_usage", "timestamp": 1762761609.5, "model": "grok-2-1212", "usage": {"input_tokens": 77, "output_tokens": 33}, "estimated_cost": 0.000319} | xai,grok-2-1212,77,33,110,319,,,2025-11-10T08:00:09.500Z
        camelCase nest with reasoningTokens, nested user id                  | {"level":"info","message":"Token_Usage","timestamp":"2025-11-10T08:00:10.000Z","model":"o3-mini","usage":{"promptTokens":450,"completionTokens":1900,"totalTokens":2350,"reasoningTokens":1600},"user":{"id":"3f0e1b2c-4d5e-4f60-8a7b-9c0d1e2f3a01"}} | openai,o3-mini,450,1900,2350,,3f0e1b2c-4d5e-4f60-8a7b-9c0d1e2f3a01,,2025-11-10T08:00:10Z
        embeddings: no completion tokens                                     | {"event":"token_usage","timestamp":1762761612000,"model":"text-embedding-3-small","usage":{"prompt_tokens":8191,"total_tokens":8191}} | openai,text-embedding-3-small,8191,0,8191,,,,2025-11-10T08:00:12Z
        """)
    void aRealWorldLineBecomesTheRowItDescribes(String shape, String line, String expected) {
        TokenUsage row = normalizer.normalize(recognizer.recognize(line)).row();

        assertThat(String.join(",", row.provider(), row.model(), String.valueOf(row.promptTokens()),
                String.valueOf(row.completionTokens()), String.valueOf(row.totalTokens()), text(row.costMicros()),
                text(row.userId()), text(row.sessionId()), row.createdAt().toString())).isEqualTo(expected);
    }

    @Test
    void aModelThatMapsToNoProviderIsRejectedNamingTheModelAndTheOption() {
        String line = "{\"level\":30,\"time\":1762761600000,\"msg\":\"token_usage\",\"model\":\"acme-lm-7b\","
                + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}";

        assertThatThrownBy(() -> normalizer.normalize(recognizer.recognize(line)))
                .isInstanceOf(RejectedLineException.class)
                .hasMessageContaining("\"acme-lm-7b\"").hasMessageContaining("--provider-map");
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }
}
