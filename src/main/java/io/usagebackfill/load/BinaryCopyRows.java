package io.usagebackfill.load;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import io.usagebackfill.normalize.TokenUsage;

/**
 * {@code token_usage} rows in COPY's binary format, for a table whose columns all have a type this writes:
 * the server takes each value as it is stored instead of parsing text, about 10% less of its CPU than the same
 * rows as CSV (BENCHMARKS.md). The values are those the CSV form gives the server, down to the microsecond.
 * Columns in {@link TableShape#REQUIRED}'s order. Buffers 64 KiB before
 * writing to the stream it is given. Not thread-safe: one per COPY.
 */
final class BinaryCopyRows implements AutoCloseable {

    /** How wide each of the table's integer columns is: 4 bytes ({@code integer}) or 8 ({@code bigint}). */
    record Layout(int promptBytes, int completionBytes, int totalBytes, int costBytes) {
    }

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};
    private static final short FIELDS = 10;
    /** PostgreSQL counts timestamps in microseconds from 2000-01-01T00:00:00Z. */
    private static final long POSTGRES_EPOCH_SECONDS = 946_684_800L;
    private static final int FIXED_BYTES = 256;
    /** Distinct provider and model names seldom run into the dozens; past this many the cache starts over. */
    private static final int NAMES_CACHED = 1024;

    private final OutputStream out;
    private final Layout layout;
    private final byte[] buffer = new byte[1 << 16];
    private final ByteBuffer view = ByteBuffer.wrap(buffer);
    private final Map<String, byte[]> names = new HashMap<>();
    private int at;

    BinaryCopyRows(OutputStream out, Layout layout) {
        this.out = out;
        this.layout = layout;
        System.arraycopy(SIGNATURE, 0, buffer, 0, SIGNATURE.length);
        at = SIGNATURE.length;
        putInt(0); // flags: no OIDs
        putInt(0); // no header extension
    }

    void row(TokenUsage row) throws IOException {
        room(FIXED_BYTES);
        putShort(FIELDS);
        uuid(row.id());
        uuid(row.userId());
        uuid(row.sessionId());
        text(row.provider());
        text(row.model());
        room(FIXED_BYTES);
        integer(row.promptTokens(), layout.promptBytes());
        integer(row.completionTokens(), layout.completionBytes());
        integer(row.totalTokens(), layout.totalBytes());
        if (row.costMicros() == null) {
            putInt(-1);
        } else {
            integer(row.costMicros(), layout.costBytes());
        }
        putInt(Long.BYTES);
        putLong(micros(row.createdAt()));
    }

    /**
     * The microseconds PostgreSQL stores for a row's time: the row holds whole microseconds (rounded half up from
     * finer ones, {@link TokenUsage}), which the CSV form writes as they are, so nothing is left to round here.
     */
    static long micros(Instant instant) {
        return (instant.getEpochSecond() - POSTGRES_EPOCH_SECONDS) * 1_000_000 + instant.getNano() / 1_000;
    }

    /** Writes the trailer and what is buffered to the stream, and closes it (which ends the COPY). */
    @Override
    public void close() throws IOException {
        room(Short.BYTES);
        putShort((short) -1);
        out.write(buffer, 0, at);
        at = 0;
        out.close();
    }

    private void uuid(UUID id) {
        if (id == null) {
            putInt(-1);
            return;
        }
        putInt(16);
        putLong(id.getMostSignificantBits());
        putLong(id.getLeastSignificantBits());
    }

    private void text(String value) throws IOException {
        byte[] bytes = names.get(value);
        if (bytes == null) {
            if (names.size() == NAMES_CACHED) {
                names.clear();
            }
            bytes = value.getBytes(StandardCharsets.UTF_8);
            names.put(value, bytes);
        }
        room(Integer.BYTES + bytes.length);
        putInt(bytes.length);
        if (bytes.length > buffer.length - at) {
            flush();
            out.write(bytes);
            return;
        }
        System.arraycopy(bytes, 0, buffer, at, bytes.length);
        at += bytes.length;
    }

    /** A value the column holds: one of INT's is at most INT's limit, which the normaliser saw to. */
    private void integer(long value, int bytes) {
        putInt(bytes);
        if (bytes == Long.BYTES) {
            putLong(value);
        } else {
            putInt((int) value);
        }
    }

    private void room(int bytes) throws IOException {
        if (buffer.length - at < bytes) {
            flush();
        }
    }

    private void flush() throws IOException {
        out.write(buffer, 0, at);
        at = 0;
    }

    private void putShort(short value) {
        view.putShort(at, value);
        at += Short.BYTES;
    }

    private void putInt(int value) {
        view.putInt(at, value);
        at += Integer.BYTES;
    }

    private void putLong(long value) {
        view.putLong(at, value);
        at += Long.BYTES;
    }
}
