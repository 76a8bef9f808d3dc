package io.usagebackfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.usagebackfill.support.BackfillCli;
import io.usagebackfill.support.Chromium;
import io.usagebackfill.support.DatabaseExtension;
import io.usagebackfill.support.TokenEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code --report-html} opened in a real browser (Debian's chromium, headless): what the page shows is what the JSON
 * report of the same run says, a day without rows is a gap, a re-run's page shows the rows already there, and a
 * hostile log cannot put markup on it.
 */
class HtmlReportIT {

    @RegisterExtension
    static final DatabaseExtension DB = DatabaseExtension.withFreshTable();

    private static final Pattern FIELD = Pattern.compile("data-field=\"([^\"]+)\"[^>]*>([^<]*)<");
    private static final Pattern DAY_BAR = Pattern.compile(
            "<g class=\"day\" data-day=\"([0-9-]+)\" data-rows=\"(\\d+)\" data-inserted=\"(\\d+)\">");
    private static final Pattern DAY_ROW = Pattern.compile(
            "data-day=\"([0-9-]+)\"><td>[0-9-]+</td><td>([\\d,]+)</td><td>([\\d,]+)</td><td>([\\d,]+)</td>");
    private static final Pattern MODEL_ROW = Pattern.compile(
            "<tr data-model=\"[^\"]*\"><td>([^<]*)</td><td>([\\d,]+)</td><td>([\\d,]+)</td>.*?<td>\\$([\\d.]+)</td></tr>");
    private static final Pattern REASON_ROW = Pattern.compile("<td class=\"reason\">([^<]*)</td><td>([\\d,]+)</td>");

    @TempDir
    Path dir;

    @Test
    void whatThePageShowsIsTheJsonReportsOwnAndADayWithoutRowsIsAGap() throws Exception {
        Chromium chromium = new Chromium(dir);
        Path logs = logs(List.of("2025-11-09", "2025-11-10", "2025-11-13"), false);

        JsonNode report = importWithPage(logs, "first");
        String dom = chromium.dom(dir.resolve("first.html"));

        assertShowsTheReport(dom, report);
        assertThat(count(dom, "<rect class=\"gap\"")).as("11th and 12th").isEqualTo(1);
        assertThat(dom).contains("2 days have no rows: 2025-11-11 to 2025-11-12 (2 days).");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("first.html"))))
                .isEqualTo("rw-------");
        chromium.screenshot(dir.resolve("first.html"), dir.resolve("first.png"), 1000, 1400);
        assertThat(Files.size(dir.resolve("first.png"))).isGreaterThan(10_000);
    }

    @Test
    void aReRunsPageShowsTheRowsAlreadyInTheTable() throws Exception {
        Chromium chromium = new Chromium(dir);
        Path logs = logs(List.of("2025-11-09", "2025-11-10"), false);
        importWithPage(logs, "first");

        JsonNode again = importWithPage(logs, "again");
        String dom = chromium.dom(dir.resolve("again.html"));

        assertShowsTheReport(dom, again);
        assertThat(again.get("inserted").asLong()).isZero();
        assertThat(again.get("perDay").size()).isEqualTo(2);
        assertThat(count(dom, "<rect class=\"there\"")).isEqualTo(2);
        assertThat(count(dom, "<rect class=\"inserted\"")).isZero();
    }

    @Test
    void aHostileLogCannotPutMarkupOnThePage() throws Exception {
        Chromium chromium = new Chromium(dir);
        Path logs = logs(List.of("2025-11-09"), true);

        JsonNode report = importWithPage(logs, "hostile");
        String dom = chromium.dom(dir.resolve("hostile.html"));

        assertShowsTheReport(dom, report);
        assertThat(report.get("models").toString()).contains("<img src=x onerror=alert(1)>");
        assertThat(dom).doesNotContain("<img").doesNotContain("<script").doesNotContain("<svg onload")
                .doesNotContain("<b>").contains("&lt;img src=x onerror=alert(1)&gt;")
                .contains("&lt;/td&gt;&lt;script&gt;alert(2)&lt;/script&gt;");
        assertThat(count(dom, "<svg")).as("the chart's own").isEqualTo(1);
    }

    private JsonNode importWithPage(Path logs, String name) throws IOException {
        Path html = dir.resolve(name + ".html");
        Path json = dir.resolve(name + ".json");
        BackfillCli.Outcome outcome = DB.cli().capture("import", "--report-json", json.toString(), "--report-html",
                html.toString(), "--rejects", dir.resolve(name + ".rejects.log").toString(), logs.toString());
        assertThat(outcome.exit()).as(outcome.printed()).isZero();
        return BackfillCli.readJson(json);
    }

    private static void assertShowsTheReport(String dom, JsonNode report) {
        Matcher field = FIELD.matcher(dom);
        int fields = 0;
        while (field.find()) {
            fields++;
            assertFieldShows(field.group(1), unescape(field.group(2)), report);
        }
        assertThat(fields).isGreaterThan(20);
        Map<String, Long> perDay = counts(report.get("perDay"));
        Map<String, Long> inserted = counts(report.get("perDayInserted"));
        Map<String, long[]> bars = new HashMap<>();
        Matcher bar = DAY_BAR.matcher(dom);
        while (bar.find()) {
            bars.put(bar.group(1), new long[] {Long.parseLong(bar.group(2)), Long.parseLong(bar.group(3))});
        }
        assertThat(bars).as("a bar for each day of perDay").hasSameSizeAs(perDay);
        perDay.forEach((day, rows) -> assertThat(bars.get(day)).as(day)
                .containsExactly(rows, inserted.getOrDefault(day, 0L)));
        Matcher row = DAY_ROW.matcher(dom);
        List<String> days = new ArrayList<>();
        while (row.find()) {
            days.add(row.group(1));
            assertThat(number(row.group(2))).as(row.group(1)).isEqualTo(perDay.getOrDefault(row.group(1), 0L));
            assertThat(number(row.group(3))).as(row.group(1)).isEqualTo(inserted.getOrDefault(row.group(1), 0L));
        }
        if (!perDay.isEmpty()) {
            LocalDate first = LocalDate.parse(perDay.keySet().stream().sorted().findFirst().orElseThrow());
            LocalDate last = LocalDate.parse(perDay.keySet().stream().sorted().reduce((a, b) -> b).orElseThrow());
            assertThat(days).as("every day from the first to the last").hasSize((int) (last.toEpochDay()
                    - first.toEpochDay() + 1));
        }
        assertModelsAndReasons(dom, report);
    }

    private static void assertModelsAndReasons(String dom, JsonNode report) {
        List<String> shown = new ArrayList<>();
        Matcher model = MODEL_ROW.matcher(dom);
        while (model.find()) {
            shown.add(unescape(model.group(1)) + " " + number(model.group(2)) + " " + number(model.group(3)) + " "
                    + new BigDecimal(model.group(4)).stripTrailingZeros().toPlainString());
        }
        List<String> reported = new ArrayList<>();
        report.get("models").forEach(m -> reported.add(m.get("model").asString() + " " + m.get("calls").asLong() + " "
                + m.get("tokens").asLong() + " " + m.get("costUsd").decimalValue().stripTrailingZeros()
                .toPlainString()));
        assertThat(shown).isEqualTo(reported);
        Map<String, Long> reasons = new HashMap<>();
        Matcher reason = REASON_ROW.matcher(dom);
        while (reason.find()) {
            reasons.put(unescape(reason.group(1)), number(reason.group(2)));
        }
        assertThat(reasons).isEqualTo(counts(report.get("rejectReasons")));
    }

    private static void assertFieldShows(String name, String shown, JsonNode report) {
        JsonNode value = report;
        for (String part : name.split("\\.")) {
            value = value.get(part);
        }
        assertThat(value).as(name + " in the JSON report").isNotNull();
        if (name.equals("durationMs")) {
            assertThat(Double.parseDouble(shown.replace(" s", "")) * 1000).as(name)
                    .isCloseTo(value.asDouble(), within(50.0));
        } else if (value.isNumber()) {
            assertThat(new BigDecimal(shown.replace(",", "").replace("$", ""))).as(name)
                    .isEqualByComparingTo(value.decimalValue());
        } else if (name.endsWith("CreatedAt")) {
            assertThat(Instant.parse(shown)).as(name).isEqualTo(Instant.parse(value.asString()));
        } else {
            assertThat(shown).as(name).isEqualTo(value.asString());
        }
    }

    private static Map<String, Long> counts(JsonNode object) {
        Map<String, Long> counts = new HashMap<>();
        object.properties().forEach(e -> counts.put(e.getKey(), e.getValue().asLong()));
        return counts;
    }

    private static long number(String shown) {
        return Long.parseLong(shown.replace(",", ""));
    }

    private static String unescape(String html) {
        return html.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&nbsp;", "\u00a0").replace("&amp;", "&");
    }

    private static int count(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }

    /**
     * Three events on each day, the second of the first day logged twice (two calls alike), a line whose
     * prompt_tokens is no count; {@code hostile}: models and rejected values that are markup.
     */
    private Path logs(List<String> days, boolean hostile) throws IOException {
        List<String> lines = new ArrayList<>();
        int i = 0;
        for (String day : days) {
            for (int k = 0; k < 3; k++, i++) {
                long at = Instant.parse(day + "T10:00:00Z").toEpochMilli() + k * 60_000L;
                lines.add(TokenEvents.pino(i).replace("\"time\":" + TokenEvents.time(i).toEpochMilli(), "\"time\":" + at));
            }
        }
        lines.add(lines.get(1));
        lines.add(TokenEvents.pino(90).replace("\"prompt_tokens\":100", "\"prompt_tokens\":\"100x\""));
        if (hostile) {
            lines.add(TokenEvents.pino(91).replace("gpt-4o-mini", "<img src=x onerror=alert(1)>"));
            lines.add(TokenEvents.pino(92).replace("gpt-4o-mini", "gpt-4o</td><script>alert(2)</script>"));
            lines.add(TokenEvents.pino(94).replace("\"completion_tokens\":", "\"completion_tokens\":\"<b>")
                    .replace(",\"cost_usd\"", "</b>\",\"cost_usd\""));
            lines.add(TokenEvents.pino(93).replace("\"msg\":\"token_usage\"",
                    "\"msg\":\"token_usage\",\"user_id\":\"\\\"><svg onload=alert(3)>\""));
        }
        Path file = dir.resolve("app-" + System.nanoTime() + ".log");
        Files.write(file, lines);
        return file;
    }
}
