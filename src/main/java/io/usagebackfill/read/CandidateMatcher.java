package io.usagebackfill.read;

/**
 * Finds {@code token_usage} in raw bytes, in any letter case and with any of its letters written as a JSON escape
 * ({@code token\u005fusage}, or {@code token\\u005fusage} inside a Docker wrapper's {@code log} string), before a
 * line is decoded: lines without it are noise and are counted without being decoded or parsed. Stateless and
 * thread-safe.
 */
final class CandidateMatcher {

    private static final byte[] WORD = "token_usage".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private CandidateMatcher() {
    }

    /**
     * The word's {@code _} has no other letter case, and an escaped letter brings a backslash: a line with neither
     * byte cannot hold the word, and in a line without a backslash the word is written as it is, around one of its
     * underscores. Most lines are told so by a search for those two bytes, eight at a time; only a line with a
     * backslash is scanned whole.
     */
    static boolean contains(byte[] bytes, int from, int to) {
        for (int i = ByteScan.indexOfEither(bytes, from, to, (byte) '_', (byte) '\\'); i >= 0;
                i = ByteScan.indexOfEither(bytes, i + 1, to, (byte) '_', (byte) '\\')) {
            if (bytes[i] == '\\') {
                return scan(bytes, from, to);
            }
            if (unescapedAround(bytes, from, to, i)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the word is written as it is (in any letter case) around the underscore at {@code underscore}. */
    private static boolean unescapedAround(byte[] bytes, int from, int to, int underscore) {
        int at = underscore - UNDERSCORE_AT;
        if (at < from || at + WORD.length > to) {
            return false;
        }
        for (int i = 0; i < WORD.length; i++) {
            if (lower(bytes[at + i]) != WORD[i]) {
                return false;
            }
        }
        return true;
    }

    private static final int UNDERSCORE_AT = "token".length();

    /** The whole test, without the pre-test: for each possible start, the word or its escapes. */
    static boolean scan(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            int b = bytes[i];
            if (((b | 0x20) == 't' || b == '\\') && matchesAt(bytes, i, to)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesAt(byte[] bytes, int at, int to) {
        int i = at;
        for (byte expected : WORD) {
            int next = matchChar(bytes, i, to, expected);
            if (next < 0) {
                return false;
            }
            i = next;
        }
        return true;
    }

    /** Where the text after one character of the word starts, or -1 when {@code expected} is not at {@code at}. */
    private static int matchChar(byte[] bytes, int at, int to, byte expected) {
        if (at >= to) {
            return -1;
        }
        if (lower(bytes[at]) == expected) {
            return at + 1;
        }
        int i = at;
        while (i < to && bytes[i] == '\\') {
            i++;
        }
        if (i == at || i + 5 > to || bytes[i] != 'u') {
            return -1;
        }
        int code = 0;
        for (int j = i + 1; j <= i + 4; j++) {
            int digit = Character.digit(bytes[j], 16);
            if (digit < 0) {
                return -1;
            }
            code = code * 16 + digit;
        }
        return code < 0x80 && lower((byte) code) == expected ? i + 5 : -1;
    }

    private static int lower(byte b) {
        return b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b;
    }
}
