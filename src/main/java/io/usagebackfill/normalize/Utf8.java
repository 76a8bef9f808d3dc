package io.usagebackfill.normalize;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Whether a line's bytes are valid UTF-8: an event whose bytes are not would be stored with U+FFFD in place of
 * what was written, a value changed silently, so it is rejected instead. Stateless and thread-safe.
 */
final class Utf8 {

    private Utf8() {
    }

    /** The index of the first byte that is not valid UTF-8, or -1 when all are. */
    static int firstInvalidByte(byte[] bytes) {
        int from = 0;
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
}
