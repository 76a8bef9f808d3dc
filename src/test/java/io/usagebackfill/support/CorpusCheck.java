package io.usagebackfill.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.assertj.core.api.SoftAssertions;
import tools.jackson.databind.JsonNode;

/**
 * One import of a corpus of real logs, checked against the rows and rejects a test lists on its own: every expected
 * row in the table and nothing else (a missing one says whether it was rejected, and why, or silently missed), the
 * sums of each token column and cost, the rejected lines by file:line, and the report's counts. Soft: one run lists
 * every difference.
 */
public final class CorpusCheck {

    /** An expected row ({@code provider,model,prompt,completion,total,cost_micros,created_at}) and its file:line. */
    public record Row(String source, String row) {
    }

    public static Row row(String source, String row) {
        return new Row(source, row);
    }

    private final BackfillCli cli;
    private final TestDatabase database;
    private final Path dir;

    public CorpusCheck(BackfillCli cli, TestDatabase database, Path dir) {
        this.cli = cli;
        this.database = database;
        this.dir = dir;
    }

    /**
     * @param ignored lines that mention token_usage but are no event, or null to leave that count unchecked
     * @return the report, and the assertions made of it and the table (call {@code assertAll})
     */
    public Checked importAndCheck(Path source, List<Row> expectedRows, Set<String> expectedRejects, Long ignored,
            long zoneless, long inferredProviders) throws Exception {
        List<String> expected = expectedRows.stream().map(Row::row).toList();
        Path rejects = dir.resolve("rejects.log");
        JsonNode report = cli.report(dir, "import", "--rejects", rejects.toString(), source.toString());
        List<String> rows = LoadedRows.of(database);

        SoftAssertions soft = new SoftAssertions();
        List<String> missing = new ArrayList<>(expected);
        rows.forEach(missing::remove);
        List<String> unexpected = new ArrayList<>(rows);
        expected.forEach(unexpected::remove);
        Map<String, String> rejected = LoadedRows.rejectedLines(rejects);
        List<String> whyMissing = new ArrayList<>();
        for (Row row : expectedRows) {
            if (missing.contains(row.row())) {
                String at = row.source();
                whyMissing.add(at + " " + row.row() + ": " + (rejected.containsKey(at)
                        ? "rejected: " + rejected.get(at) : "neither loaded nor rejected"));
            }
        }
        soft.assertThat(whyMissing).as("expected rows not in the table").isEmpty();
        soft.assertThat(unexpected).as("rows in the table not expected (wrong values, or a line that is no event)")
                .isEmpty();
        soft.assertThat(rows).as("the table").hasSize(expected.size());
        soft.assertThat(database.count("SELECT count(*) FROM token_usage")).isEqualTo(expected.size());
        List<String> columns = List.of("prompt_tokens", "completion_tokens", "total_tokens", "cost_usd");
        for (int column = 2; column <= 5; column++) {
            String name = columns.get(column - 2);
            soft.assertThat(database.count("SELECT coalesce(sum(" + name + "), 0) FROM token_usage"))
                    .as(name + " sum").isEqualTo(LoadedRows.sum(expected, column));
        }

        soft.assertThat(rejected.keySet()).as("rejected file:line (" + rejected + ")")
                .containsExactlyInAnyOrderElementsOf(expectedRejects);
        soft.assertThat(report.get("status").stringValue()).isEqualTo("COMPLETED");
        soft.assertThat(report.get("inserted").longValue()).as("inserted").isEqualTo(expected.size());
        soft.assertThat(report.get("rejected").longValue()).as("rejected").isEqualTo(expectedRejects.size());
        soft.assertThat(report.get("events").longValue()).as("events (every token_usage event, loaded or rejected)")
                .isEqualTo(expected.size() + expectedRejects.size());
        if (ignored != null) {
            soft.assertThat(report.get("ignored").longValue())
                    .as("lines that mention token_usage but are no event (first: " + report.get("ignoredExample")
                            + ")").isEqualTo(ignored);
        }
        long reasonsCounted = 0;
        for (JsonNode count : report.get("rejectReasons")) {
            reasonsCounted += count.isNumber() ? count.longValue() : count.path("count").longValue();
        }
        soft.assertThat(reasonsCounted).as("rejects counted by reason " + report.get("rejectReasons"))
                .isEqualTo(expectedRejects.size());
        soft.assertThat(report.get("duplicates").longValue()).as("duplicates").isZero();
        soft.assertThat(report.get("linesRead").longValue()).as("every line read").isEqualTo(lines(source));
        soft.assertThat(report.get("zonelessTimes").longValue()).as("zone-less times").isEqualTo(zoneless);
        soft.assertThat(report.get("inferredProviders").longValue()).as("inferred providers")
                .isEqualTo(inferredProviders);
        soft.assertThat(report.get("reconciliation").get("matches").booleanValue()).as("reconciled").isTrue();
        return new Checked(soft, rejected);
    }

    /** The assertions made, and the rejected lines (file:line to reason) for a test's own checks of them. */
    public record Checked(SoftAssertions soft, Map<String, String> rejected) {
    }

    /** The lines of a file, or of every file under a directory (the import walks into subdirectories too). */
    private static long lines(Path source) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> all = Files.walk(source)) {
            all.filter(Files::isRegularFile).forEach(files::add);
        }
        long lines = 0;
        for (Path file : files) {
            lines += Files.readAllLines(file).size();
        }
        return lines;
    }
}
