package io.usagebackfill.normalize;

import java.time.Instant;
import java.util.UUID;

/**
 * One {@code token_usage} row, ready to load: validated, converted to the table's units and to UTC.
 * Immutable and thread-safe.
 *
 * @param id deterministic row id derived from the event's own text, so re-reading the same event yields the same id
 * @param userId user id, or {@code null}
 * @param sessionId session id, or {@code null}
 * @param costMicros cost in micro-dollars, or {@code null} when the log carried none
 * @param createdAt when the model call happened, from the event's own timestamp
 */
public record TokenUsage(
        UUID id,
        UUID userId,
        UUID sessionId,
        String provider,
        String model,
        int promptTokens,
        int completionTokens,
        int totalTokens,
        Integer costMicros,
        Instant createdAt) {

    /** The same row under another id (that of a repeated line's occurrence). */
    public TokenUsage withId(UUID newId) {
        return new TokenUsage(newId, userId, sessionId, provider, model, promptTokens, completionTokens, totalTokens,
                costMicros, createdAt);
    }

    /** The same row with an estimated cost, for an event that logged none. */
    public TokenUsage withCostMicros(Integer micros) {
        return new TokenUsage(id, userId, sessionId, provider, model, promptTokens, completionTokens, totalTokens,
                micros, createdAt);
    }

    /** The same row with the user and/or session id removed, as the foreign keys' ON DELETE SET NULL would. */
    public TokenUsage withoutUnknownReferences(boolean dropUser, boolean dropSession) {
        return new TokenUsage(id, dropUser ? null : userId, dropSession ? null : sessionId, provider, model,
                promptTokens, completionTokens, totalTokens, costMicros, createdAt);
    }
}
