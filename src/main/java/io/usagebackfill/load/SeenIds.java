package io.usagebackfill.load;

import java.util.UUID;

/**
 * The ids a CSV export has written, so an event met again (a rotated copy) is written once: an open-addressing hash
 * set of the ids' two halves in one {@code long[]}, 16 bytes an id at most half full, about 32 bytes per distinct
 * event (320 MB for ten million). Not thread-safe.
 */
final class SeenIds {

    private long[] slots = new long[2 * 1024];
    private boolean hasZero;
    private int size;

    /** Adds {@code id}; false when it was there already. */
    boolean add(UUID id) {
        long high = id.getMostSignificantBits();
        long low = id.getLeastSignificantBits();
        if (high == 0 && low == 0) {
            boolean fresh = !hasZero;
            hasZero = true;
            return fresh;
        }
        if (2L * (size + 1) > slots.length / 2) {
            grow();
        }
        if (!insert(slots, high, low)) {
            return false;
        }
        size++;
        return true;
    }

    private static boolean insert(long[] table, long high, long low) {
        int mask = table.length / 2 - 1;
        int i = (int) (mix(high ^ low) & mask);
        while (table[2 * i] != 0 || table[2 * i + 1] != 0) {
            if (table[2 * i] == high && table[2 * i + 1] == low) {
                return false;
            }
            i = (i + 1) & mask;
        }
        table[2 * i] = high;
        table[2 * i + 1] = low;
        return true;
    }

    private void grow() {
        long[] bigger = new long[slots.length * 2];
        for (int i = 0; i < slots.length; i += 2) {
            if (slots[i] != 0 || slots[i + 1] != 0) {
                insert(bigger, slots[i], slots[i + 1]);
            }
        }
        slots = bigger;
    }

    private static long mix(long x) {
        x ^= x >>> 33;
        x *= 0xff51afd7ed558ccdL;
        x ^= x >>> 33;
        return x;
    }
}
