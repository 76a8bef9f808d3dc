package io.usagebackfill.job;

import io.usagebackfill.normalize.ProcessCounts;
import io.usagebackfill.normalize.Utf8;
import io.usagebackfill.normalize.RowCheck;
import io.usagebackfill.normalize.PriceList;
import io.usagebackfill.normalize.TimeWindow;
import io.usagebackfill.normalize.TokenUsage;
import io.usagebackfill.normalize.EventId;
import io.usagebackfill.normalize.EventNormalizer;
import io.usagebackfill.catalog.RejectedLineException;
import io.usagebackfill.parse.EventRecognizer;
import io.usagebackfill.parse.RecognizedEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.usagebackfill.read.LogLine;
import io.usagebackfill.read.ReadPosition;
import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * The step's processor: recognises the event in a candidate line and normalises it to a row. A line that only
 * mentions {@code token_usage} is filtered (counted as ignored); an event that cannot become a row throws
 * {@link RejectedLineException}, the one exception the step skips. All validation happens here so the writer only
 * ever fails for database reasons. Not thread-safe: it keeps the run's counts.
 */
public final class TokenUsageProcessor implements ItemProcessor<LogLine, TokenUsage> {

    private final EventRecognizer recognizer;
    private final EventNormalizer normalizer;
    private final int maxLineBytes;
    private final TimeWindow window;
    private final PriceList prices;
    private final RowCheck target;
    private final CorrectedLines corrections;
    private ProcessCounts counts = ProcessCounts.empty();
    private final Map<String, ReadPosition.LeftOut> leftOut = new LinkedHashMap<>();
    private List<ReadPosition.LeftOut> leftOutCopy = List.of();

    public TokenUsageProcessor(EventRecognizer recognizer, EventNormalizer normalizer, int maxLineBytes,
            TimeWindow window, PriceList prices) {
        this(recognizer, normalizer, maxLineBytes, window, prices, RowCheck.NONE, CorrectedLines.NONE);
    }

    /**
     * A processor that reads a rejects file given among the logs (its reasons beside it) as corrections, each line
     * under the id of the line it corrects, as {@code import} reads it: what {@code verify} compares the table with.
     */
    public static TokenUsageProcessor readingCorrections(EventRecognizer recognizer, EventNormalizer normalizer,
            int maxLineBytes, TimeWindow window, PriceList prices) {
        return new TokenUsageProcessor(recognizer, normalizer, maxLineBytes, window, prices, RowCheck.NONE,
                CorrectedLines.of(null));
    }

    /**
     * @param target what the target refuses of a valid row, which is then rejected as its line
     * @param corrections which lines correct rejected ones, and the ids they keep
     */
    TokenUsageProcessor(EventRecognizer recognizer, EventNormalizer normalizer, int maxLineBytes,
            TimeWindow window, PriceList prices, RowCheck target, CorrectedLines corrections) {
        this.recognizer = recognizer;
        this.normalizer = normalizer;
        this.maxLineBytes = maxLineBytes;
        this.window = window;
        this.prices = prices;
        this.target = target;
        this.corrections = corrections;
    }

    /**
     * @throws RejectedLineException when the line is an event that cannot become a row; it carries the id the row
     *     would have had, which a corrected copy of the line is loaded under
     */
    @Override
    public TokenUsage process(LogLine line) {
        TokenUsage row;
        try {
            row = read(line);
        } catch (Rejected e) {
            UUID corrected = corrections.originalId(line);
            UUID id = corrected != null ? corrected : e.event() != null ? normalizer.idOf(e.event(), line.occurrence())
                    : EventId.of(line.text(), line.occurrence());
            throw e.reason().withLineId(id);
        }
        // Looked up only for an event: a line that is none needs no original.
        UUID corrected = row == null ? null : corrections.originalId(line);
        return corrected == null ? row : row.withId(corrected);
    }

    /** A reject, with the event it was read as (null when it was rejected before). */
    private static final class Rejected extends RuntimeException {
        private final transient RejectedLineException reason;
        private final transient RecognizedEvent event;

        Rejected(RejectedLineException reason, RecognizedEvent event) {
            super(null, null, false, false);
            this.reason = reason;
            this.event = event;
        }

        RejectedLineException reason() {
            return reason;
        }

        RecognizedEvent event() {
            return event;
        }
    }

    private TokenUsage read(LogLine line) {
        if (line.tooLong()) {
            counts = counts.plusEvent(false);
            throw new Rejected(new RejectedLineException("the line is " + line.lengthBytes() + " bytes, longer than"
                    + " --max-line-bytes " + maxLineBytes + "; only its first bytes are kept here"), null);
        }
        if (line.unfinished()) {
            counts = counts.plusEvent(false);
            throw new Rejected(new RejectedLineException("the Kubernetes partial (P) line has no final (F) part (or"
                    + " the Docker partial entry no last one): the archive ends inside it, so the event is incomplete"),
                    null);
        }
        RecognizedEvent event = null;
        EventNormalizer.Normalized normalized;
        TokenUsage row;
        Integer estimated = null;
        try {
            String text = line.text();
            event = recognizer.recognize(text);
            if (event == null) {
                counts = counts.plusIgnored(line.where() + ": " + abbreviated(text));
                return null;
            }
            int invalid = Utf8.firstInvalidByte(line.bytes());
            if (invalid >= 0) {
                throw new RejectedLineException("the line is not valid UTF-8 (byte " + (invalid + 1) + " of "
                        + line.bytes().length + "), so its values cannot be stored as they were written");
            }
            // Valid UTF-8, the line's bytes are its text's: when the event's identity is the whole line (no wrapper
            // or space taken off), its id is hashed from them.
            normalized = normalizer.normalize(event, event.identityText() == text ? line.bytes() : null);
            row = line.occurrence() == 0 ? normalized.row()
                    : normalized.row().withId(EventId.of(normalized.identity(), line.occurrence()));
            if (row.costMicros() == null) {
                estimated = prices.estimateMicros(row.provider(), row.model(), row.promptTokens(),
                        row.completionTokens());
            }
            String refused = target.refusal(estimated == null ? row : row.withCostMicros(estimated));
            if (refused != null) {
                throw new RejectedLineException(refused);
            }
        } catch (RejectedLineException e) {
            counts = counts.plusEvent(false);
            throw new Rejected(event == null ? e : event.explained(e), event);
        }
        counts = counts.plusEvent(normalized.providerInferred());
        if (normalized.zonelessTime()) {
            counts = counts.plusZonelessTime();
        }
        if (!window.contains(row.createdAt())) {
            counts = counts.plusOutsideWindow();
            leftOut.putIfAbsent(line.file(), new ReadPosition.LeftOut(line.file(), line.offset(),
                    line.lineNumber() - 1));
            return null;
        }
        if (estimated != null) {
            counts = counts.plusEstimatedCost();
            return row.withCostMicros(estimated);
        }
        return row;
    }

    private static String abbreviated(String text) {
        String line = text.strip();
        return line.length() > 160 ? line.substring(0, 157) + "..." : line;
    }

    public ProcessCounts counts() {
        return counts;
    }

    /** Per file, the first event left out by the window: a ledger must not count it, nor what follows, as read. */
    public List<ReadPosition.LeftOut> leftOut() {
        // The map only grows between restores, so a copy of its size is still its copy: the read-ahead asks after
        // every line.
        if (leftOutCopy.size() != leftOut.size()) {
            leftOutCopy = List.copyOf(leftOut.values());
        }
        return leftOutCopy;
    }

    public void restore(ProcessCounts saved, List<ReadPosition.LeftOut> savedLeftOut) {
        counts = saved;
        leftOut.clear();
        if (savedLeftOut != null) {
            savedLeftOut.forEach(l -> leftOut.putIfAbsent(l.path(), l));
        }
        leftOutCopy = List.copyOf(leftOut.values());
    }
}
