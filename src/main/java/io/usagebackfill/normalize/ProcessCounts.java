package io.usagebackfill.normalize;

/**
 * What the step's processor counted of the lines it was given, saved with each checkpoint.
 *
 * @param events lines that are {@code token_usage} events, valid or rejected
 * @param ignored candidate lines that only mention {@code token_usage}: no field names it as the event (an SQL
 *     error about the table, a stack trace); {@code ignoredExample} is where the first was and how it starts
 * @param inferredProviders events whose provider was inferred from the model name
 * @param outsideWindow valid events left out by {@code --since}/{@code --until}
 * @param estimatedCosts events whose cost was estimated from {@code --prices}
 * @param zonelessTimes events whose time was logged without a zone, read in {@code --log-timezone}
 */
public record ProcessCounts(long events, long ignored, long inferredProviders, long outsideWindow,
        long estimatedCosts, String ignoredExample, long zonelessTimes) {

    public static ProcessCounts empty() {
        return new ProcessCounts(0, 0, 0, 0, 0, null, 0);
    }

    /** These counts and another partition's, as one. */
    public ProcessCounts plus(ProcessCounts other) {
        return new ProcessCounts(events + other.events, ignored + other.ignored,
                inferredProviders + other.inferredProviders, outsideWindow + other.outsideWindow,
                estimatedCosts + other.estimatedCosts, ignoredExample != null ? ignoredExample : other.ignoredExample,
                zonelessTimes + other.zonelessTimes);
    }

    public ProcessCounts plusEvent(boolean inferred) {
        return new ProcessCounts(events + 1, ignored, inferredProviders + (inferred ? 1 : 0), outsideWindow,
                estimatedCosts, ignoredExample, zonelessTimes);
    }

    public ProcessCounts plusIgnored(String example) {
        return new ProcessCounts(events, ignored + 1, inferredProviders, outsideWindow, estimatedCosts,
                ignoredExample != null ? ignoredExample : example, zonelessTimes);
    }

    public ProcessCounts plusOutsideWindow() {
        return new ProcessCounts(events, ignored, inferredProviders, outsideWindow + 1, estimatedCosts,
                ignoredExample, zonelessTimes);
    }

    public ProcessCounts plusEstimatedCost() {
        return new ProcessCounts(events, ignored, inferredProviders, outsideWindow, estimatedCosts + 1,
                ignoredExample, zonelessTimes);
    }

    public ProcessCounts plusZonelessTime() {
        return new ProcessCounts(events, ignored, inferredProviders, outsideWindow, estimatedCosts,
                ignoredExample, zonelessTimes + 1);
    }
}
