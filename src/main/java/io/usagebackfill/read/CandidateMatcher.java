package io.usagebackfill.read;

/**
 * Finds {@code token_usage} in raw bytes, in any letter case, before a line is decoded: lines without it are noise
 * and are counted without being decoded or parsed. Stateless and thread-safe.
 */
final class CandidateMatcher {

    private static final byte[] WORD = "token_usage".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private CandidateMatcher() {
    }

    static boolean contains(byte[] bytes, int from, int to) {
        int last = to - WORD.length;
        for (int i = from; i <= last; i++) {
            if ((bytes[i] | 0x20) == 't' && matchesAt(bytes, i)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesAt(byte[] bytes, int at) {
        for (int j = 1; j < WORD.length; j++) {
            int b = bytes[at + j];
            if (b >= 'A' && b <= 'Z') {
                b += 'a' - 'A';
            }
            if (b != WORD[j]) {
                return false;
            }
        }
        return true;
    }
}
