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
     * {@code bytes[from, to)}, or -1. Eight starts are tested a step by the needle's first and last bytes (two
     * words); only the starts where both match are compared whole.
     */
    static int indexOf(byte[] bytes, int from, int to, byte[] needle) {
        int last = needle.length - 1;
        long first = ONES * (needle[0] & 0xff);
        long end = ONES * (needle[last] & 0xff);
        int i = from;
        for (; i + last + Long.BYTES <= to; i += Long.BYTES) {
            // Flags may be false above a true match, never missing: every flagged start is compared.
            long starts = zeroBytes((long) LONGS.get(bytes, i) ^ first)
                    & zeroBytes((long) LONGS.get(bytes, i + last) ^ end);
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
