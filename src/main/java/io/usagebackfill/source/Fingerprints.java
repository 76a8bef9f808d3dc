package io.usagebackfill.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Reads file identity: gzip magic and a hash of the first decompressed bytes. Stateless and thread-safe. */
public final class Fingerprints {

    /** Enough to cover a few log lines, so two logs that start the same way rarely share a fingerprint. */
    static final int FINGERPRINT_BYTES = 4096;

    private Fingerprints() {
    }

    /** Opens the file's content, decoded when {@code decode} ({@link ContentDecoding}). */
    public static InputStream openContent(Path path, boolean decode) throws IOException {
        return ContentDecoding.open(path, decode);
    }

    /** Whether the file's content must be decoded (compressed, or UTF-16): see {@link ContentDecoding}. */
    public static boolean needsDecoding(Path path) throws IOException {
        return ContentDecoding.needed(path);
    }

    /** Fingerprint of the first {@code limit} content bytes; the second element is how many bytes were hashed. */
    static Hashed hashHead(Path path, boolean gzip, int limit) throws IOException {
        try (InputStream in = openContent(path, gzip)) {
            byte[] head = in.readNBytes(limit);
            return new Hashed(HexFormat.of().formatHex(sha256().digest(head)), head.length);
        }
    }

    /** Whether {@code file}'s content still starts with the bytes it was fingerprinted on. */
    public static boolean stillMatches(SourceFile file) {
        return holds(Path.of(file.path()), file);
    }

    /** Whether the file at {@code path} starts with the bytes {@code file} was fingerprinted on (its rotated copy). */
    public static boolean holds(Path path, SourceFile file) {
        try {
            if (!Files.isRegularFile(path)) {
                return false;
            }
            Hashed now = hashHead(path, needsDecoding(path), file.fingerprintBytes());
            return now.bytes() == file.fingerprintBytes() && now.hex().equals(file.fingerprint());
        } catch (IOException e) {
            return false;
        }
    }

    /** The hash a ledger keeps of the bytes just before where a read ended, to know the file again by them. */
    public static String hashOf(byte[] bytes, int length) {
        MessageDigest sha = sha256();
        sha.update(bytes, 0, Math.min(length, bytes.length));
        return HexFormat.of().formatHex(sha.digest());
    }

    /** The hash of the content bytes just before {@code end}, as {@link #hashOf} makes it for the ledger. */
    public static String hashBefore(Path path, boolean gzip, long end) throws IOException {
        int length = tailBytes(end);
        try (InputStream in = openContent(path, gzip)) {
            in.skipNBytes(end - length);
            return hashOf(in.readNBytes(length), length);
        }
    }

    /** How many bytes before a read's end that hash covers. */
    public static int tailBytes(long offset) {
        return (int) Math.min(FINGERPRINT_BYTES, offset);
    }

    record Hashed(String hex, int bytes) {
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime ships SHA-256", e);
        }
    }
}
