package io.usagebackfill.read;


/**
 * How often each candidate line has been seen so far in one file, so the k-th repeat of a byte-identical line
 * gets occurrence k (0 for its first appearance) and with it a row id of its own. Lines are told apart by a 64-bit
 * hash of their bytes. Two different lines that happened to share a hash would only give the second a higher
 * occurrence: its id still derives from its own text, and the same bytes always give the same occurrences, which
 * is all that exactly-once needs. Nothing stores the hash (a resumed read counts the lines before it again), but a
 * run restarted by another version must count as the first did, so the hash must not change without need: a
 * changed hash gives other occurrences only to lines that collided under one of the two, about once in 10^7
 * files of a million lines each.
 *
 * <p>Memory: one slot of 12 bytes per distinct candidate line of the file, at most half full (about 24 bytes a
 * line: 100 MB for a file of four million events). Not thread-safe.
 */
final class LineOccurrences {

    private static final long PRIME_1 = 0x9E3779B185EBCA87L;
    private static final long PRIME_2 = 0xC2B2AE3D27D4EB4FL;

    private long[] hashes = new long[256];
    /**
     * How often the line in the same slot appeared after its first time. A line's first appearance touches only
     * {@code hashes} (one cache miss in a table of megabytes, not two): most candidate lines appear once.
     */
    private int[] repeats = new int[256];
    private int size;

    /** Counts one more appearance of the line and returns how often it appeared before. */
    int next(byte[] bytes, int from, int to) {
        long hash = hash(bytes, from, to);
        // 0 marks an empty slot: a line whose hash is 0 is kept as 1 (one line in 2^63 shares it with another).
        hash = hash == 0 ? 1 : hash;
        int mask = hashes.length - 1;
        int slot = slotOf(hash, hashes.length);
        for (long held = hashes[slot]; held != 0; held = hashes[slot]) {
            if (held == hash) {
                return ++repeats[slot];
            }
            slot = (slot + 1) & mask;
        }
        hashes[slot] = hash;
        if (++size * 2 > hashes.length) {
            grow();
        }
        return 0;
    }

    /**
     * Eight bytes a step, each mixed in as xxHash64 mixes a lane, the length and the last bytes after them, then a
     * finaliser that spreads the bits over the table's slots. (Byte by byte, FNV-1a, it was a sixth of the parse.)
     */
    static long hash(byte[] bytes, int from, int to) {
        long h = PRIME_1 + (to - from) * PRIME_2;
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            h = Long.rotateLeft(h ^ Long.rotateLeft((long) ByteScan.LONGS.get(bytes, i) * PRIME_2, 31) * PRIME_1, 27)
                    * PRIME_1;
        }
        long tail = 0;
        for (int shift = 0; i < to; i++, shift += 8) {
            tail |= (bytes[i] & 0xffL) << shift;
        }
        h = Long.rotateLeft(h ^ Long.rotateLeft(tail * PRIME_2, 31) * PRIME_1, 27) * PRIME_1;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }

    private static int slotOf(long hash, int length) {
        return (int) (hash ^ (hash >>> 32)) & (length - 1);
    }

    private void grow() {
        long[] oldHashes = hashes;
        int[] oldRepeats = repeats;
        hashes = new long[oldHashes.length * 2];
        repeats = new int[oldRepeats.length * 2];
        int mask = hashes.length - 1;
        for (int i = 0; i < oldHashes.length; i++) {
            if (oldHashes[i] != 0) {
                int slot = slotOf(oldHashes[i], hashes.length);
                while (hashes[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                hashes[slot] = oldHashes[i];
                repeats[slot] = oldRepeats[i];
            }
        }
    }
}
