package io.usagebackfill.normalize;

import java.time.Instant;
import java.util.List;

import io.usagebackfill.parse.RecognizedEvent;
import tools.jackson.databind.JsonNode;

/**
 * Turns a recognised event into a {@link TokenUsage} row following the rules in the README's "From event to row"
 * table: aliases, units, UTC, and the checks that reject an event. Immutable and thread-safe.
 */
public final class EventNormalizer {

    static final List<String> USER = List.of("user_id", "userId");
    static final List<String> SESSION = List.of("session_id", "sessionId");

    private final ProviderCatalog providers;

    public EventNormalizer(ProviderCatalog providers) {
        this.providers = providers;
    }

    /**
     * @throws RejectedLineException when the event cannot become a row; the message says which field and why
     */
    public Normalized normalize(RecognizedEvent event) {
        JsonNode fields = event.fields();
        String model = requiredText(fields, "model");
        Fields.Found providerField = Fields.first(fields, List.of("provider"));
        boolean inferred = providerField == null;
        String provider = inferred ? inferProvider(model) : requiredText(fields, "provider");
        TokenCounts.Counts counts = TokenCounts.read(fields);
        Integer cost = CostMicros.read(fields);
        Instant createdAt = EventTime.read(fields, event.lineTime());
        TokenUsage row = new TokenUsage(EventId.of(event.identityText()), Uuids.read(userId(fields)),
                Uuids.read(Fields.first(fields, SESSION)), provider, model, counts.prompt(), counts.completion(),
                counts.total(), cost, createdAt);
        return new Normalized(row, inferred);
    }

    /** A normalised row, and whether its provider was inferred from the model name. */
    public record Normalized(TokenUsage row, boolean providerInferred) {
    }

    private static Fields.Found userId(JsonNode fields) {
        Fields.Found found = Fields.first(fields, USER);
        if (found == null) {
            JsonNode user = fields.get("user");
            if (user != null && user.isObject()) {
                Fields.Found nested = Fields.first(user, List.of("id"));
                return nested == null ? null : new Fields.Found("user.id", nested.value());
            }
        }
        return found;
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

    private static String requiredText(JsonNode fields, String name) {
        JsonNode value = fields.get(name);
        if (value == null || value.isNull()) {
            throw new RejectedLineException(name + " is missing");
        }
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
        return text;
    }

}
