package io.usagebackfill.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The "From event to row" and "What real apps log" tables of {@code docs/log-formats.md} name the catalog's paths
 * and rules: a path or stem added to or dropped from {@code fields.catalog} fails this test until the page says the
 * same, and a name the page says is read must be one the catalog reads (in normal form, or by the count stems).
 */
class LogFormatsDocTest {

    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    private static final Map<String, List<String>> COLUMN_FIELDS = Map.of("user_id", List.of("user_id"),
            "session_id", List.of("session_id"), "provider", List.of("provider"), "model", List.of("model"),
            "prompt_tokens", List.of("prompt_tokens", "prompt_stems", "prompt_extra_stems", "prompt_detail_stems"),
            "completion_tokens", List.of("completion_tokens", "completion_stems", "completion_extra_stems",
                    "completion_detail_stems"),
            "total_tokens", List.of("total_tokens", "total_stems"), "cost_usd", List.of("cost_micros", "cost_usd"),
            "created_at", List.of("time", "time_seconds", "time_nanos"),
            "(the event)", List.of("event", "event_suffixes", "envelope", "usage", "token_suffixes"));

    private final FieldCatalog catalog = FieldCatalog.builtIn();

    @Test
    void fromEventToRowListsEveryPathOfTheCatalogInItsOrder() throws IOException {
        List<String[]> rows = table("## 5. From event to row");

        assertThat(rows).extracting(row -> row[0].replace("`", "")).containsExactlyInAnyOrderElementsOf(
                COLUMN_FIELDS.keySet());
        for (String[] row : rows) {
            List<String> expected = new ArrayList<>();
            COLUMN_FIELDS.get(row[0].replace("`", "")).forEach(field ->
                    catalog.paths(field).forEach(path -> expected.add(path.text())));
            assertThat(code(row[1])).as(row[0]).isEqualTo(expected);
        }
    }

    @Test
    void whatRealAppsLogNamesOnlyPathsTheCatalogHas() throws IOException {
        Set<String> known = new HashSet<>();
        FieldCatalog.FIELDS.forEach(field -> catalog.paths(field).forEach(path -> known.add(
                String.join(".", FieldPath.parse(path.name()).steps()))));
        List<String[]> rows = table("## 6. What real apps log");

        assertThat(rows).hasSizeGreaterThan(10);
        for (String[] row : rows) {
            assertThat(code(row[2])).as(row[0]).isNotEmpty().allSatisfy(path -> {
                List<String> steps = FieldPath.parse(path).steps();
                boolean byStem = catalog.countNames().role(steps.get(steps.size() - 1), false)
                        != CountNames.Role.NONE;
                assertThat(byStem || known.contains(String.join(".", steps))).as(path).isTrue();
            });
        }
    }

    private static List<String> code(String cell) {
        List<String> found = new ArrayList<>();
        Matcher m = CODE.matcher(cell);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    /** The body rows of the first table after {@code heading}, split into cells. */
    private static List<String[]> table(String heading) throws IOException {
        String readme = Files.readString(Path.of("docs/log-formats.md"));
        int at = readme.indexOf(heading + "\n");
        assertThat(at).as(heading).isNotNegative();
        List<String[]> rows = new ArrayList<>();
        boolean inTable = false;
        for (String line : readme.substring(at).split("\n")) {
            if (line.startsWith("|")) {
                if (inTable && !line.startsWith("|---")) {
                    String[] cells = line.substring(1, line.length() - 1).split(" \\| ", -1);
                    rows.add(java.util.Arrays.stream(cells).map(String::strip).toArray(String[]::new));
                }
                inTable = true;
            } else if (inTable) {
                break;
            }
        }
        return rows;
    }
}
