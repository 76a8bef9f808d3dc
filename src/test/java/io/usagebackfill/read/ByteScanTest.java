package io.usagebackfill.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

class ByteScanTest {

    /** Bytes the scans and the word are made of, so that matches, near misses and escapes are common. */
    private static final byte[] ALPHABET = "tokenusagTOKENUSAG_\\u005f0\n{\"".getBytes(StandardCharsets.US_ASCII);

    @Test
    void indexOfFindsTheFirstTargetAtEveryAlignmentAsAByteLoopDoes() {
        Random random = new Random(11);
        for (int round = 0; round < 20_000; round++) {
            Slice slice = Slice.random(random);
            byte[] bytes = slice.bytes();
            int from = slice.from();
            int to = slice.to();
            byte target = ALPHABET[random.nextInt(ALPHABET.length)];
            assertThat(ByteScan.indexOf(bytes, from, to, target)).isEqualTo(byteLoopIndexOf(bytes, from, to, target));
        }
    }

    @Test
    void indexOfTellsHighBytesApartFromTheTarget() {
        byte[] bytes = {(byte) 0x8a, (byte) 0xff, 0x0b, (byte) 0x8a, 0x09, (byte) 0x80, 0x0a, 0x7f, 0x0a};
        assertThat(ByteScan.indexOf(bytes, 0, bytes.length, (byte) '\n')).isEqualTo(6);
        assertThat(ByteScan.indexOf(bytes, 7, bytes.length, (byte) '\n')).isEqualTo(8);
        assertThat(ByteScan.indexOf(bytes, 0, 6, (byte) '\n')).isEqualTo(-1);
    }

    @Test
    void countCountsEveryTargetEvenNextToBytesThatBorrow() {
        Random random = new Random(15);
        for (int round = 0; round < 20_000; round++) {
            Slice slice = Slice.random(random);
            byte[] bytes = slice.bytes();
            int from = slice.from();
            int to = slice.to();
            byte target = random.nextBoolean() ? (byte) '\n' : ALPHABET[random.nextInt(ALPHABET.length)];
            int expected = 0;
            for (int i = from; i < to; i++) {
                expected += bytes[i] == target ? 1 : 0;
            }
            assertThat(ByteScan.count(bytes, from, to, target)).isEqualTo(expected);
        }
        byte[] borrows = {0x0a, 0x0b, 0x0a, 0x0b, 0x0b, 0x0a, 0x0a, 0x0b};
        assertThat(ByteScan.count(borrows, 0, 8, (byte) '\n')).isEqualTo(4);
    }

    @Test
    void containsEitherAgreesWithAByteLoop() {
        Random random = new Random(12);
        for (int round = 0; round < 20_000; round++) {
            Slice slice = Slice.random(random);
            byte[] bytes = slice.bytes();
            int from = slice.from();
            int to = slice.to();
            boolean expected = byteLoopIndexOf(bytes, from, to, (byte) '_') >= 0
                    || byteLoopIndexOf(bytes, from, to, (byte) '\\') >= 0;
            assertThat(ByteScan.containsEither(bytes, from, to, (byte) '_', (byte) '\\')).isEqualTo(expected);
        }
    }

    @Test
    void indexOfEitherFindsTheFirstOfTwoBytesAsAByteLoopDoes() {
        Random random = new Random(16);
        for (int round = 0; round < 20_000; round++) {
            Slice slice = Slice.random(random);
            int expected = -1;
            for (int i = slice.from(); i < slice.to() && expected < 0; i++) {
                expected = slice.bytes()[i] == '_' || slice.bytes()[i] == '\\' ? i : -1;
            }
            assertThat(ByteScan.indexOfEither(slice.bytes(), slice.from(), slice.to(), (byte) '_', (byte) '\\'))
                    .isEqualTo(expected);
        }
    }

    @Test
    void indexOfANeedleFindsItsFirstWholeOccurrenceAtEveryAlignmentAsAByteLoopDoes() {
        Random random = new Random(17);
        byte[][] needles = {"\"log\"".getBytes(StandardCharsets.US_ASCII), "\"stream\"".getBytes(StandardCharsets.US_ASCII),
            "__".getBytes(StandardCharsets.US_ASCII), "u0".getBytes(StandardCharsets.US_ASCII),
            {(byte) 0x80, (byte) 0x81, 0x01}};
        byte[] pieces = "\"logstream_u0\u0080\u0081\u0001".getBytes(StandardCharsets.ISO_8859_1);
        for (int round = 0; round < 50_000; round++) {
            byte[] needle = needles[random.nextInt(needles.length)];
            byte[] bytes = new byte[random.nextInt(48)];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = pieces[random.nextInt(pieces.length)];
            }
            if (bytes.length >= needle.length && random.nextBoolean()) {
                System.arraycopy(needle, 0, bytes, random.nextInt(bytes.length - needle.length + 1), needle.length);
            }
            int from = random.nextInt(bytes.length + 1);
            int to = from + random.nextInt(bytes.length - from + 1);
            int expected = -1;
            for (int at = from; at + needle.length <= to && expected < 0; at++) {
                expected = java.util.Arrays.equals(bytes, at, at + needle.length, needle, 0, needle.length) ? at : -1;
            }
            assertThat(ByteScan.indexOf(bytes, from, to, needle)).as("%s in %s [%d, %d)",
                    new String(needle, StandardCharsets.ISO_8859_1), new String(bytes, StandardCharsets.ISO_8859_1),
                    from, to).isEqualTo(expected);
        }
    }

    @Test
    void theCandidateTestWithItsPreTestAgreesWithTheFullScan() {
        Random random = new Random(13);
        for (int round = 0; round < 50_000; round++) {
            byte[] bytes = randomBytes(random, random.nextInt(60));
            if (random.nextInt(4) == 0) {
                byte[] word = (random.nextBoolean() ? "tOken_usage" : "token\\u005fusage").getBytes(StandardCharsets.US_ASCII);
                int at = random.nextInt(Math.max(1, bytes.length - word.length + 1));
                System.arraycopy(word, 0, bytes, at, Math.min(word.length, bytes.length - at));
            }
            assertThat(CandidateMatcher.contains(bytes, 0, bytes.length))
                    .isEqualTo(CandidateMatcher.scan(bytes, 0, bytes.length));
        }
    }

    @Test
    void theOccurrenceHashDependsOnlyOnTheLinesBytesNotWhereTheyAre() {
        Random random = new Random(14);
        for (int round = 0; round < 5_000; round++) {
            byte[] line = randomBytes(random, 1 + random.nextInt(50));
            byte[] shifted = new byte[line.length + 13];
            int at = random.nextInt(14);
            System.arraycopy(line, 0, shifted, at, line.length);
            assertThat(LineOccurrences.hash(shifted, at, at + line.length))
                    .isEqualTo(LineOccurrences.hash(line, 0, line.length));
            byte[] changed = line.clone();
            int i = random.nextInt(changed.length);
            changed[i] ^= (byte) (1 + random.nextInt(255));
            assertThat(LineOccurrences.hash(changed, 0, changed.length))
                    .isNotEqualTo(LineOccurrences.hash(line, 0, line.length));
        }
        assertThat(LineOccurrences.hash(new byte[8], 0, 8)).isNotEqualTo(LineOccurrences.hash(new byte[9], 0, 9));
    }

    /** Random bytes and a random range of them, empty ranges and every alignment included. */
    private record Slice(byte[] bytes, int from, int to) {

        static Slice random(Random random) {
            byte[] bytes = randomBytes(random, random.nextInt(40));
            int from = bytes.length == 0 ? 0 : random.nextInt(bytes.length + 1);
            return new Slice(bytes, from, from + random.nextInt(bytes.length - from + 1));
        }
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = random.nextInt(8) == 0 ? (byte) random.nextInt(256) : ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return bytes;
    }

    private static int byteLoopIndexOf(byte[] bytes, int from, int to, byte target) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == target) {
                return i;
            }
        }
        return -1;
    }
}
