package io.usagebackfill.normalize;

import io.usagebackfill.catalog.RejectedLineException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PriceListTest {

    private static final PriceList SAMPLE = PriceList.read(Path.of("jobs", "prices.csv"));

    @ParameterizedTest(name = "{0} {1} {2}+{3} tokens -> {4}")
    @CsvSource(nullValues = "null", value = {
        "openai,gpt-4o,1000,100,3500",                 // 1000 x 2.50 + 100 x 10.00
        "openai,gpt-4o-2024-08-06,1000,100,3500",      // a dated version is priced as its model
        "openai,gpt-4o-mini,1000,100,210",             // the longest match wins: not priced as gpt-4o
        "OpenAI,GPT-4o-mini,1000,100,210",             // letter case does not matter
        "google,gemini-1.5-flash,3,1,1",               // 0.225 + 0.30 = 0.525 micro-dollars, half up
        "google,gemini-1.5-flash,2,0,0",               // 0.15 rounds down
        "openai,gpt-4oz,1000,100,null",                // a prefix must end at a dash
        "azure,gpt-4o,1000,100,null",                  // another provider's price is not this one's
        "anthropic,claude-3-5-sonnet-20241022,0,0,0",
        "openai,gpt-4o-realtime-preview,1000,100,null", // another model whose name begins with a listed one
        "openai,gpt-4o-audio-preview,1000,100,null",
        "google,gemini-1.5-flash-8b,1000,100,null",
        "google,gemini-1.5-flash-002,2,0,0",           // a numbered snapshot is the model
        "anthropic,claude-3-5-sonnet@20240620,0,0,0",  // Vertex AI's snapshot name
        "anthropic,claude-3-5-sonnet-20240620-v1:0,0,0,0", // Bedrock's
        "anthropic,anthropic.claude-3-5-sonnet-20240620-v1:0,0,0,0", // Bedrock's id as it logs it
        "anthropic,us.anthropic.claude-3-5-sonnet-20240620-v1:0,0,0,0", // and a cross-region one
        "openai,gpt-4o-2024,1000,100,null",            // not a date
        "openai,gpt-4o-2024-13-45,1000,100,null",
        "google,gemini-1.5-flash-0020,1000,100,null",
        "openai,gpt-4o-0806,1000,100,3500"})           // a month and day, as gpt-4-0613
    void anEventIsPricedByItsProviderAndTheLongestMatchingModel(String provider, String model, int in, int out,
            Integer micros) {
        assertThat(SAMPLE.estimateMicros(provider, model, in, out)).isEqualTo(micros);
    }

    @Test
    void anEstimateBeyondTheIntColumnRejectsTheEvent() {
        assertThatThrownBy(() -> SAMPLE.estimateMicros("anthropic", "claude-3-5-sonnet", 2_000_000_000, 2_000_000_000))
                .isInstanceOf(RejectedLineException.class).hasMessageContaining("beyond what cost_usd");
    }

    @Test
    void aMalformedLineIsRefusedNamingTheOptionFileAndLine(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("prices.csv");
        Files.writeString(file, "provider,model,usd_per_million_input,usd_per_million_output\n"
                + "openai,gpt-4o,2.50,10.00\nopenai,gpt-4o-mini,cheap,0.60\n");

        assertThatThrownBy(() -> PriceList.read(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--prices " + file + " line 3 ");
    }
}
