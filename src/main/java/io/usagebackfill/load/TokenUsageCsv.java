package io.usagebackfill.load;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import io.usagebackfill.normalize.TokenUsage;

/**
 * The CSV form of {@code token_usage} rows, written straight as UTF-8 bytes (no per-row strings): the migration
 * guide's columns in its order, then {@code created_at}. Fields are quoted as Commons CSV's default format quotes
 * them (only where a value needs it), except that an empty string is always quoted, so COPY never reads it as
 * NULL; a null prints as an empty unquoted field, which COPY reads as NULL. {@code created_at} is written as
 * {@link DateTimeFormatter#ISO_INSTANT} writes it. Buffers 64 KiB before writing to the stream it is given. Not
 * thread-safe: one per stream.
 */
public final class TokenUsageCsv implements AutoCloseable {

    /** The documented columns, in the documented order. */
    public static final List<String> COLUMNS = List.of("user_id", "session_id", "provider", "model",
            "prompt_tokens", "completion_tokens", "total_tokens", "cost_usd", "created_at");

    /** The header of {@code --csv-out}: {@code id}, then {@link #COLUMNS}. */
    public static final List<String> HEADER = Stream.concat(Stream.of("id"), COLUMNS.stream()).toList();

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final int SECONDS_PER_DAY = 86_400;
    /** The most bytes a row's fields other than provider and model can take. */
    private static final int FIXED_BYTES = 256;

    private final OutputStream out;
    private final byte[] buffer = new byte[1 << 16];
    private int at;
    private long cachedDay = Long.MIN_VALUE;
    private final byte[] cachedDate = new byte[10];

    public TokenUsageCsv(OutputStream out) {
        this.out = out;
    }

    /** The header line of {@code --csv-out}: {@link #HEADER}. */
    public void header() throws IOException {
        byte[] header = (String.join(",", HEADER) + "\n").getBytes(StandardCharsets.US_ASCII);
        room(header.length);
        System.arraycopy(header, 0, buffer, at, header.length);
        at += header.length;
    }

    /** Writes one row; {@code withId} puts the deterministic id first, as COPY into the table needs. */
    public void row(TokenUsage row, boolean withId) throws IOException {
        room(FIXED_BYTES);
        if (withId) {
            uuid(row.id());
            put(',');
        }
        uuid(row.userId());
        put(',');
        uuid(row.sessionId());
        put(',');
        text(row.provider());
        put(',');
        text(row.model());
        room(FIXED_BYTES);
        put(',');
        number(row.promptTokens());
        put(',');
        number(row.completionTokens());
        put(',');
        number(row.totalTokens());
        put(',');
        if (row.costMicros() != null) {
            number(row.costMicros());
        }
        put(',');
        instant(row.createdAt());
        put('\n');
    }

    /** Writes what is buffered to the stream. */
    public void flush() throws IOException {
        if (at > 0) {
            out.write(buffer, 0, at);
            at = 0;
        }
    }

    /** Flushes and closes the stream. */
    @Override
    public void close() throws IOException {
        flush();
        out.close();
    }

    private void room(int bytes) throws IOException {
        if (buffer.length - at < bytes) {
            flush();
        }
    }

    private void put(char ascii) {
        buffer[at++] = (byte) ascii;
    }

    private void uuid(UUID id) {
        if (id == null) {
            return;
        }
        hex(id.getMostSignificantBits() >>> 32, 8);
        put('-');
        hex(id.getMostSignificantBits() >>> 16, 4);
        put('-');
        hex(id.getMostSignificantBits(), 4);
        put('-');
        hex(id.getLeastSignificantBits() >>> 48, 4);
        put('-');
        hex(id.getLeastSignificantBits(), 12);
    }

    /** The low {@code digits} hex digits of {@code bits}, most significant first. */
    private void hex(long bits, int digits) {
        for (int i = digits - 1; i >= 0; i--) {
            buffer[at + i] = HEX[(int) (bits & 0xf)];
            bits >>>= 4;
        }
        at += digits;
    }

    /** A count or cost: a count may be any BIGINT but is never negative, a negative cost is an INT. */
    private void number(long value) {
        long v = value;
        if (v < 0) {
            put('-');
            v = -v;
        }
        int digits = 1;
        // 10^18 is the last power of ten a long holds: a count of 19 digits stops there, not at an overflow.
        for (long p = 10; p <= v; p *= 10) {
            digits++;
            if (p > Long.MAX_VALUE / 10) {
                break;
            }
        }
        for (int i = digits - 1; i >= 0; i--) {
            buffer[at + i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        at += digits;
    }

    /** A text field, quoted when Commons CSV's minimal quoting would quote it (or when it is empty). */
    private void text(String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (!needsQuotes(bytes)) {
            bytes(bytes, false);
            return;
        }
        room(1);
        put('"');
        bytes(bytes, true);
        room(1);
        put('"');
    }

    /**
     * Commons CSV quotes a value that starts with a character up to {@code #}, holds a delimiter, quote or line
     * break, or ends with a character up to a space; UTF-8 bytes of other characters are all above ASCII, so the
     * bytes say the same as the characters.
     */
    private static boolean needsQuotes(byte[] bytes) {
        if (bytes.length == 0 || (bytes[0] & 0xff) <= '#' || (bytes[bytes.length - 1] & 0xff) <= ' ') {
            return true;
        }
        for (byte b : bytes) {
            if (b == ',' || b == '"' || b == '\n' || b == '\r') {
                return true;
            }
        }
        return false;
    }

    private void bytes(byte[] bytes, boolean doubleQuotes) throws IOException {
        for (byte b : bytes) {
            room(2);
            buffer[at++] = b;
            if (doubleQuotes && b == '"') {
                buffer[at++] = b;
            }
        }
    }

    /** {@code created_at} as {@link DateTimeFormatter#ISO_INSTANT} writes it: fraction in groups of three digits. */
    private void instant(Instant instant) {
        long seconds = instant.getEpochSecond();
        long day = Math.floorDiv(seconds, SECONDS_PER_DAY);
        if (day != cachedDay && !cacheDate(day)) {
            for (byte b : DateTimeFormatter.ISO_INSTANT.format(instant).getBytes(StandardCharsets.US_ASCII)) {
                buffer[at++] = b;
            }
            return;
        }
        System.arraycopy(cachedDate, 0, buffer, at, cachedDate.length);
        at += cachedDate.length;
        int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
        put('T');
        twoDigits(secondOfDay / 3600);
        put(':');
        twoDigits(secondOfDay / 60 % 60);
        put(':');
        twoDigits(secondOfDay % 60);
        fraction(instant.getNano());
        put('Z');
    }

    /** Caches the date's {@code yyyy-MM-dd}; false for years outside 0000-9999, which ISO_INSTANT writes otherwise. */
    private boolean cacheDate(long epochDay) {
        LocalDate date = LocalDate.ofEpochDay(epochDay);
        if (date.getYear() < 0 || date.getYear() > 9999) {
            return false;
        }
        byte[] text = date.toString().getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, cachedDate, 0, cachedDate.length);
        cachedDay = epochDay;
        return true;
    }

    private void fraction(int nanos) {
        if (nanos == 0) {
            return;
        }
        put('.');
        int digits = nanos % 1_000_000 == 0 ? 3 : nanos % 1_000 == 0 ? 6 : 9;
        int value = digits == 3 ? nanos / 1_000_000 : digits == 6 ? nanos / 1_000 : nanos;
        for (int i = digits - 1; i >= 0; i--) {
            buffer[at + i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        at += digits;
    }

    private void twoDigits(int value) {
        buffer[at++] = (byte) ('0' + value / 10);
        buffer[at++] = (byte) ('0' + value % 10);
    }
}
