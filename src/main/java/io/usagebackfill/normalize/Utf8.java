package io.usagebackfill.normalize;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Whether a line's bytes are valid UTF-8, and a value's characters have UTF-8 bytes at all: an event whose bytes are
 * not would be stored with U+FFFD in place of what was written, and a lone surrogate with '?', a value changed
 * silently, so it is rejected instead. Stateless and thread-safe.
 */
public final class Utf8 {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    private Utf8() {
    }

    /** The index of the first byte that is not valid UTF-8, or -1 when all are. */
    public static int firstInvalidByte(byte[] bytes) {
        int from = 0;
        // ASCII eight bytes at a time: every event line passes here, and most are ASCII throughout.
        while (from + Long.BYTES <= bytes.length && ((long) LONGS.get(bytes, from) & HIGH_BITS) == 0) {
            from += Long.BYTES;
        }
        while (from < bytes.length && bytes[from] >= 0) {
            from++;
        }
        if (from == bytes.length) {
            return -1;
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, from, bytes.length - from);
        CoderResult result = decoder.decode(in, CharBuffer.allocate(bytes.length - from), true);
        if (!result.isError()) {
            result = decoder.flush(CharBuffer.allocate(2));
        }
        return result.isError() ? in.position() : -1;
    }

    /**
     * The index of the first lone UTF-16 surrogate in {@code text}, or -1 when there is none. A JSON escape of a
     * code unit from D800 to DFFF can spell one (JavaScript's JSON.stringify writes it for a string cut inside an
     * emoji), but it is half of a character, which UTF-8, and so PostgreSQL's text, cannot hold.
     */
    static int loneSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || i + 1 == text.length()
                        || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return i;
                }
                i++;
            }
        }
        return -1;
    }
}
