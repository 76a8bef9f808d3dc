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
        long patternA = ONES * (a & 0xff);
        long patternB = ONES * (b & 0xff);
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long word = (long) LONGS.get(bytes, i);
            if ((zeroBytes(word ^ patternA) | zeroBytes(word ^ patternB)) != 0) {
                return true;
            }
        }
        for (; i < to; i++) {
            if (bytes[i] == a || bytes[i] == b) {
                return true;
            }
        }
        return false;
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
