package io.usagebackfill.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import io.usagebackfill.catalog.CanonicalTree;
import io.usagebackfill.catalog.FieldCatalog;
import io.usagebackfill.catalog.RejectedLineException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * The streamed event parse keeps exactly the whole tree's members, in normal form, that a lookup can reach: the same nodes
 * (number types and decimal scales included) under every kept name, and the same rejection for a line it cannot
 * read, on every line of the sample logs and on generated lines with hostile values and malformed JSON.
 */
class PrunedPayloadTest {

    private final FieldCatalog catalog = FieldCatalog.builtIn();
    private final JsonPayloads whole = new JsonPayloads();
    private final JsonPayloads pruned = new JsonPayloads(catalog);

    @Test
    void everySampleLogLineParsesToTheWholeTreesLookedUpMembers() throws IOException {
        List<String> lines = sampleLogLines();
        assertThat(lines).hasSizeGreaterThan(300);
        int objects = 0;
        for (String line : lines) {
            String text = line.strip();
            int brace = text.indexOf('{');
            if (brace >= 0) {
                objects += compare(text.substring(brace)) ? 1 : 0;
            }
        }
        assertThat(objects).as("lines whose JSON parsed as an object").isGreaterThan(200);
    }

    @Test
    void generatedLinesWithOddValuesAndBrokenJsonParseAlikeOrFailAlike() {
        Random random = new Random(21);
        String[] values = {"1", "-0", "0.0", "1.50", "1E+2", "1e-7", "12345678901234567890", "2147483648",
                "-9223372036854775809", "0.0000125", "true", "false", "null", "\"\"", "\"x\\u005fy\"", "\"\\q\"",
                "[1,{\"a\":2}]", "{\"prompt_tokens\":3,\"x\":[]}", "{}", "[]", "1e999999999", "\"\\ud83d\\ude00\"",
                "01", "1.", "tru", "\"unterminated", "{\"a\":", "1" + "0".repeat(120)};
        String[] names = {"msg", "model", "usage", "prompt_tokens", "pid", "hostname", "url", "cost_usd", "time",
                "gen_ai.usage.input_tokens", "gen_ai", "@fields", "x", "user_id", "response", "fields"};
        int parsed = 0;
        for (int round = 0; round < 20_000; round++) {
            StringBuilder json = new StringBuilder("{");
            int members = random.nextInt(8);
            for (int i = 0; i < members; i++) {
                json.append(i == 0 ? "" : ",").append('"').append(names[random.nextInt(names.length)]).append("\":")
                        .append(values[random.nextInt(values.length)]);
            }
            json.append(random.nextInt(20) == 0 ? "} {}" : random.nextInt(20) == 0 ? "" : "}");
            parsed += compare(json.toString()) ? 1 : 0;
        }
        assertThat(parsed).as("generated lines that parsed").isBetween(1_000, 19_000);
    }

    @Test
    void aTopLevelValueThatIsNoObjectIsNoPayloadEitherWay() {
        for (String text : List.of("[1,2]", "\"token_usage\"", "42", "null")) {
            assertThat(pruned.parseEvent(text)).isNull();
            assertThat(whole.parseObject(text)).isNull();
        }
    }

    /** True when the text parsed; either way the two parses must agree. */
    private boolean compare(String text) {
        ObjectNode expected;
        try {
            expected = whole.parseObject(text);
        } catch (RejectedLineException e) {
            Throwable thrown = catchThrowable(() -> pruned.parseEvent(text));
            assertThat(thrown).as(text).isInstanceOf(RejectedLineException.class);
            assertThat(thrown.getMessage()).as(text).isEqualTo(e.getMessage());
            return false;
        }
        ObjectNode actual;
        try {
            actual = pruned.parseEvent(text);
        } catch (RejectedLineException e) {
            // A value the whole tree reads but the stream never reads can only be one it skipped, and the stream
            // never reads more than the tree does: so it must not fail where the tree did not.
            throw new AssertionError(text + ": " + e.getMessage(), e);
        }
        if (expected == null) {
            assertThat(actual).as(text).isNull();
            return false;
        }
        ObjectNode lookedUp = CanonicalTree.of(expected);
        lookedUp.propertyNames().stream().filter(name -> !pruned.keptByName(name.split(CanonicalTree.SECOND)[0]) && !lookedUp.get(name).isContainer()
                && !lookedUp.get(name).isNumber()
                && !(lookedUp.get(name).isString() && EventRecognizer.mayBeLine(lookedUp.get(name).stringValue())))
                .toList().forEach(lookedUp::remove);
        assertThat(actual).as(text).isEqualTo(lookedUp);
        return true;
    }

    private static List<String> sampleLogLines() throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("sample-logs"))) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                try (InputStream in = file.toString().endsWith(".gz")
                        ? new GZIPInputStream(Files.newInputStream(file)) : Files.newInputStream(file)) {
                    lines.addAll(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
                }
            }
        }
        return lines;
    }
}
