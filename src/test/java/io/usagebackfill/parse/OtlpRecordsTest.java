package io.usagebackfill.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.usagebackfill.normalize.EventNormalizer;
import io.usagebackfill.normalize.ProviderCatalog;
import io.usagebackfill.catalog.RejectedLineException;
import io.usagebackfill.normalize.TokenUsage;
import org.junit.jupiter.api.Test;

class OtlpRecordsTest {

    /** Written by @opentelemetry/sdk-logs 0.223 through its OTLP/HTTP JSON exporter (intValue as a number). */
    static final String SDK_EXPORT = "{\"resourceLogs\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
            + "\"value\":{\"stringValue\":\"chat-api\"}}],\"droppedAttributesCount\":0},\"scopeLogs\":[{\"scope\":"
            + "{\"name\":\"llm-usage\",\"version\":\"1.0.0\"},\"logRecords\":[{\"timeUnixNano\":\"1796103645372000000\","
            + "\"observedTimeUnixNano\":\"1796103645372000000\",\"severityText\":\"INFO\",\"body\":{\"stringValue\":"
            + "\"token_usage\"},\"attributes\":[{\"key\":\"gen_ai.system\",\"value\":{\"stringValue\":\"openai\"}},"
            + "{\"key\":\"gen_ai.provider.name\",\"value\":{\"stringValue\":\"openai\"}},{\"key\":"
            + "\"gen_ai.request.model\",\"value\":{\"stringValue\":\"gpt-4o\"}},{\"key\":\"gen_ai.response.model\","
            + "\"value\":{\"stringValue\":\"gpt-4o-2024-08-06\"}},{\"key\":\"gen_ai.usage.input_tokens\",\"value\":"
            + "{\"intValue\":120}},{\"key\":\"gen_ai.usage.output_tokens\",\"value\":{\"intValue\":33}},{\"key\":"
            + "\"user.id\",\"value\":{\"stringValue\":\"3f0e1b2c-4d5e-4f60-8a7b-9c0d1e2f3a01\"}}],"
            + "\"droppedAttributesCount\":0},{\"timeUnixNano\":\"1796103645373000000\",\"observedTimeUnixNano\":"
            + "\"1796103645373000000\",\"severityText\":\"INFO\",\"body\":{\"stringValue\":\"token_usage\"},"
            + "\"attributes\":[{\"key\":\"gen_ai.provider.name\",\"value\":{\"stringValue\":\"aws.bedrock\"}},{\"key\":"
            + "\"gen_ai.request.model\",\"value\":{\"stringValue\":\"anthropic.claude-3-haiku-20240307-v1:0\"}},"
            + "{\"key\":\"gen_ai.usage.input_tokens\",\"value\":{\"intValue\":12}},{\"key\":"
            + "\"gen_ai.usage.output_tokens\",\"value\":{\"intValue\":7}}],\"droppedAttributesCount\":0},"
            + "{\"timeUnixNano\":\"1796103645373000000\",\"observedTimeUnixNano\":\"1796103645373000000\","
            + "\"severityText\":\"ERROR\",\"body\":{\"stringValue\":\"could not write token_usage row\"},\"attributes\":"
            + "[{\"key\":\"error.type\",\"value\":{\"stringValue\":\"db\"}}],\"droppedAttributesCount\":0},"
            + "{\"timeUnixNano\":\"1796103645373000000\",\"observedTimeUnixNano\":\"1796103645373000000\","
            + "\"severityText\":\"INFO\",\"body\":{\"stringValue\":\"cache hit\"},\"attributes\":[],"
            + "\"droppedAttributesCount\":0}]}]}]}";

    /** As the collector's file exporter writes records: intValue as a string, a map body, eventName. */
    static final String COLLECTOR_EXPORT = "{\"resourceLogs\":[{\"resource\":{\"attributes\":[{\"key\":"
            + "\"gen_ai.provider.name\",\"value\":{\"stringValue\":\"gcp.gemini\"}}]},\"scopeLogs\":[{\"scope\":{},"
            + "\"logRecords\":[{\"timeUnixNano\":\"1763204407463000000\",\"eventName\":\"token_usage\",\"body\":"
            + "{\"kvlistValue\":{\"values\":[{\"key\":\"gen_ai.response.model\",\"value\":{\"stringValue\":"
            + "\"gemini-2.5-flash\"}},{\"key\":\"gen_ai.usage.input_tokens\",\"value\":{\"intValue\":\"1021\"}},"
            + "{\"key\":\"gen_ai.usage.output_tokens\",\"value\":{\"intValue\":\"528\"}}]}},\"traceId\":\"\","
            + "\"spanId\":\"\"}]}]}]}";

    private final EventRecognizer recognizer = new EventRecognizer();
    private final EventNormalizer normalizer = new EventNormalizer(ProviderCatalog.builtIn());

    @Test
    void eachRecordNamedTokenUsageBecomesItsOwnEventWithItsOwnId() {
        List<byte[]> records = OtlpRecords.split(SDK_EXPORT.getBytes(StandardCharsets.UTF_8));

        assertThat(records).hasSize(3);
        List<TokenUsage> rows = records.stream().map(r -> recognizer.recognize(new String(r, StandardCharsets.UTF_8)))
                .filter(e -> e != null).map(e -> normalizer.normalize(e).row())
                .toList();
        assertThat(rows).extracting(TokenUsage::provider, TokenUsage::model, TokenUsage::promptTokens,
                TokenUsage::completionTokens).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("openai", "gpt-4o-2024-08-06", 120L, 33L),
                        org.assertj.core.groups.Tuple.tuple("aws.bedrock", "anthropic.claude-3-haiku-20240307-v1:0",
                                12L, 7L));
        assertThat(rows.get(0).createdAt()).hasToString("2026-12-01T05:40:45.372Z");
        assertThat(rows.get(0).userId()).hasToString("3f0e1b2c-4d5e-4f60-8a7b-9c0d1e2f3a01");
        assertThat(rows.get(0).id()).isNotEqualTo(rows.get(1).id());
        assertThat(recognizer.recognize(new String(records.get(2), StandardCharsets.UTF_8))).isNull();
    }

    @Test
    void theCollectorsFormWithStringIntegersAMapBodyAndResourceAttributesIsRead() {
        List<byte[]> records = OtlpRecords.split(COLLECTOR_EXPORT.getBytes(StandardCharsets.UTF_8));
        TokenUsage row = normalizer.normalize(recognizer.recognize(new String(records.get(0),
                StandardCharsets.UTF_8))).row();

        assertThat(row).extracting(TokenUsage::provider, TokenUsage::model, TokenUsage::promptTokens,
                TokenUsage::completionTokens, TokenUsage::totalTokens)
                .containsExactly("gcp.gemini", "gemini-2.5-flash", 1021L, 528L, 1549L);
        assertThat(row.createdAt()).hasToString("2025-11-15T11:00:07.463Z");
    }

    @Test
    void aLineThatIsNotAnExportRequestIsNotSplit() {
        assertThat(OtlpRecords.split("{\"msg\":\"token_usage\"}".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(OtlpRecords.split("{\"resourceLogs\":[".getBytes(StandardCharsets.UTF_8))).isNull();
    }

    @Test
    void anExportOfSeveralRecordsThatWasNotSplitIsRejectedNotHalfRead() {
        assertThatThrownBy(() -> recognizer.recognize(SDK_EXPORT)).isInstanceOf(RejectedLineException.class)
                .hasMessageContaining("holds 4 log records");
    }
}
