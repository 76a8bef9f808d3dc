package io.usagebackfill.load;

import java.util.ArrayList;
import java.util.List;

/**
 * Events of a run whose row the table does not hold as they were read: {@code missing} have no row at all after
 * their insert (a trigger or rule dropped them), {@code changed} have a row with other tokens or cost (a trigger
 * changed it, or the row was there before with other values). A few are kept as examples, since the run's tally is
 * saved with every checkpoint.
 */
public record Differences(long missing, long changed, List<String> examples) {

    static final int MAX_EXAMPLES = 5;
    public static final Differences NONE = new Differences(0, 0, List.of());

    public boolean any() {
        return missing > 0 || changed > 0;
    }

    public Differences plus(Differences other) {
        if (other == null || !other.any()) {
            return this;
        }
        List<String> kept = new ArrayList<>(examples == null ? List.of() : examples);
        for (String example : other.examples) {
            if (kept.size() < MAX_EXAMPLES) {
                kept.add(example);
            }
        }
        return new Differences(missing + other.missing, changed + other.changed, List.copyOf(kept));
    }
}
