package io.usagebackfill.load;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

import io.usagebackfill.normalize.RowCheck;
import io.usagebackfill.normalize.TokenUsage;

/**
 * The table's own limits on values that are valid events: text columns of a declared length ({@code varchar(64)}
 * where the guide has TEXT) and integer columns narrower than the guide's INT ({@code smallint}). A row beyond
 * them is rejected as its own line, with the column and limit named; the server would refuse it as part of its
 * chunk, failing the run, and every {@code restart} after it, on that one line. Immutable and thread-safe.
 *
 * @param table the table as messages name it
 * @param maxChars per text column, the most characters it holds
 * @param maxValues per integer column, the largest value it holds
 */
public record TableLimits(String table, Map<String, Integer> maxChars, Map<String, Long> maxValues)
        implements RowCheck {

    private static final int INT2 = 21;
    private static final int NUMERIC = 1700;

    public TableLimits {
        maxChars = Map.copyOf(maxChars);
        maxValues = Map.copyOf(maxValues);
    }

    /** The table's limits, or {@link RowCheck#NONE} when it has none narrower than the guide's types. */
    public static RowCheck of(Connection connection, TargetTable table) throws SQLException {
        Map<String, Integer> chars = new LinkedHashMap<>();
        Map<String, Long> values = new LinkedHashMap<>();
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
                    } else if (type == INT2) {
                        values.put(column, (long) Short.MAX_VALUE);
                    } else if (type == NUMERIC && modifier >= 4 && ((modifier - 4) >> 16) <= 18) {
                        values.put(column, BigInteger.TEN.pow((modifier - 4) >> 16).longValueExact() - 1);
                    }
                }
            }
        }
        return chars.isEmpty() && values.isEmpty() ? RowCheck.NONE : new TableLimits(table.display(), chars, values);
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
