package io.usagebackfill.normalize;

import io.usagebackfill.catalog.RejectedLineException;
import io.usagebackfill.catalog.Numbers;
import io.usagebackfill.catalog.EventTime;
import io.usagebackfill.catalog.Fields;
import io.usagebackfill.catalog.FieldCatalog;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.usagebackfill.parse.RecognizedEvent;
import tools.jackson.databind.JsonNode;

/**
 * Turns a recognised event into a {@link TokenUsage} row following the rules in the README's "From event to row"
 * table: the field catalog's paths, units, time zones, and the checks that reject an event. Thread-safe.
 */
public final class EventNormalizer {

    private final ProviderCatalog providers;
    private final Fields fields;
    private final ZoneId logZone;
    private final CountLimits countLimits;
    /**
     * Each provider and model name once: a log names a few dozen of them over millions of rows, and every row waiting
     * in a chunk would otherwise hold its own copies. Bounded, so a log of ever-new names only stops sharing them.
     */
    private final Map<String, String> names = new ConcurrentHashMap<>();
    private static final int MAX_SHARED_NAMES = 4096;

    /** Where the time is looked for, as a missing time's rejection says (made once: every event would pay it). */
    private final String timePaths;

    public EventNormalizer(ProviderCatalog providers) {
        this(providers, FieldCatalog.builtIn(), ZoneOffset.UTC);
    }

    /** @param logZone the zone of times logged without one ({@code --log-timezone}) */
    public EventNormalizer(ProviderCatalog providers, FieldCatalog catalog, ZoneId logZone) {
        this(providers, catalog, logZone, CountLimits.GUIDE);
    }

    /** @param countLimits the largest token count each column of the target holds (the guide's INT, or wider) */
    public EventNormalizer(ProviderCatalog providers, FieldCatalog catalog, ZoneId logZone, CountLimits countLimits) {
        this.providers = providers;
        this.fields = new Fields(catalog);
        this.logZone = logZone;
        this.countLimits = countLimits;
        this.timePaths = catalog.describe("time");
    }

    /**
     * Whether the event carries usage data at all: a model or a token count. An event without either only
     * mentions {@code token_usage} (an error about the table, say) and is counted, not rejected.
     */
    public boolean hasUsageData(RecognizedEvent event) {
        List<JsonNode> scopes = scopes(event);
        return fields.first(scopes, "model") != null || TokenCounts.present(scopes, fields);
    }

    /**
     * @throws RejectedLineException when the event cannot become a row; the message says which field and why
     */
    public Normalized normalize(RecognizedEvent event) {
        List<JsonNode> scopes = scopes(event);
        String model = requiredText(scopes, "model");
        Fields.Found providerField = fields.first(scopes, "provider");
        boolean inferred = providerField == null;
        String provider = inferred ? inferProvider(model) : text(providerField);
        TokenCounts.Counts counts = TokenCounts.read(scopes, fields, countLimits);
        Integer cost = CostMicros.read(scopes, fields);
        EventTime.Stamp lineTime = event.lineTime() == null ? null
                : new EventTime.Stamp(event.lineTime(), event.lineTimeZoneless());
        Fields.Found ownTime = fields.first(scopes, "time");
        EventTime.Stamp createdAt = EventTime.read(ownTime, lineTime, logZone, timePaths);
        String identity = event.identity(ownTime == null);
        TokenUsage row = new TokenUsage(EventId.of(identity),
                Uuids.read(fields.first(scopes, "user_id")), Uuids.read(fields.first(scopes, "session_id")),
                shared(provider), shared(model), counts.prompt(), counts.completion(), counts.total(), cost, createdAt.instant());
        return new Normalized(row, identity, inferred, createdAt.zoneless());
    }

    /** The line's own scopes, then what its message carries: the line's fields win wherever they are. */
    private List<JsonNode> scopes(RecognizedEvent event) {
        List<JsonNode> scopes = fields.scopes(event.fields());
        if (event.messageFields() != null) {
            scopes.addAll(fields.scopes(event.messageFields()));
        }
        return scopes;
    }

    /**
     * A normalised row, the text its id derives from ({@link RecognizedEvent#identity}, for a repeated line's id),
     * whether its provider was inferred from the model name, and whether its time was logged without a zone (and so
     * read in {@code --log-timezone}).
     */
    public record Normalized(TokenUsage row, String identity, boolean providerInferred, boolean zonelessTime) {
    }

    private String shared(String name) {
        String known = names.get(name);
        if (known != null) {
            return known;
        }
        if (names.size() < MAX_SHARED_NAMES) {
            names.putIfAbsent(name, name);
        }
        return name;
    }

    private String inferProvider(String model) {
        String provider = providers.providerOf(model);
        if (provider == null) {
            throw new RejectedLineException("provider is missing and model \"" + model
                    + "\" matches no known prefix; add a line for it to a --provider-map file");
        }
        return provider;
    }

    /**
     * A B-tree index entry holds at most about 2.7 kB, and the guide indexes {@code model}: a longer value would fail
     * the whole chunk in the database instead of being rejected here as one bad line. 512 characters (code points, as
     * users count them: an emoji is one) is at most 2 kB of UTF-8, and far beyond any real model or provider name.
     */
    static final int MAX_TEXT_LENGTH = 512;

    private String requiredText(List<JsonNode> scopes, String field) {
        Fields.Found found = fields.first(scopes, field);
        if (found == null) {
            throw new RejectedLineException(field + " is missing (looked for " + fields.catalog().describe(field)
                    + ")");
        }
        return text(found);
    }

    private static String text(Fields.Found found) {
        JsonNode value = found.value();
        String name = found.name();
        if (!value.isString() || value.stringValue().isBlank()) {
            throw new RejectedLineException(name + " is " + Numbers.describe(value) + "; it must be non-empty text");
        }
        String text = value.stringValue();
        int characters = text.codePointCount(0, text.length());
        if (characters > MAX_TEXT_LENGTH) {
            throw new RejectedLineException(name + " is " + characters + " characters long; at most "
                    + MAX_TEXT_LENGTH + " fit the table's index on it");
        }
        if (text.indexOf('\0') >= 0) {
            throw new RejectedLineException(name + " contains a NUL character, which PostgreSQL text cannot store");
        }
        int lone = Utf8.loneSurrogate(text);
        if (lone >= 0) {
            throw new RejectedLineException(name + " holds a lone UTF-16 surrogate (\\u"
                    + Integer.toHexString(text.charAt(lone)) + "), half of a character such as an emoji, which"
                    + " PostgreSQL text cannot store; log whole characters");
        }
        return text;
    }
}
