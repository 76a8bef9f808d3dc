package io.usagebackfill.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

class Utf8Test {

    @Test
    void theFirstInvalidByteIsFoundAtEveryAlignmentAsTheStrictDecoderFindsIt() {
        Random random = new Random(41);
        byte[][] pieces = {"a".getBytes(StandardCharsets.UTF_8), "é".getBytes(StandardCharsets.UTF_8),
            "😀".getBytes(StandardCharsets.UTF_8), {(byte) 0xc3}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
            {(byte) 0xc0, (byte) 0xaf}, {(byte) 0xff}, "0123456789abcdef".getBytes(StandardCharsets.UTF_8)};
        for (int round = 0; round < 20_000; round++) {
            ByteBuffer line = ByteBuffer.allocate(256);
            for (int i = random.nextInt(12); i > 0; i--) {
                // Mostly runs of ASCII, so that a bad byte falls at every place in and after a word.
                line.put(random.nextInt(3) == 0 ? pieces[random.nextInt(pieces.length)] : pieces[pieces.length - 1]);
            }
            byte[] bytes = java.util.Arrays.copyOf(line.array(), line.position());
            assertThat(Utf8.firstInvalidByte(bytes)).isEqualTo(byDecoder(bytes));
        }
    }

    private static int byDecoder(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        var result = decoder.decode(in, CharBuffer.allocate(bytes.length + 2), true);
        if (!result.isError()) {
            result = decoder.flush(CharBuffer.allocate(2));
        }
        return result.isError() ? in.position() : -1;
    }
}
