package io.usagebackfill.read;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Searches of raw bytes eight at a time (SWAR: a zero-byte test on a whole {@code long}), for the scans every byte
 * of every file goes through: line ends, and the two bytes without which a line cannot name the event. Stateless and
 * thread-safe.
 */
final class ByteScan {

    static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    private ByteScan() {
    }

    /** The index of the first {@code target} in {@code bytes[from, to)}, or -1. */
    static int indexOf(byte[] bytes, int from, int to, byte target) {
        long pattern = ONES * (target & 0xff);
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long zeros = zeroBytes((long) LONGS.get(bytes, i) ^ pattern);
            if (zeros != 0) {
                return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (bytes[i] == target) {
                return i;
            }
        }
        return -1;
    }

    /** Set in {@link #indexOfMarked}'s result when a mark came before the target. */
    static final long MARKED = 1L << 32;

    /**
     * The first {@code target} in {@code bytes[from, to)}, and whether {@code markA} or {@code markB} comes before it,
     * in one pass: the index in the low 32 bits ({@code (int)} of the result, -1 when there is none) and
     * {@link #MARKED} set when a mark is in {@code [from, index)} (or in the whole range, when there is no target).
     */
    static long indexOfMarked(byte[] bytes, int from, int to, byte target, byte markA, byte markB) {
        long pattern = ONES * (target & 0xff);
        long patternA = ONES * (markA & 0xff);
        long patternB = ONES * (markB & 0xff);
        long marks = 0;
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long word = (long) LONGS.get(bytes, i);
            long found = zeroBytes(word ^ pattern);
            // A flag can be false only above a true match in its own word: any flag below the target is a mark.
            long marked = zeroBytes(word ^ patternA) | zeroBytes(word ^ patternB);
            if (found != 0) {
                marks |= marked & ((found & -found) - 1);
                return (marks != 0 ? MARKED : 0) | (i + (Long.numberOfTrailingZeros(found) >>> 3));
            }
            if (marked != 0) {
                // Marked already: the rest is the plain search.
                return MARKED | (indexOf(bytes, i + Long.BYTES, to, target) & 0xFFFF_FFFFL);
            }
        }
        for (; i < to; i++) {
            if (bytes[i] == target) {
                return (marks != 0 ? MARKED : 0) | i;
            }
            marks |= bytes[i] == markA || bytes[i] == markB ? 1 : 0;
        }
        return (marks != 0 ? MARKED : 0) | 0xFFFF_FFFFL;
    }

    /** Whether {@code bytes[from, to)} holds {@code a} or {@code b}. */
    static boolean containsEither(byte[] bytes, int from, int to, byte a, byte b) {
        return indexOfEither(bytes, from, to, a, b) >= 0;
    }

    /** The index of the first {@code a} or {@code b} in {@code bytes[from, to)}, or -1. */
    static int indexOfEither(byte[] bytes, int from, int to, byte a, byte b) {
        long patternA = ONES * (a & 0xff);
        long patternB = ONES * (b & 0xff);
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long word = (long) LONGS.get(bytes, i);
            // Each mask is exact up to its lowest zero byte, so the lowest bit of either is the first match.
            long either = zeroBytes(word ^ patternA) | zeroBytes(word ^ patternB);
            if (either != 0) {
                return i + (Long.numberOfTrailingZeros(either) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (bytes[i] == a || bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The index of the first occurrence of {@code needle} (at least two bytes) that lies wholly in
     * {@code bytes[from, to)}, or -1. Eight starts are tested a step by two of the needle's bytes (two words): its
     * first and last, or of a needle of four bytes or more the two inside them, as the needles here are quoted JSON
     * keys: in a JSON line nearly every start has a quote, and the inner bytes of {@code "log"} then pass almost
     * none. Only the starts where both match are compared whole.
     */
    static int indexOf(byte[] bytes, int from, int to, byte[] needle) {
        int last = needle.length - 1;
        int p = needle.length >= 4 ? 1 : 0;
        int q = needle.length >= 4 ? last - 1 : last;
        long atP = ONES * (needle[p] & 0xff);
        long atQ = ONES * (needle[q] & 0xff);
        int i = from;
        for (; i + last + Long.BYTES <= to; i += Long.BYTES) {
            // Flags may be false above a true match, never missing: every flagged start is compared.
            long starts = zeroBytes((long) LONGS.get(bytes, i + p) ^ atP)
                    & zeroBytes((long) LONGS.get(bytes, i + q) ^ atQ);
            for (; starts != 0; starts &= starts - 1) {
                int at = i + (Long.numberOfTrailingZeros(starts) >>> 3);
                if (regionIs(bytes, at, needle)) {
                    return at;
                }
            }
        }
        for (; i + last < to; i++) {
            if (regionIs(bytes, i, needle)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether {@code bytes} hold {@code ascii} at {@code at} (which has room for it). */
    static boolean regionIs(byte[] bytes, int at, byte[] ascii) {
        for (int i = 0; i < ascii.length; i++) {
            if (bytes[at + i] != ascii[i]) {
                return false;
            }
        }
        return true;
    }

    /** How many {@code target} bytes {@code bytes[from, to)} holds. */
    static int count(byte[] bytes, int from, int to, byte target) {
        long pattern = ONES * (target & 0xff);
        int count = 0;
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long word = (long) LONGS.get(bytes, i) ^ pattern;
            // Exactly the zero bytes' high bits: no borrow crosses bytes, unlike zeroBytes.
            count += Long.bitCount(~(((word & ~HIGHS) + ~HIGHS) | word | ~HIGHS));
        }
        for (; i < to; i++) {
            count += bytes[i] == target ? 1 : 0;
        }
        return count;
    }

    /**
     * The high bit of each zero byte of {@code word} set: exact for the lowest zero byte (a borrow can only mark
     * bytes above a zero one), so its position, and whether there is one at all, are right.
     */
    private static long zeroBytes(long word) {
        return (word - ONES) & ~word & HIGHS;
    }
}
