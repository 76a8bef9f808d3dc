package io.usagebackfill.normalize;

import io.usagebackfill.catalog.RejectedLineException;
import io.usagebackfill.parse.EventRecognizer;

/** One log line through the recogniser and the normaliser with the built-in providers, as the step does it. */
final class OneLine {

    private static final EventRecognizer RECOGNIZER = new EventRecognizer();
    private static final EventNormalizer NORMALIZER = new EventNormalizer(ProviderCatalog.builtIn());

    private OneLine() {
    }

    /** The row the line becomes; fails the test when it is rejected. */
    static TokenUsage row(String line) {
        return NORMALIZER.normalize(RECOGNIZER.recognize(line)).row();
    }

    /** Whether the line is an event (a row or a reject), not a line that only mentions the word. */
    static boolean recognizes(String line) {
        try {
            return RECOGNIZER.recognize(line) != null;
        } catch (RejectedLineException e) {
            return true;
        }
    }

    /** The reason the line is rejected; fails the test when it becomes a row. */
    static String rejection(String line) {
        try {
            NORMALIZER.normalize(RECOGNIZER.recognize(line));
        } catch (RejectedLineException e) {
            return e.reason();
        }
        throw new AssertionError("expected a rejection for " + line);
    }
}
