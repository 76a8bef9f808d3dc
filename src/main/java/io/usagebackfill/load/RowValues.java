package io.usagebackfill.load;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import io.usagebackfill.normalize.TokenUsage;

/**
 * A row's values in one form, whether taken from an event or read back from the table: the token counts and cost
 * (-1 for none) as numbers, the time (whole microseconds since the epoch), model, provider and ids as text. Two
 * forms are equal when the table holds what the event says; {@link #digest} is what a run keeps of each row it
 * inserted, so {@code undo} can tell a row changed since from one as the run wrote it. Immutable.
 */
record RowValues(long[] numbers, List<String> text) {

    /**
     * The columns to select, as {@code t.}, in the order {@link #read} takes them; the time is read as whole
     * microseconds, also from a column without a zone (stored and read back in the session's zone alike).
     */
    static final String COLUMNS = "t.prompt_tokens, t.completion_tokens, t.total_tokens, t.cost_usd,"
            + " (extract(epoch FROM t.created_at::timestamptz) * 1000000)::bigint, t.model::text, t.provider::text,"
            + " t.user_id::text, t.session_id::text";

    static RowValues of(TokenUsage row) {
        long[] numbers = {row.promptTokens(), row.completionTokens(), row.totalTokens(),
                row.costMicros() == null ? -1 : row.costMicros()};
        return new RowValues(numbers, Arrays.asList(String.valueOf(micros(row.createdAt())), row.model(),
                row.provider(), row.userId() == null ? null : row.userId().toString(),
                row.sessionId() == null ? null : row.sessionId().toString()));
    }

    /** The values of {@link #COLUMNS}, starting at the result's column {@code from}. */
    static RowValues read(ResultSet rs, int from) throws SQLException {
        long prompt = rs.getLong(from);
        long completion = rs.getLong(from + 1);
        long total = rs.getLong(from + 2);
        long cost = rs.getLong(from + 3);
        // wasNull() speaks of the last column read: the cost's, read last.
        long[] numbers = {prompt, completion, total, rs.wasNull() ? -1 : cost};
        return new RowValues(numbers, Arrays.asList(String.valueOf(rs.getLong(from + 4)), rs.getString(from + 5),
                rs.getString(from + 6), rs.getString(from + 7), rs.getString(from + 8)));
    }

    boolean sameNumbers(RowValues other) {
        return Arrays.equals(numbers, other.numbers);
    }

    boolean sameAs(RowValues other) {
        return sameNumbers(other) && text.equals(other.text);
    }

    /** {@link #digest(TokenUsage)} of the values as the table holds them. */
    long digest() {
        long hash = OFFSET;
        for (long number : numbers) {
            hash = mix(hash, number);
        }
        hash = mix(hash, Long.parseLong(text.get(0)));
        hash = mix(hash, text.get(1));
        hash = mix(hash, text.get(2));
        hash = mix(hash, text.get(3) == null ? null : UUID.fromString(text.get(3)));
        return mix(hash, text.get(4) == null ? null : UUID.fromString(text.get(4)));
    }

    /**
     * 64 bits of FNV-1a over every value of the row: another value gives another digest but with odds of one in
     * 2^64. Taken per row inserted, so it reads the row's own numbers and strings and makes no text of them.
     */
    static long digest(TokenUsage row) {
        long hash = OFFSET;
        hash = mix(hash, row.promptTokens());
        hash = mix(hash, row.completionTokens());
        hash = mix(hash, row.totalTokens());
        hash = mix(hash, row.costMicros() == null ? -1 : row.costMicros());
        hash = mix(hash, micros(row.createdAt()));
        hash = mix(hash, row.model());
        hash = mix(hash, row.provider());
        hash = mix(hash, row.userId());
        return mix(hash, row.sessionId());
    }

    private static final long OFFSET = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;

    private static long mix(long hash, long value) {
        for (int shift = 0; shift < 64; shift += 8) {
            hash = (hash ^ ((value >>> shift) & 0xff)) * PRIME;
        }
        return hash;
    }

    private static long mix(long hash, String value) {
        if (value == null) {
            return (hash ^ 0x1ff) * PRIME;
        }
        for (int i = 0; i < value.length(); i++) {
            hash = (hash ^ value.charAt(i)) * PRIME;
        }
        return (hash ^ 0x1fe) * PRIME;
    }

    private static long mix(long hash, UUID value) {
        return value == null ? (hash ^ 0x1ff) * PRIME
                : mix(mix(hash, value.getMostSignificantBits()), value.getLeastSignificantBits());
    }

    /** The token counts and cost as a person reads them. */
    String numbersText() {
        return numbers[0] + " prompt, " + numbers[1] + " completion, " + numbers[2] + " total tokens, "
                + (numbers[3] < 0 ? "no cost" : numbers[3] + " micro-USD");
    }

    /** The other columns as a person reads them. */
    String columnsText() {
        return "created_at " + Instant.EPOCH.plus(Long.parseLong(text.get(0)), ChronoUnit.MICROS) + ", model "
                + text.get(1) + ", provider " + text.get(2) + ", user_id " + text.get(3) + ", session_id "
                + text.get(4);
    }

    private static long micros(Instant time) {
        return Math.addExact(Math.multiplyExact(time.getEpochSecond(), 1_000_000L), time.getNano() / 1_000);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RowValues values && sameAs(values);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(digest());
    }

    @Override
    public String toString() {
        return numbersText() + ", " + columnsText();
    }
}
