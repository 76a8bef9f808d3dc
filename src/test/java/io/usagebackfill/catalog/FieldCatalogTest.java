package io.usagebackfill.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.time.ZoneOffset;

import io.usagebackfill.normalize.EventNormalizer;
import io.usagebackfill.normalize.ProviderCatalog;
import io.usagebackfill.normalize.TokenUsage;
import io.usagebackfill.parse.EventRecognizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FieldCatalogTest {

    /** An in-house shape nothing built in reads: its own names, nesting, and a key with a slash in it. */
    private static final String IN_HOUSE = "{\"kind\":\"token_usage\",\"at\":\"2025-11-15T11:00:07Z\","
            + "\"llm\":{\"engine\":\"gpt-4o\",\"vendor\":\"openai\"},"
            + "\"meter\":{\"in/count\":120,\"out/count\":30},\"spend\":{\"usd\":0.0005}}";

    private static final String IN_HOUSE_FIELDS = """
            # acme-llm-gateway logs
            event += kind
            model = llm.engine
            provider = /llm/vendor
            prompt_tokens += /meter/in~1count
            completion_tokens += /meter/out~1count
            cost_usd += spend.usd
            time += at
            """;

    @TempDir
    Path dir;

    @Test
    void anInHouseShapeNothingBuiltInReadsLoadsWithAFieldsFile() throws IOException {
        Path file = Files.writeString(dir.resolve("acme.fields"), IN_HOUSE_FIELDS);
        FieldCatalog catalog = FieldCatalog.withFile(file);

        assertThat(new EventRecognizer().recognize(IN_HOUSE)).isNull();
        TokenUsage row = new EventNormalizer(ProviderCatalog.builtIn(), catalog, ZoneOffset.UTC)
                .normalize(new EventRecognizer(catalog, ZoneOffset.UTC).recognize(IN_HOUSE)).row();

        assertThat(row).extracting(TokenUsage::provider, TokenUsage::model, TokenUsage::promptTokens,
                TokenUsage::completionTokens, TokenUsage::totalTokens, TokenUsage::costMicros)
                .containsExactly("openai", "gpt-4o", 120L, 30L, 150L, 500);
        assertThat(row.createdAt()).hasToString("2025-11-15T11:00:07Z");
    }

    @Test
    void equalsReplacesAFieldsPathsAndPlusEqualsTriesItsPathsFirst() {
        FieldCatalog catalog = FieldCatalog.builtIn().overlaid("model = engine\ntime += at, when", "test");

        assertThat(catalog.describe("model")).isEqualTo("engine");
        assertThat(catalog.describe("time")).startsWith("at, when, time, timestamp");
        assertThat(catalog.describe("provider")).isEqualTo(FieldCatalog.builtIn().describe("provider"));
    }

    @Test
    void thePrintedCatalogReadsBackAsTheSameCatalog() {
        FieldCatalog builtIn = FieldCatalog.builtIn();
        FieldCatalog reread = builtIn.overlaid(builtIn.print(), "printed");

        for (String field : FieldCatalog.FIELDS) {
            assertThat(reread.describe(field)).as(field).isEqualTo(builtIn.describe(field)).isNotEmpty();
        }
        assertThat(builtIn.print()).contains("prompt_stems = prompt, input, input_text")
                .contains("# ").doesNotEndWith("\n\n");
    }

    @Test
    void aLineThatIsNotAFieldMapIsRefusedNamingTheFileAndLine() {
        assertThatThrownBy(() -> FieldCatalog.builtIn().overlaid("# fine\nmodle = name", "--fields x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--fields x line 2 is \"modle = name\"; write \"field = path, path\"");
        assertThatThrownBy(() -> FieldCatalog.builtIn().overlaid("model = a..b", "--fields x"))
                .hasMessageContaining("line 1").hasMessageContaining("not a dotted path");
        assertThatThrownBy(() -> FieldCatalog.builtIn().overlaid("prompt_tokens = a + b.c", "--fields x"))
                .hasMessageContaining("after + come the names of fields beside the first one");
        assertThatThrownBy(() -> FieldCatalog.builtIn().overlaid("prompt_tokens = a + ", "--fields x"))
                .hasMessageContaining("line 1").hasMessageContaining("after + come the names");
        assertThatThrownBy(() -> FieldCatalog.builtIn().overlaid("model = ", "--fields x"))
                .hasMessageContaining("line 1 gives model no path");
        assertThatThrownBy(() -> FieldCatalog.builtIn().overlaid("model = /llm/~2x", "--fields x"))
                .hasMessageContaining("line 1").hasMessageContaining("not a JSON Pointer");
        assertThatThrownBy(() -> FieldCatalog.builtIn().overlaid("model = a\n\nmodel += b", "--fields x"))
                .hasMessageContaining("line 3 sets model again (line 1 did)");
        assertThat(FieldCatalog.builtIn().overlaid("model = /llm/~1x~0y", "--fields x").paths("model"))
                .hasSize(1);
    }

    @Test
    void aDottedPathFindsNestedObjectsDottedKeysAndAttributesThatRepeatTheirObjectsNameInAnyLetterCase() {
        FieldPath path = FieldPath.parse("gen_ai.usage.input_tokens");
        var json = tools.jackson.databind.json.JsonMapper.builder().build();

        for (String event : List.of("{\"gen_ai.usage.input_tokens\":1}", "{\"gen_ai\":{\"usage\":{\"input_tokens\":1}}}",
                "{\"gen_ai\":{\"usage.input_tokens\":1}}", "{\"genAi\":{\"Usage\":{\"InputTokens\":1}}}",
                "{\"gen_ai\":{\"gen_ai.usage.input_tokens\":1}}", "{\"_gen_ai\":{\"usage\":{\"input-tokens\":1}}}")) {
            var tree = CanonicalTree.of((tools.jackson.databind.node.ObjectNode) json.readTree(event));
            assertThat(path.find(tree)).as(event).isNotNull();
            assertThat(path.find(tree).value().intValue()).as(event).isEqualTo(1);
        }
        assertThat(path.find(CanonicalTree.of((tools.jackson.databind.node.ObjectNode) json.readTree(
                "{\"gen_ai.usage\":{\"input_tokens\":null}}")))).isNull();
    }
}
