package io.usagebackfill.normalize;

/**
 * The largest token count each count column of the target holds: the guide's INT, or what the table's own column
 * types hold (BIGINT, NUMERIC(p)), so that a count only a wider column can hold is loaded there and rejected
 * elsewhere. Columns narrower than INT ({@code smallint}) are the target's row check's. Immutable and thread-safe.
 */
public record CountLimits(Limit prompt, Limit completion, Limit total) {

    /**
     * One column's limit.
     *
     * @param max the largest count it holds
     * @param type its SQL type as a reason names it
     */
    public record Limit(long max, String type) {
    }

    /** The guide's INT, 2147483647. */
    public static final Limit INT = new Limit(Integer.MAX_VALUE, "INT");

    /** PostgreSQL's BIGINT, and the most a row carries. */
    public static final Limit BIGINT = new Limit(Long.MAX_VALUE, "BIGINT");

    /** The guide's table, and a CSV export, which is made for it. */
    public static final CountLimits GUIDE = new CountLimits(INT, INT, INT);

    /** @param column one of {@link TokenCounts#COUNTS} */
    Limit of(String column) {
        return switch (column) {
            case "prompt_tokens" -> prompt;
            case "completion_tokens" -> completion;
            case "total_tokens" -> total;
            default -> throw new IllegalArgumentException("not a count column: " + column);
        };
    }
}
