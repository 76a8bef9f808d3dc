package io.usagebackfill.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import io.usagebackfill.support.BackfillCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code explain} as a user with an in-house shape meets it: how a line was read and which key gave each column, the
 * reason an event is rejected with its keys as logged and a {@code --fields} line that reads it, and that line tried
 * with {@code --fields} giving the row.
 */
class ExplainCommandTest {

    private static final String IN_HOUSE = "{\"kind\":\"token_usage\",\"at\":\"2025-11-15T11:00:07Z\",\"llm\":{\"engine\":"
            + "\"gpt-4o\",\"vendor\":\"openai\"},\"meter\":{\"InCount\":120,\"OutCount\":30}}";

    @TempDir
    Path dir;

    @Test
    void aLineOfAFileIsShownWithItsWrappersItsRowAndTheKeyOfEachColumn() throws IOException {
        Path log = dir.resolve("app.log.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(log))) {
            out.write(("plain line\n{\"log\":\"{\\\"time\\\":1762682400123,\\\"msg\\\":\\\"token_usage\\\",\\\"model\\\":"
                    + "\\\"gpt-4o\\\",\\\"usage\\\":{\\\"input_tokens\\\":12,\\\"output_tokens\\\":3}}\\n\",\"stream\":"
                    + "\"stdout\",\"time\":\"2025-11-09T10:00:00.5Z\"}\n").getBytes(StandardCharsets.UTF_8));
        }

        BackfillCli.Outcome shown = BackfillCli.captureWithoutDatabase("explain", log + ":2", log + ":1");

        assertThat(shown.exit()).as(shown.printed()).isZero();
        assertThat(shown.stdout()).contains("read as: a Docker json-file wrapper (its log text is the app's line)"
                + " → a JSON object")
                .contains("row: provider=openai model=gpt-4o prompt_tokens=12 completion_tokens=3 total_tokens=15")
                .contains("created_at=2025-11-09T10:00:00.123Z")
                .contains("model ← model = \"gpt-4o\"")
                .contains("provider ← inferred from the model's name")
                .contains("prompt_tokens ← usage.input_tokens=12")
                .contains(log + ":1: the line does not mention token_usage");
    }

    @Test
    void anInHouseShapeIsShownWhatToNameAndThenReadWithThoseFields() throws IOException {
        BackfillCli.Outcome shown = withStandardInput(IN_HOUSE + "\n", "explain", "-");

        assertThat(shown.stdout()).contains("stdin:1").contains("not an event")
                .contains("name that field in a --fields file: event += kind");
        Path named = Files.writeString(dir.resolve("named.fields"), "event += kind\n");
        BackfillCli.Outcome rejected = withStandardInput(IN_HOUSE + "\n", "explain", "--fields", named.toString(),
                "-");
        assertThat(rejected.stdout()).contains("rejected: the event names token_usage but holds neither a model nor a"
                + " token count").contains("keys as logged: kind, at, llm.engine, llm.vendor, meter.InCount,"
                + " meter.OutCount").contains("prompt_tokens += meter.InCount")
                .contains("completion_tokens += meter.OutCount").contains("model += <path of the model's name>");

        Path fields = Files.writeString(dir.resolve("acme.fields"), "event += kind\nmodel += llm.engine\n"
                + "provider += llm.vendor\ntime += at\nprompt_tokens += meter.InCount\n"
                + "completion_tokens += meter.OutCount\n");
        BackfillCli.Outcome read = withStandardInput(IN_HOUSE + "\n", "explain", "--fields", fields.toString(), "-");

        assertThat(read.stdout()).contains("row: provider=openai model=gpt-4o prompt_tokens=120 completion_tokens=30"
                + " total_tokens=150").contains("created_at=2025-11-15T11:00:07Z");
    }

    @Test
    void countsUnderUnknownNamesAreSuggestedByWhatTheirNamesSay() {
        BackfillCli.Outcome shown = withStandardInput("{\"msg\":\"token_usage\",\"time\":1762682400123,\"model\":"
                + "\"gpt-4o\",\"meter\":{\"Out-Units\":30,\"In-Units\":120,\"All\":150}}\n", "explain", "-");

        assertThat(shown.stdout()).contains("no token counts")
                .contains("prompt_tokens += meter.In-Units").contains("completion_tokens += meter.Out-Units")
                .contains("numbers it could not tell: meter.All");
    }

    @Test
    void aMissingFileIsAConfigurationErrorNamingIt() {
        BackfillCli.Outcome shown = BackfillCli.captureWithoutDatabase("explain", dir.resolve("nope.log") + ":3");

        assertThat(shown.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(shown.stderr()).contains("nope.log is not a readable file");
    }

    private static BackfillCli.Outcome withStandardInput(String text, String... args) {
        InputStream in = System.in;
        System.setIn(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        try {
            return BackfillCli.captureWithoutDatabase(args);
        } finally {
            System.setIn(in);
        }
    }
}
