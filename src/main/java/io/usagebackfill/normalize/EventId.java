package io.usagebackfill.normalize;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Name-based (version 5, SHA-1) UUIDs for events: the same event text always gets the same row id, which is what
 * lets {@code ON CONFLICT (id) DO NOTHING} make re-runs, rotated copies and restarts harmless. Thread-safe.
 */
public final class EventId {

    /** A fixed namespace of our own, so our ids never collide with other v5 ids made from the same text. */
    private static final byte[] NAMESPACE = toBytes(UUID.fromString("6b9e3a52-6f0c-4b8e-9a8e-2c1f0d7e5a41"));

    /** One digest per thread, reused: looking one up per event was a measurable share of the parse. */
    private static final ThreadLocal<MessageDigest> SHA1 = ThreadLocal.withInitial(EventId::sha1);

    private EventId() {
    }

    /**
     * The id of the {@code occurrence}-th repeat (0: the first appearance) of a byte-identical line in one file:
     * the first keeps the id of its text alone, so rows loaded before repeats had ids of their own keep theirs.
     */
    public static UUID of(String eventText, int occurrence) {
        return occurrence == 0 ? of(eventText) : of(eventText + "\u0000occurrence " + occurrence);
    }

    public static UUID of(String eventText) {
        return of(eventText.getBytes(StandardCharsets.UTF_8));
    }

    /** The id of the event text whose UTF-8 bytes these are. */
    public static UUID of(byte[] eventTextUtf8) {
        MessageDigest sha1 = SHA1.get();
        sha1.update(NAMESPACE);
        byte[] hash = sha1.digest(eventTextUtf8);
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 8; i++) {
            msb = (msb << 8) | (hash[i] & 0xff);
            lsb = (lsb << 8) | (hash[i + 8] & 0xff);
        }
        return new UUID(msb, lsb);
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime ships SHA-1", e);
        }
    }

    private static byte[] toBytes(UUID uuid) {
        byte[] bytes = new byte[16];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (uuid.getMostSignificantBits() >>> (56 - 8 * i));
            bytes[i + 8] = (byte) (uuid.getLeastSignificantBits() >>> (56 - 8 * i));
        }
        return bytes;
    }
}
