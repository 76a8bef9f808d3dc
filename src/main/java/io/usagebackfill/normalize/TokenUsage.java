package io.usagebackfill.normalize;

import io.usagebackfill.catalog.EventTime;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One {@code token_usage} row, ready to load: validated, converted to the table's units and to UTC.
 * Immutable and thread-safe.
 *
 * <p>A value with a record's accessors, equality and text, but one object: its UUIDs, time and cost are kept as
 * numbers, not as the five objects a record of them holds. Rows wait in thousands for their chunk's COPY, and every
 * young collection copies the ones waiting, so that was a third of the collector's pauses in a 2M-line import.
 */
public final class TokenUsage {

    private final long idMost;
    private final long idLeast;
    private final long userMost;
    private final long userLeast;
    private final long sessionMost;
    private final long sessionLeast;
    private final boolean hasUser;
    private final boolean hasSession;
    private final boolean hasCost;
    private final int costMicros;
    private final String provider;
    private final String model;
    private final long promptTokens;
    private final long completionTokens;
    private final long totalTokens;
    private final long createdSeconds;
    private final int createdNanos;

    /**
     * @param id deterministic row id derived from the event's own text, so re-reading the same event yields the same
     *     id
     * @param userId user id, or {@code null}
     * @param sessionId session id, or {@code null}
     * @param costMicros cost in micro-dollars, or {@code null} when the log carried none
     * @param createdAt when the model call happened, from the event's own timestamp; held rounded half up to the
     *     microsecond, the table's precision, so that every form of the row (binary COPY, CSV, the export, the
     *     report) says the same time
     */
    public TokenUsage(UUID id, UUID userId, UUID sessionId, String provider, String model, long promptTokens,
            long completionTokens, long totalTokens, Integer costMicros, Instant createdAt) {
        this.idMost = id.getMostSignificantBits();
        this.idLeast = id.getLeastSignificantBits();
        this.hasUser = userId != null;
        this.userMost = hasUser ? userId.getMostSignificantBits() : 0;
        this.userLeast = hasUser ? userId.getLeastSignificantBits() : 0;
        this.hasSession = sessionId != null;
        this.sessionMost = hasSession ? sessionId.getMostSignificantBits() : 0;
        this.sessionLeast = hasSession ? sessionId.getLeastSignificantBits() : 0;
        this.provider = provider;
        this.model = model;
        this.promptTokens = promptTokens;
        this.completionTokens = completionTokens;
        this.totalTokens = totalTokens;
        this.hasCost = costMicros != null;
        this.costMicros = hasCost ? costMicros : 0;
        Instant micros = EventTime.toMicros(createdAt);
        this.createdSeconds = micros.getEpochSecond();
        this.createdNanos = micros.getNano();
    }

    public UUID id() {
        return new UUID(idMost, idLeast);
    }

    public UUID userId() {
        return hasUser ? new UUID(userMost, userLeast) : null;
    }

    public UUID sessionId() {
        return hasSession ? new UUID(sessionMost, sessionLeast) : null;
    }

    public String provider() {
        return provider;
    }

    public String model() {
        return model;
    }

    public long promptTokens() {
        return promptTokens;
    }

    public long completionTokens() {
        return completionTokens;
    }

    public long totalTokens() {
        return totalTokens;
    }

    public Integer costMicros() {
        return hasCost ? costMicros : null;
    }

    public Instant createdAt() {
        return Instant.ofEpochSecond(createdSeconds, createdNanos);
    }

    /** The same row under another id (that of a repeated line's occurrence). */
    public TokenUsage withId(UUID newId) {
        return new TokenUsage(newId, userId(), sessionId(), provider, model, promptTokens, completionTokens,
                totalTokens, costMicros(), createdAt());
    }

    /** The same row with an estimated cost, for an event that logged none. */
    public TokenUsage withCostMicros(Integer micros) {
        return new TokenUsage(id(), userId(), sessionId(), provider, model, promptTokens, completionTokens,
                totalTokens, micros, createdAt());
    }

    /** The same row with the user and/or session id removed, as the foreign keys' ON DELETE SET NULL would. */
    public TokenUsage withoutUnknownReferences(boolean dropUser, boolean dropSession) {
        return new TokenUsage(id(), dropUser ? null : userId(), dropSession ? null : sessionId(), provider, model,
                promptTokens, completionTokens, totalTokens, costMicros(), createdAt());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TokenUsage row && idMost == row.idMost && idLeast == row.idLeast
                && hasUser == row.hasUser && userMost == row.userMost && userLeast == row.userLeast
                && hasSession == row.hasSession && sessionMost == row.sessionMost
                && sessionLeast == row.sessionLeast && Objects.equals(provider, row.provider)
                && Objects.equals(model, row.model) && promptTokens == row.promptTokens
                && completionTokens == row.completionTokens && totalTokens == row.totalTokens
                && hasCost == row.hasCost && costMicros == row.costMicros && createdSeconds == row.createdSeconds
                && createdNanos == row.createdNanos;
    }

    @Override
    public int hashCode() {
        return Objects.hash(id(), userId(), sessionId(), provider, model, promptTokens, completionTokens, totalTokens,
                costMicros(), createdAt());
    }

    @Override
    public String toString() {
        return "TokenUsage[id=" + id() + ", userId=" + userId() + ", sessionId=" + sessionId() + ", provider="
                + provider + ", model=" + model + ", promptTokens=" + promptTokens + ", completionTokens="
                + completionTokens + ", totalTokens=" + totalTokens + ", costMicros=" + costMicros()
                + ", createdAt=" + createdAt() + "]";
    }
}
