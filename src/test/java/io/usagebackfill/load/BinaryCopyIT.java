package io.usagebackfill.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import io.usagebackfill.normalize.TokenUsage;
import io.usagebackfill.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The loader's binary COPY against its CSV COPY, on a real server: the same rows loaded each way must read back
 * value for value, the server's own parse of the CSV being the truth (above all for the microsecond a timestamp's
 * nanoseconds round to).
 */
class BinaryCopyIT {

    private static final String GUIDE_COLUMNS = "id UUID PRIMARY KEY, user_id UUID, session_id UUID,"
            + " provider TEXT NOT NULL, model TEXT NOT NULL, prompt_tokens INT, completion_tokens INT,"
            + " total_tokens INT, cost_usd INT, created_at TIMESTAMPTZ";

    private static TestDatabase database;

    @BeforeAll
    static void createTables() throws SQLException {
        database = TestDatabase.create();
        database.execute("CREATE DOMAIN provider_name AS text",
                "CREATE TABLE guide (" + GUIDE_COLUMNS + ")",
                // A domain the loader has no binary form for: its rows go as CSV.
                "CREATE TABLE as_csv (" + GUIDE_COLUMNS.replace("provider TEXT", "provider provider_name") + ")",
                "CREATE TABLE wide (id UUID PRIMARY KEY, user_id UUID, session_id UUID, provider VARCHAR(64) NOT NULL,"
                        + " model VARCHAR(4000) NOT NULL, prompt_tokens BIGINT, completion_tokens BIGINT,"
                        + " total_tokens BIGINT, cost_usd BIGINT, created_at TIMESTAMP)");
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        database.close();
    }

    @Test
    void theGuideTableAndOneOfBigintsAndVarcharsTakeBinaryWhileADomainTakesCsv() throws SQLException {
        try (Connection connection = database.connect()) {
            assertThat(shape(connection, "guide").binaryLayout())
                    .isEqualTo(new BinaryCopyRows.Layout(4, 4, 4, 4));
            assertThat(shape(connection, "wide").binaryLayout())
                    .isEqualTo(new BinaryCopyRows.Layout(8, 8, 8, 8));
            assertThat(shape(connection, "as_csv").binaryLayout()).isNull();
        }
    }

    @Test
    void everyValueReadsBackAsTheCsvCopyStoresIt() throws SQLException {
        List<TokenUsage> rows = rows();
        load("guide", rows);
        load("as_csv", rows);
        load("wide", rows);

        List<String> csv = readBack("as_csv");
        assertThat(csv).hasSize(rows.size());
        assertThat(readBack("guide")).containsExactlyElementsOf(csv);
        assertThat(readBack("wide")).containsExactlyElementsOf(csv);
    }

    /** The server's own reading of a nine-digit fraction rounds half to even; the rows are rounded half up first. */
    @Test
    void timesFinerThanAMicrosecondAreStoredRoundedHalfUpByBinaryAndCsvAlike() throws SQLException {
        database.execute("CREATE TABLE fine_binary (" + GUIDE_COLUMNS + ")",
                "CREATE TABLE fine_csv (" + GUIDE_COLUMNS.replace("provider TEXT", "provider provider_name") + ")");
        List<String> times = List.of("2025-11-09T10:00:00.999999999Z", "2025-11-09T10:00:00.000002500Z",
                "2025-11-09T10:00:00.000000500Z", "2025-11-09T10:00:00.123456499Z");
        List<TokenUsage> rows = new ArrayList<>();
        for (int i = 0; i < times.size(); i++) {
            rows.add(new TokenUsage(new UUID(0, i), null, null, "openai", "gpt-4o", 1, 2, 3, null,
                    Instant.parse(times.get(i))));
        }
        load("fine_binary", rows);
        load("fine_csv", rows);

        List<String> stored = List.of("2025-11-09 10:00:01", "2025-11-09 10:00:00.000003",
                "2025-11-09 10:00:00.000001", "2025-11-09 10:00:00.123456");
        assertThat(createdAt("fine_binary")).containsExactlyElementsOf(stored);
        assertThat(createdAt("fine_csv")).containsExactlyElementsOf(stored);
    }

    @Test
    void aChunkLoadedAgainGoesThroughTheStagingTableInBinaryAndCountsEveryRowAsPresent() throws SQLException {
        database.execute("CREATE TABLE again (" + GUIDE_COLUMNS + ")");
        List<TokenUsage> rows = rows().subList(0, 50);
        assertThat(load("again", rows).inserted()).isEqualTo(50);

        ChunkLoad second = load("again", rows);

        assertThat(second.inserted()).isZero();
        assertThat(second.duplicates()).isEqualTo(50);
        assertThat(second.loaded()).isEqualTo(ChunkLoad.Totals.of(rows));
        assertThat(database.count("SELECT count(*) FROM again")).isEqualTo(50);
    }

    private static ChunkLoad load(String table, List<TokenUsage> rows) throws SQLException {
        try (Connection connection = database.connect()) {
            connection.setAutoCommit(false);
            TargetTable target = TargetTable.parse(table);
            ChunkLoad load = new TokenUsageLoader(target, shape(connection, table)).load(connection, rows);
            connection.commit();
            return load;
        }
    }

    private static TableShape shape(Connection connection, String table) throws SQLException {
        return TableShape.inspect(connection, TargetTable.parse(table));
    }

    /** Each row's created_at as the server writes it in UTC, ordered by id. */
    private static List<String> createdAt(String table) throws SQLException {
        List<String> times = new ArrayList<>();
        try (Connection connection = database.connect(); Statement st = connection.createStatement()) {
            st.execute("SET TimeZone = 'UTC'");
            try (ResultSet rs = st.executeQuery("SELECT created_at::timestamp::text FROM " + table + " ORDER BY id")) {
                while (rs.next()) {
                    times.add(rs.getString(1));
                }
            }
        }
        return times;
    }

    /** Each row as a record's text (a null and an empty string apart), the timestamp in UTC, ordered by id. */
    private static List<String> readBack(String table) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = database.connect(); Statement st = connection.createStatement()) {
            st.execute("SET TimeZone = 'UTC'");
            try (ResultSet rs = st.executeQuery("SELECT ROW(id, user_id, session_id, provider, model, prompt_tokens,"
                    + " completion_tokens, total_tokens, cost_usd, created_at::timestamp)::text FROM "
                    + table + " ORDER BY id")) {
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
            }
        }
        return rows;
    }

    /**
     * Nulls, names CSV must quote, characters beyond the BMP, the integers' extremes, and timestamps before 1970
     * and 2000, at the end of 9999, and with nanoseconds on either side of every rounding edge.
     */
    private static List<TokenUsage> rows() {
        List<String> names = List.of("openai", "", " leading space", "trailing space ", "with,comma", "\"quoted\"",
                "#hash", "emoji 🙂 and ünïcödé", "line\nbreak", "x".repeat(3000));
        List<Instant> times = new ArrayList<>(List.of(Instant.parse("1969-12-31T23:59:59.500Z"),
                Instant.parse("1999-12-31T23:59:59.999999500Z"), Instant.parse("2000-01-01T00:00:00Z"),
                Instant.parse("9999-12-31T23:59:59.999999Z"), Instant.parse("1900-02-28T12:00:00.000000001Z")));
        for (int nanos : new int[] {500, 1_500, 2_500, 999_999_499, 999_999_500, 123_456_789, 1, 999}) {
            times.add(Instant.ofEpochSecond(1_762_682_400L, nanos));
        }
        Random random = new Random(14);
        while (times.size() < 2_000) {
            times.add(Instant.ofEpochSecond(1_700_000_000L + random.nextInt(100_000_000), random.nextInt(1_000_000_000)));
        }
        List<TokenUsage> rows = new ArrayList<>();
        int[] counts = {0, 1, 7, 1_000_000, Integer.MAX_VALUE};
        for (int i = 0; i < times.size(); i++) {
            rows.add(new TokenUsage(new UUID(random.nextLong(), random.nextLong()),
                    i % 3 == 0 ? null : new UUID(random.nextLong(), random.nextLong()),
                    i % 4 == 0 ? null : new UUID(random.nextLong(), random.nextLong()),
                    names.get(i % 8), names.get((i + 3) % names.size()), counts[i % counts.length],
                    counts[(i + 1) % counts.length], counts[(i + 2) % counts.length],
                    i % 5 == 0 ? null : counts[(i + 3) % counts.length], times.get(i)));
        }
        return rows;
    }
}
