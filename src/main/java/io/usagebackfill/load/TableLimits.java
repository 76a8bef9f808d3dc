package io.usagebackfill.load;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import io.usagebackfill.normalize.CountLimits;
import io.usagebackfill.normalize.RowCheck;
import io.usagebackfill.normalize.TokenUsage;

/**
 * The table's own limits on values that are valid events, from its column types: text columns of a declared
 * length ({@code varchar(64)} where the guide has TEXT), integer columns narrower than the guide's INT
 * ({@code smallint}, {@code numeric(6,0)}), and token count columns wider than it ({@code bigint},
 * {@code numeric(12,0)}), which take counts INT cannot hold. A row beyond a narrower limit is rejected as its own
 * line, with the column and limit named; the server would refuse it as part of its chunk, failing the run, and
 * every {@code restart} after it, on that one line. Immutable and thread-safe.
 *
 * @param table the table as messages name it
 * @param maxChars per text column, the most characters it holds
 * @param maxValues per integer column narrower than INT, the largest value it holds
 * @param counts the largest count each token count column holds, INT's limit or more: the normaliser's bounds
 */
public record TableLimits(String table, Map<String, Integer> maxChars, Map<String, Long> maxValues,
        CountLimits counts) implements RowCheck {

    // The built-in types' oids (pg_type.dat).
    private static final int INT8 = 20;
    private static final int INT2 = 21;
    private static final int NUMERIC = 1700;
    /** A numeric of this many integer digits or more holds every long. */
    private static final int LONG_DIGITS = 19;

    public TableLimits {
        maxChars = Map.copyOf(maxChars);
        maxValues = Map.copyOf(maxValues);
    }

    /** What the load checks of each row: {@link RowCheck#NONE} when no column is narrower than the guide's. */
    public RowCheck rowCheck() {
        return maxChars.isEmpty() && maxValues.isEmpty() ? RowCheck.NONE : this;
    }

    /** The table's limits, read from the catalog (a domain counts as its base type). */
    public static TableLimits of(Connection connection, TargetTable table) throws SQLException {
        Map<String, Integer> chars = new LinkedHashMap<>();
        Map<String, Long> values = new LinkedHashMap<>();
        Map<String, CountLimits.Limit> counts = new HashMap<>();
        try (PreparedStatement st = connection.prepareStatement("""
                SELECT a.attname, coalesce(nullif(t.typbasetype, 0), a.atttypid)::int4,
                    CASE WHEN t.typbasetype <> 0 THEN t.typtypmod ELSE a.atttypmod END,
                    coalesce(nullif(t.typbasetype, 0), a.atttypid)::regtype::text
                FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
                WHERE a.attrelid = to_regclass(?) AND a.attnum > 0 AND NOT a.attisdropped
                    AND a.attname IN ('provider', 'model', 'prompt_tokens', 'completion_tokens', 'total_tokens',
                        'cost_usd')""")) {
            st.setString(1, table.sql());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    String column = rs.getString(1);
                    int type = rs.getInt(2);
                    int modifier = rs.getInt(3);
                    String typeName = rs.getString(4);
                    if ((typeName.equals("character varying") || typeName.equals("character")) && modifier > 4) {
                        chars.put(column, modifier - 4);
                        continue;
                    }
                    CountLimits.Limit limit = limit(type, modifier);
                    if (limit != null && limit.max() < Integer.MAX_VALUE) {
                        values.put(column, limit.max());
                    } else if (limit != null) {
                        counts.put(column, limit);
                    }
                }
            }
        }
        return new TableLimits(table.display(), chars, values, new CountLimits(
                counts.getOrDefault("prompt_tokens", CountLimits.INT),
                counts.getOrDefault("completion_tokens", CountLimits.INT),
                counts.getOrDefault("total_tokens", CountLimits.INT)));
    }

    /**
     * The largest whole number an integer or numeric type holds, or null for another type (INT's, and the guide's
     * limit for the counts, are then kept). A numeric's limit is that of its digits before the point (numeric(6,2)
     * holds 9999), at most a long's; one without a precision holds every long.
     */
    private static CountLimits.Limit limit(int type, int modifier) {
        if (type == INT2) {
            return new CountLimits.Limit(Short.MAX_VALUE, "SMALLINT");
        }
        if (type == INT8) {
            return CountLimits.BIGINT;
        }
        if (type != NUMERIC) {
            return null;
        }
        if (modifier < 4) {
            return new CountLimits.Limit(Long.MAX_VALUE, "NUMERIC");
        }
        int precision = (modifier - 4) >> 16;
        // The scale's low 11 bits, signed: PostgreSQL 15 allows a negative one.
        int scale = (((modifier - 4) & 0x7ff) ^ 0x400) - 0x400;
        int digits = precision - scale;
        String name = "NUMERIC(" + precision + (scale == 0 ? "" : "," + scale) + ")";
        return new CountLimits.Limit(digits >= LONG_DIGITS ? Long.MAX_VALUE
                : BigInteger.TEN.pow(Math.max(digits, 0)).longValueExact() - 1, name);
    }

    @Override
    public String refusal(TokenUsage row) {
        String refused = tooLong("provider", row.provider());
        refused = refused != null ? refused : tooLong("model", row.model());
        refused = refused != null ? refused : tooLarge("prompt_tokens", row.promptTokens());
        refused = refused != null ? refused : tooLarge("completion_tokens", row.completionTokens());
        refused = refused != null ? refused : tooLarge("total_tokens", row.totalTokens());
        return refused != null || row.costMicros() == null ? refused : tooLarge("cost_usd", row.costMicros());
    }

    private String tooLong(String column, String value) {
        Integer max = maxChars.get(column);
        int length = value == null ? 0 : value.codePointCount(0, value.length());
        return max == null || length <= max ? null : column + " is " + length + " characters, more than " + table
                + "." + column + " holds (" + max + ")";
    }

    private String tooLarge(String column, long value) {
        Long max = maxValues.get(column);
        return max == null || value <= max ? null : column + " is " + value + ", more than " + table + "." + column
                + " holds (" + max + ")";
    }
}
