package io.usagebackfill.source;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackInputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

import org.apache.commons.compress.archivers.ArchiveException;
import org.apache.commons.compress.archivers.ArchiveStreamFactory;
import org.apache.commons.compress.compressors.CompressorException;
import org.apache.commons.compress.compressors.CompressorStreamFactory;
import org.apache.commons.io.input.ReaderInputStream;

/**
 * A log file's content as the reader takes it, UTF-8 bytes, whatever the file holds: gzip (also several members),
 * bzip2, xz, zstd and the other formats Commons Compress recognises, each detected by its magic bytes and not by
 * the file's name, and UTF-16 text (by its byte-order mark or, without one, its zero bytes; also inside a compressed
 * file) transcoded to UTF-8.
 * Content that must be decoded is re-read to resume, never sought. Stateless and thread-safe.
 */
public final class ContentDecoding {

    private static final int MAGIC_BYTES = 12;
    /** Enough for a tar header, the longest signature an archive format has. */
    private static final int ARCHIVE_HEAD_BYTES = 1024;
    /** Two UTF-16 code units: enough to tell UTF-16 without a byte-order mark by its zero bytes. */
    private static final int UTF16_HEAD_BYTES = 4;
    /** The archive formats logs are packed in, which a log's own first line cannot be taken for. */
    private static final java.util.Set<String> PACKED_LOGS = java.util.Set.of(ArchiveStreamFactory.TAR,
            ArchiveStreamFactory.ZIP, ArchiveStreamFactory.JAR, ArchiveStreamFactory.SEVEN_Z);

    private ContentDecoding() {
    }

    /** Whether the file's content is not its own bytes: compressed, or UTF-16. */
    public static boolean needed(Path path) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(path)) {
            head = in.readNBytes(MAGIC_BYTES);
        }
        // An archive is "decoded" too, so that opening it says what it is.
        return isGzip(head) || compressorOf(head) != null || isUtf16(head) || isArchive(path);
    }

    /**
     * Opens the file's content, decoding it when {@code decode} (as {@link #needed} said).
     *
     * @throws UndecodableContentException when the file is in a format recognised but not readable here
     */
    public static InputStream open(Path path, boolean decode) throws IOException {
        InputStream raw = Files.newInputStream(path);
        if (!decode) {
            return raw;
        }
        try {
            return utf8(decompressed(new BufferedInputStream(raw, 64 * 1024), path));
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    private static InputStream decompressed(BufferedInputStream in, Path path) throws IOException {
        in.mark(MAGIC_BYTES);
        byte[] head = in.readNBytes(MAGIC_BYTES);
        in.reset();
        String format = isGzip(head) ? "gz" : compressorOf(head);
        if (format == null) {
            refuseArchive(in, path, "");
            return in;
        }
        InputStream content;
        try {
            content = isGzip(head) ? new GZIPInputStream(in, 64 * 1024)
                    : new CompressorStreamFactory(true).createCompressorInputStream(format, in);
        } catch (CompressorException | LinkageError e) {
            throw new UndecodableContentException(path + " is compressed as " + format + ", which cannot be read"
                    + " here (" + e.getMessage() + ")", e);
        }
        // A .tar.gz is an archive too, once decompressed: its members' headers would be read as lines of a log.
        BufferedInputStream decompressed = new BufferedInputStream(content, 64 * 1024);
        refuseArchive(decompressed, path, " compressed as " + format);
        return decompressed;
    }

    /** A zip, tar, 7z, ... holds files, not lines: reading it as a log would count its bytes as noise. */
    private static void refuseArchive(BufferedInputStream in, Path path, String compression) throws IOException {
        in.mark(ARCHIVE_HEAD_BYTES);
        byte[] head = in.readNBytes(ARCHIVE_HEAD_BYTES);
        in.reset();
        String archive;
        try {
            archive = ArchiveStreamFactory.detect(new BufferedInputStream(new java.io.ByteArrayInputStream(head)));
        } catch (ArchiveException e) {
            return;
        }
        if (!PACKED_LOGS.contains(archive)) {
            // cpio's and ar's signatures are six or seven printable characters ("070701", "!<arch>"), which a log's
            // first line can start with (a time written 07:07:01): only the formats logs are packed in count.
            return;
        }
        throw new UndecodableContentException(path + " is a " + archive + " archive" + compression
                + ", not a log; unpack it and import its files", null);
    }

    /** UTF-16, with a byte-order mark or without one, becomes UTF-8; anything else passes as it is. */
    private static InputStream utf8(InputStream in) throws IOException {
        PushbackInputStream peek = new PushbackInputStream(in, UTF16_HEAD_BYTES);
        byte[] head = peek.readNBytes(UTF16_HEAD_BYTES);
        peek.unread(head);
        Charset utf16 = utf16Of(head);
        if (utf16 == null) {
            return peek;
        }
        return ReaderInputStream.builder().setReader(new InputStreamReader(peek, utf16))
                .setCharset(StandardCharsets.UTF_8).get();
    }

    private static boolean isArchive(Path path) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path), ARCHIVE_HEAD_BYTES)) {
            return PACKED_LOGS.contains(ArchiveStreamFactory.detect(in));
        } catch (ArchiveException e) {
            return false;
        }
    }

    private static boolean isGzip(byte[] head) {
        return head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
    }

    private static boolean isUtf16(byte[] head) {
        return utf16Of(head) != null;
    }

    /**
     * UTF-16 by its byte-order mark (which the decoder then drops), or, without one, by the zero byte that every
     * ASCII character has in UTF-16 (a log line starts with one: a brace, a digit, a letter): {@code {\0"\0} is
     * little-endian, {@code \0{\0"} big-endian. UTF-8 text has no zero bytes, so it is never taken for UTF-16.
     * Without this a Windows tool's BOM-less UTF-16 log would be read as lines that never mention the event.
     *
     * @return the charset to decode with, or null for content that is not UTF-16
     */
    private static Charset utf16Of(byte[] head) {
        if (head.length < 2) {
            return null;
        }
        int b0 = head[0] & 0xff;
        int b1 = head[1] & 0xff;
        if ((b0 == 0xff && b1 == 0xfe) || (b0 == 0xfe && b1 == 0xff)) {
            return StandardCharsets.UTF_16;
        }
        if (head.length < UTF16_HEAD_BYTES) {
            return null;
        }
        if (b0 != 0 && b1 == 0 && head[2] != 0 && head[3] == 0) {
            return StandardCharsets.UTF_16LE;
        }
        if (b0 == 0 && b1 != 0 && head[2] == 0 && head[3] != 0) {
            return StandardCharsets.UTF_16BE;
        }
        return null;
    }

    /**
     * The Commons Compress name of the format the head shows, or null for none it knows. zlib's ("deflate") is
     * left out: its signature is two bytes that a text line can start with ({@code x^}, {@code x\u0001}), and no
     * log rotation writes it.
     */
    private static String compressorOf(byte[] head) {
        if (head.length < 4) {
            return null;
        }
        try {
            String format = CompressorStreamFactory.detect(
                    new BufferedInputStream(new java.io.ByteArrayInputStream(head)));
            return CompressorStreamFactory.DEFLATE.equals(format) ? null : format;
        } catch (CompressorException e) {
            return null;
        }
    }

    /** The file is in a format that is recognised but cannot be decoded here; it is named in a notice. */
    public static final class UndecodableContentException extends IOException {

        public UndecodableContentException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
