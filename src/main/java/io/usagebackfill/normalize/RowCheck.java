package io.usagebackfill.normalize;

/** What the target refuses of a row that is valid in itself (a value longer than its column holds), as a reason. */
@FunctionalInterface
public interface RowCheck {

    /** A target that takes every valid row, as a CSV file does. */
    RowCheck NONE = row -> null;

    /** @return why the target cannot hold the row, or null when it can */
    String refusal(TokenUsage row);
}
