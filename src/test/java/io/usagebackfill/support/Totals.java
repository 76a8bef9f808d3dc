package io.usagebackfill.support;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The figures a data test compares: how many rows, and the sums of every token column and of the cost (in
 * micro-dollars), either as the test computed them for the events it wrote or as the table holds them.
 */
public record Totals(long rows, long prompt, long completion, long total, long costMicros) {

    public static final Totals NONE = new Totals(0, 0, 0, 0, 0);

    /** What {@code token_usage} holds. */
    public static Totals inTable(TestDatabase database) throws SQLException {
        try (Connection c = database.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*), coalesce(sum(prompt_tokens), 0),"
                        + " coalesce(sum(completion_tokens), 0), coalesce(sum(total_tokens), 0),"
                        + " coalesce(sum(cost_usd), 0) FROM token_usage")) {
            rs.next();
            return new Totals(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5));
        }
    }

    public Totals plus(Totals other) {
        return new Totals(rows + other.rows, prompt + other.prompt, completion + other.completion,
                total + other.total, costMicros + other.costMicros);
    }
}
