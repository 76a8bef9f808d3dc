package io.usagebackfill.normalize;

import io.usagebackfill.catalog.RejectedLineException;
import io.usagebackfill.catalog.Numbers;
import io.usagebackfill.catalog.EventTime;
import io.usagebackfill.catalog.Fields;
import io.usagebackfill.catalog.FieldCatalog;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.usagebackfill.parse.RecognizedEvent;
import tools.jackson.databind.JsonNode;

/**
 * Turns a recognised event into a {@link TokenUsage} row following the rules in docs/log-formats.md's "From event to
 * row" table: the field catalog's paths, units, time zones, and the checks that reject an event. Thread-safe.
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
     * @throws RejectedLineException when the event cannot become a row; the message says which field and why
     */
    public Normalized normalize(RecognizedEvent event) {
        return normalize(event, null);
    }

    /**
     * As {@link #normalize(RecognizedEvent)}, for an event whose {@link RecognizedEvent#identityText()} is known as
     * UTF-8 already (the line as read, when it is the application's own line): its id is hashed from those bytes
     * rather than from the text encoded again.
     *
     * @param identityUtf8 the UTF-8 bytes of the event's identity text, or null
     */
    public Normalized normalize(RecognizedEvent event, byte[] identityUtf8) {
        List<JsonNode> scopes = scopes(event);
        TokenCounts.Usage usage = TokenCounts.find(scopes, fields);
        if (usage != null && !usage.shared()) {
            // Usage data of its own object (a logger's MDC, a nested response) and the object around it may hold
            // the model and the rest too (a batch result's response.body.model beside response.body.usage).
            scopes.add(usage.object());
            if (usage.parent() != null && !scopes.contains(usage.parent())) {
                scopes.add(usage.parent());
            }
        }
        Fields.Found modelField = fields.first(scopes, "model");
        if (modelField == null && usage == null) {
            // Named token_usage, it is an event: never counted away as a line that only mentions the word.
            throw new RejectedLineException(event.unreadMessage() != null ? event.unreadMessage()
                    : "the event names token_usage but holds neither a model nor a token count; keys seen: "
                    + KeysSeen.of(scopes));
        }
        if (modelField == null) {
            throw new RejectedLineException("model is missing (looked for " + fields.catalog().describe("model")
                    + "); keys seen: " + KeysSeen.of(scopes));
        }
        String model = text(modelField);
        Fields.Found providerField = fields.first(scopes, "provider");
        boolean inferred = providerField == null;
        String provider = inferred ? inferProvider(model) : text(providerField);
        TokenCounts.Counts counts = TokenCounts.read(usage, scopes, countLimits);
        Integer cost = CostMicros.read(scopes, fields);
        EventTime.Stamp lineTime = event.lineTime() == null ? null
                : new EventTime.Stamp(event.lineTime(), event.lineTimeZoneless());
        Fields.Found ownTime = fields.time(scopes);
        EventTime.Stamp createdAt = EventTime.read(ownTime, lineTime, logZone, timePaths);
        String identity = event.identity(ownTime == null);
        Fields.Found user = fields.first(scopes, "user_id");
        Fields.Found session = fields.first(scopes, "session_id");
        UUID id = identityUtf8 != null && identity == event.identityText() ? EventId.of(identityUtf8)
                : EventId.of(identity);
        TokenUsage row = new TokenUsage(id, Uuids.read(user), Uuids.read(session),
                shared(provider), shared(model), counts.prompt(), counts.completion(), counts.total(), cost,
                createdAt.instant());
        return new Normalized(row, identity, inferred, createdAt.zoneless(),
                new Sources(modelField, providerField, counts, ownTime, user, session));
    }

    /**
     * Which member gave each value, as {@code explain} prints it.
     *
     * @param provider null when it was inferred from the model
     * @param time null when the line's prefix or a wrapper timed the event
     */
    public record Sources(Fields.Found model, Fields.Found provider, TokenCounts.Counts counts, Fields.Found time,
            Fields.Found userId, Fields.Found sessionId) {

        /** One line a value: the column, the key it came from, and what it held. */
        public List<String> describe() {
            List<String> lines = new ArrayList<>();
            lines.add("model ← " + describe(model));
            lines.add("provider ← " + (provider == null ? "inferred from the model's name" : describe(provider)));
            lines.add(counts.source());
            lines.add("created_at ← " + (time == null ? "the time around the event (a text prefix or wrapper)"
                    : describe(time)));
            lines.add("user_id ← " + (userId == null ? "(absent)" : describe(userId)));
            lines.add("session_id ← " + (sessionId == null ? "(absent)" : describe(sessionId)));
            return lines;
        }

        private static String describe(Fields.Found found) {
            return found.name() + " = " + found.value();
        }
    }

    /** The line's own scopes, then what its message carries: the line's fields win wherever they are. */
    /**
     * The id the event's row has, or would have had: for an event rejected before its row was made, what a corrected
     * copy of its line is loaded under. Whether the time is the line's (and so part of the identity) is decided by
     * the event's own fields, as for a row.
     */
    public UUID idOf(RecognizedEvent event, int occurrence) {
        Fields.Found ownTime;
        try {
            ownTime = fields.time(scopes(event));
        } catch (RejectedLineException e) {
            ownTime = null;
        }
        return EventId.of(event.identity(ownTime == null), occurrence);
    }

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
    public record Normalized(TokenUsage row, String identity, boolean providerInferred, boolean zonelessTime,
            Sources sources) {
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
