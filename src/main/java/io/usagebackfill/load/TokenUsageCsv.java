package io.usagebackfill.load;

import java.io.IOException;
import java.time.format.DateTimeFormatter;
import java.util.List;

import io.usagebackfill.normalize.TokenUsage;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The CSV form of {@code token_usage} rows: the migration guide's columns in its order, then {@code created_at}.
 * A null prints as an empty unquoted field, which COPY reads as NULL. Thread-safe.
 */
public final class TokenUsageCsv {

    /** The documented columns, in the documented order. */
    public static final List<String> COLUMNS = List.of("user_id", "session_id", "provider", "model",
            "prompt_tokens", "completion_tokens", "total_tokens", "cost_usd", "created_at");

    /** The header of {@code --csv-out}: {@code id}, then {@link #COLUMNS}. */
    public static final List<String> HEADER = java.util.stream.Stream.concat(java.util.stream.Stream.of("id"),
            COLUMNS.stream()).toList();

    public static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setRecordSeparator("\n").get();

    private TokenUsageCsv() {
    }

    /** Prints one row; {@code withId} puts the deterministic id first, as COPY into the table needs. */
    public static void print(CSVPrinter printer, TokenUsage row, boolean withId) throws IOException {
        if (withId) {
            printer.print(row.id());
        }
        printer.print(row.userId());
        printer.print(row.sessionId());
        printer.print(row.provider());
        printer.print(row.model());
        printer.print(row.promptTokens());
        printer.print(row.completionTokens());
        printer.print(row.totalTokens());
        printer.print(row.costMicros());
        printer.print(DateTimeFormatter.ISO_INSTANT.format(row.createdAt()));
        printer.println();
    }
}
