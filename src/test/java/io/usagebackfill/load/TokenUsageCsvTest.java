package io.usagebackfill.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.usagebackfill.normalize.TokenUsage;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The CSV bytes written directly are those Commons CSV would print for the same rows. */
class TokenUsageCsvTest {

    private static final CSVFormat COMMONS = CSVFormat.DEFAULT.builder().setRecordSeparator("\n").get();

    @ParameterizedTest(name = "model [{0}]")
    @ValueSource(strings = {"gpt-4o-mini", "a,b", "say \"hi\"", "two\nlines", "cr\rhere", "#hash", " leading",
        "trailing ", "!bang", "tab\tinside", "$dollar", "naïve", "模型", "emoji 🚀 beyond the BMP", "\"", ",",
        "ends with tab\t", "x"})
    void aTextFieldIsQuotedExactlyWhereCommonsCsvQuotesIt(String model) throws IOException {
        TokenUsage row = row(model, Instant.parse("2025-03-04T05:06:07.123Z"), 250);

        assertThat(written(List.of(row), true)).isEqualTo(commons(List.of(row), true));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"2025-01-01T00:00:00Z", "2025-01-01T23:59:59.999Z", "1970-01-01T00:00:00.000001Z",
        "1969-12-31T23:59:59.5Z", "2024-02-29T12:00:00.000000001Z", "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999999999Z", "+10000-01-01T00:00:00Z", "-0001-06-01T10:00:00Z",
        "2025-06-30T08:09:10.120Z", "2025-06-30T08:09:10.123450Z"})
    void createdAtIsWrittenAsIsoInstantWritesIt(String instant) throws IOException {
        TokenUsage row = row("m", Instant.parse(instant), null);

        assertThat(written(List.of(row), false)).isEqualTo(commons(List.of(row), false));
    }

    /** PostgreSQL keeps microseconds; both forms of the row must give it the one the time rounds to, half up. */
    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({"2025-11-09T10:00:00.999999999Z, 2025-11-09T10:00:01Z",
        "2025-11-09T10:00:00.000002500Z, 2025-11-09T10:00:00.000003Z",
        "2025-11-09T10:00:00.1234565Z, 2025-11-09T10:00:00.123457Z",
        "2025-11-09T10:00:00.123456499Z, 2025-11-09T10:00:00.123456Z",
        "1999-12-31T23:59:59.9999995Z, 2000-01-01T00:00:00Z"})
    void aTimeFinerThanAMicrosecondIsWrittenRoundedHalfUpAndTheBinaryFormSendsTheSame(String time, String rounded)
            throws IOException {
        TokenUsage row = row("m", Instant.parse(time), null);

        assertThat(written(List.of(row), false)).endsWith("," + rounded + "\n");
        assertThat(BinaryCopyRows.micros(row.createdAt()))
                .isEqualTo(ChronoUnit.MICROS.between(Instant.parse("2000-01-01T00:00:00Z"), Instant.parse(rounded)));
    }

    @Test
    void nullsAreEmptyUnquotedFieldsAndNumbersAtTheirLimitsAreExact() throws IOException {
        TokenUsage nulls = new TokenUsage(UUID.fromString("00000000-0000-0000-0000-000000000000"), null, null, "p",
                "m", 0, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE, Instant.EPOCH);
        TokenUsage ids = new TokenUsage(UUID.fromString("ffffffff-ffff-ffff-ffff-ffffffffffff"),
                UUID.fromString("0123abcd-4567-89ef-0123-456789abcdef"), UUID.randomUUID(), "p", "m", 7, 8, 15, 0,
                Instant.EPOCH);

        assertThat(written(List.of(nulls, ids), true)).isEqualTo(commons(List.of(nulls, ids), true));
        assertThat(written(List.of(nulls), false)).startsWith(",,p,m,0,2147483647,2147483647,-2147483648,");
    }

    @Test
    void countsBeyondIntAreWrittenWholeUpToBigintsLimit() throws IOException {
        TokenUsage row = new TokenUsage(UUID.fromString("00000000-0000-0000-0000-000000000001"), null, null, "p", "m",
                3_000_000_000L, 1_000_000_000_000_000_000L, Long.MAX_VALUE, 7, Instant.EPOCH);

        assertThat(written(List.of(row), true)).isEqualTo(commons(List.of(row), true))
                .contains(",3000000000,1000000000000000000,9223372036854775807,7,");
    }

    @Test
    void anEmptyStringIsQuotedSoCopyDoesNotReadItAsNull() throws IOException {
        assertThat(written(List.of(row("", Instant.EPOCH, 1)), false)).contains(",\"\",");
    }

    @Test
    void rowsLongerThanTheBufferAndManyRowsAreWrittenWhole() throws IOException {
        List<TokenUsage> rows = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            rows.add(row("m\"" + "é".repeat(i % 700) + i, Instant.ofEpochSecond(1_700_000_000L + i * 37L, i), i));
        }

        assertThat(written(rows, true)).isEqualTo(commons(rows, true));
    }

    @Test
    void theHeaderNamesTheIdAndTheDocumentedColumns() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TokenUsageCsv csv = new TokenUsageCsv(out)) {
            csv.header();
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(
                "id,user_id,session_id,provider,model,prompt_tokens,completion_tokens,total_tokens,cost_usd,"
                        + "created_at\n");
    }

    private static TokenUsage row(String model, Instant createdAt, Integer cost) {
        return new TokenUsage(UUID.nameUUIDFromBytes(model.getBytes(StandardCharsets.UTF_8)),
                UUID.fromString("11111111-2222-3333-4444-555555555555"), null, "openai", model, 12, 34, 46, cost,
                createdAt);
    }

    private static String written(List<TokenUsage> rows, boolean withId) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TokenUsageCsv csv = new TokenUsageCsv(out)) {
            for (TokenUsage row : rows) {
                csv.row(row, withId);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The oracle: the rows printed by Commons CSV, the way they were printed before they were written directly. */
    private static String commons(List<TokenUsage> rows, boolean withId) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CSVPrinter printer = new CSVPrinter(new OutputStreamWriter(out, StandardCharsets.UTF_8), COMMONS)) {
            for (TokenUsage row : rows) {
                if (withId) {
                    printer.print(row.id());
                }
                printer.printRecord(row.userId(), row.sessionId(), row.provider(), row.model(), row.promptTokens(),
                        row.completionTokens(), row.totalTokens(), row.costMicros(),
                        DateTimeFormatter.ISO_INSTANT.format(row.createdAt()));
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
