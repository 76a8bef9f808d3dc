package io.usagebackfill.support;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * What a corpus test compares: the table's rows as {@code provider,model,prompt,completion,total,cost_micros,created_at}
 * (the time to the microsecond, UTC), their sums by column, and the rejected lines as {@code file:line} with reasons.
 */
public final class LoadedRows {

    private LoadedRows() {
    }

    /** The table's rows, ordered by time and model. */
    public static List<String> of(TestDatabase database) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = database.connect(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT provider, model, prompt_tokens, completion_tokens, total_tokens,"
                        + " cost_usd, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
                        + " FROM token_usage ORDER BY created_at, model")) {
            while (r.next()) {
                rows.add(String.join(",", r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                        r.getString(5), r.getString(6) == null ? "" : r.getString(6), r.getString(7)));
            }
        }
        return rows;
    }

    /** The sum of one column (2 prompt … 5 cost) of rows in that form; an empty cost counts 0. */
    public static long sum(List<String> rows, int column) {
        long sum = 0;
        for (String row : rows) {
            String value = row.split(",", -1)[column];
            sum += value.isEmpty() ? 0 : Long.parseLong(value);
        }
        return sum;
    }

    /** The rejected lines, {@code file name:line} to reason, from the rejects file's {@code .reasons.csv}. */
    public static Map<String, String> rejectedLines(Path rejects) throws IOException {
        Path reasons = Path.of(rejects + ".reasons.csv");
        Map<String, String> lines = new TreeMap<>();
        if (!Files.exists(reasons)) {
            return lines;
        }
        try (Reader in = Files.newBufferedReader(reasons)) {
            for (CSVRecord record : CSVFormat.DEFAULT.builder().setSkipHeaderRecord(true).setHeader().get().parse(in)) {
                lines.put(Path.of(record.get(1)).getFileName() + ":" + record.get(2), record.get(3));
            }
        }
        return lines;
    }
}
