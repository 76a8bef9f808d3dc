package io.usagebackfill.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.usagebackfill.reject.RejectExample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {

    private static final Instant MADE = Instant.parse("2025-12-07T02:16:00Z");

    @Test
    void everyFigureIsTheReportsOwnInAnElementNamingItsJsonField() {
        String page = HtmlReport.render(SampleReports.completed(), MADE);

        assertThat(field(page, "linesRead")).isEqualTo("40");
        assertThat(field(page, "events")).isEqualTo("12");
        assertThat(field(page, "inserted")).isEqualTo("5");
        assertThat(field(page, "alreadyInTable")).isEqualTo("3");
        assertThat(field(page, "duplicatesInInput")).isEqualTo("1");
        assertThat(field(page, "rejected")).isEqualTo("2");
        assertThat(field(page, "outsideWindow")).isEqualTo("1");
        assertThat(field(page, "window")).isEqualTo("2025-11-01T00:00:00Z to 2025-12-01T00:00:00Z");
        assertThat(field(page, "reconciliation.readTokens")).isEqualTo("150");
        assertThat(field(page, "reconciliation.loadedCostUsd")).isEqualTo("$0.001500");
    }

    @Test
    void aDayWithoutRowsIsAGapInTheChartAndIsNamed() {
        String page = HtmlReport.render(SampleReports.completed(), MADE);

        assertThat(count(page, "<g class=\"day\"")).as("a bar per day with rows").isEqualTo(3);
        assertThat(count(page, "<rect class=\"gap\"")).as("one gap: the 3rd and the 4th").isEqualTo(1);
        assertThat(page).contains("<title>no rows: 2025-11-03 to 2025-11-04 (2 days)</title>")
                .contains("2 days have no rows: 2025-11-03 to 2025-11-04 (2 days).")
                .contains("<tr class=\"empty\" data-day=\"2025-11-03\">");
    }

    @Test
    void aReRunsChartShowsTheRowsAlreadyInTheTable() {
        RunReport again = SampleReports.completed(List.of(), Map.of("2025-11-01", 4L), Map.of(), Map.of(), Map.of(),
                List.of());

        String page = HtmlReport.render(again, MADE);

        assertThat(page).contains("<g class=\"day\" data-day=\"2025-11-01\" data-rows=\"4\" data-inserted=\"0\">")
                .contains("2025-11-01: 4 rows (0 inserted, 4 already in the table)")
                .contains("<rect class=\"there\"").doesNotContain("<rect class=\"inserted\"")
                .contains("inserted no rows, so there is nothing to show by model");
    }

    @Test
    void valuesFromTheLogsAreShownAsTextNeverAsMarkup() {
        String hostile = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>";
        RunReport report = SampleReports.completed(
                List.of(new RunReport.ModelRow(hostile, 1, 10, BigDecimal.ONE)), Map.of("2025-11-01", 1L),
                Map.of("2025-11-01", 1L), Map.of(hostile, 1L),
                Map.of(hostile, new RejectExample("/logs/</pre><iframe src=x>.log", 1, hostile,
                        "</pre><iframe src=x></iframe>\u0000")), List.of("note " + hostile));

        String page = HtmlReport.render(report, MADE);

        assertThat(page).doesNotContain("<script").doesNotContain("<img").doesNotContain("<iframe")
                .doesNotContain("</pre><iframe").doesNotContain("\u0000")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;")
                .contains("data-model=\"&lt;script&gt;");
    }

    @Test
    void thePageFetchesNothing() {
        String page = HtmlReport.render(SampleReports.completed(), MADE);

        assertThat(page).doesNotContain("src=").doesNotContain("href=").doesNotContain("url(")
                .doesNotContain("@import").doesNotContain("http:").doesNotContain("https:")
                .contains("<style>").contains("<svg class=\"chart\"");
    }

    @Test
    void thePageIsReadableByItsOwnerOnlyAndNamesItsExecution(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("report.html");

        HtmlReport.write(SampleReports.completed(), file, MADE);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(HtmlReport.executionOf(file)).isEqualTo(7);
        assertThat(HtmlReport.executionOf(dir.resolve("none.html"))).isZero();
    }

    @Test
    void aChartsScaleEndsAtARoundNumberAboveTheHighestDay() {
        assertThat(DayChart.niceCeiling(1)).isEqualTo(4);
        assertThat(DayChart.niceCeiling(9)).isEqualTo(20);
        assertThat(DayChart.niceCeiling(120)).isEqualTo(200);
        assertThat(DayChart.niceCeiling(4_001)).isEqualTo(8_000);
    }

    private static String field(String page, String name) {
        Matcher m = Pattern.compile("data-field=\"" + Pattern.quote(name) + "\"[^>]*>([^<]*)<").matcher(page);
        assertThat(m.find()).as("an element with data-field=" + name).isTrue();
        return m.group(1);
    }

    private static int count(String page, String text) {
        return page.split(Pattern.quote(text), -1).length - 1;
    }
}
