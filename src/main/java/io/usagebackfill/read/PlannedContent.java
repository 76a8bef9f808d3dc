package io.usagebackfill.read;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

import io.usagebackfill.source.Fingerprints;
import io.usagebackfill.source.RotatedCopies;
import io.usagebackfill.source.SourceFile;

/**
 * The content a run planned to read of one file, opened at a byte offset wherever it is now: at its path if that
 * still holds it, else in the rotated copy beside it that starts with the same bytes (a restart after {@code mv
 * app.log app.log.1} reads the planned bytes there). With no such file the read fails, naming it, instead of
 * completing without it. Not thread-safe.
 */
final class PlannedContent implements Closeable {

    private final SourceFile file;
    private final Path path;
    private final boolean compressed;
    private final FileChannel channel;
    private final InputStream stream;
    private final long offset;
    private final boolean crOnly;

    private PlannedContent(SourceFile file, Path path, boolean compressed, FileChannel channel, InputStream stream,
            long offset) throws IOException {
        this.file = file;
        this.path = path;
        this.compressed = compressed;
        this.channel = channel;
        this.offset = offset;
        byte[] head;
        try (InputStream in = Fingerprints.openContent(path, compressed)) {
            head = in.readNBytes(4096);
        }
        this.crOnly = CrOnlyLines.in(head, head.length);
        this.stream = crOnly ? CrOnlyLines.wrap(stream) : stream;
    }

    /**
     * Opens {@code file} at {@code offset}. Where an earlier run's read ended ({@link SourceFile#startCheck}) and
     * the file at the path does not continue it (shorter, or rewritten with the same head), it is another file and
     * is read from its start; {@link #offset()} then is 0.
     *
     * @throws FileChangedException when neither the path nor a rotated copy holds the planned content
     */
    static PlannedContent open(SourceFile file, long offset, List<String> notices) throws IOException {
        Path planned = Path.of(file.path());
        boolean ledgerStart = file.continuesEarlierRead() && offset == file.startOffset();
        if (Fingerprints.holds(planned, file)) {
            PlannedContent here = tryOpen(file, planned, offset, ledgerStart);
            if (here != null) {
                return here;
            }
            if (ledgerStart) {
                notices.add(file.path() + " starts like a file read before but does not go on from where that read"
                        + " ended (shorter, or truncated and written again); it was read from its start (rows"
                        + " already loaded count as duplicates)");
                return tryOpen(file, planned, 0, false);
            }
        }
        for (Path copy : RotatedCopies.of(planned)) {
            if (Fingerprints.holds(copy, file)) {
                PlannedContent there = tryOpen(file, copy, offset, ledgerStart);
                if (there != null) {
                    notices.add(file.path() + " was rotated after the run planned it; its content was read in "
                            + copy);
                    return there;
                }
            }
        }
        throw new FileChangedException(file.path() + " no longer holds the content this run planned to read"
                + (offset > 0 ? " from byte " + offset : "") + " (rotated, truncated or replaced since the run"
                + " started), and no file beside it does; put it back and `restart`, or start a new import, which"
                + " reads the files as they are now");
    }

    /** The content at {@code path} from {@code offset}, or null when it is shorter or does not continue the read. */
    private static PlannedContent tryOpen(SourceFile file, Path path, long offset, boolean check) throws IOException {
        String expected = check && !file.startCheck().isEmpty() ? file.startCheck() : null;
        if (Fingerprints.needsDecoding(path)) {
            InputStream in = Fingerprints.openContent(path, true);
            try {
                int tail = expected == null ? 0 : Fingerprints.tailBytes(offset);
                in.skipNBytes(offset - tail);
                if (expected != null && !expected.equals(Fingerprints.hashOf(in.readNBytes(tail), tail))) {
                    in.close();
                    return null;
                }
                return new PlannedContent(file, path, true, null, in, offset);
            } catch (EOFException e) {
                in.close();
                return null;
            }
        }
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        if (channel.size() < offset || (expected != null && !expected.equals(tailHash(channel, offset)))) {
            channel.close();
            return null;
        }
        channel.position(offset);
        return new PlannedContent(file, path, false, channel, Channels.newInputStream(channel), offset);
    }

    /** The hash of the plain file's bytes just before {@code end}, read without moving the channel. */
    private static String tailHash(FileChannel channel, long end) throws IOException {
        int length = Fingerprints.tailBytes(end);
        return Fingerprints.hashOf(readAt(channel, end - length, length), length);
    }

    private static byte[] readAt(FileChannel channel, long at, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, at + buffer.position()) < 0) {
                return Arrays.copyOf(buffer.array(), buffer.position());
            }
        }
        return buffer.array();
    }

    /** Where the content was found. */
    Path path() {
        return path;
    }

    boolean compressed() {
        return compressed;
    }

    /** Where reading starts: the offset asked for, or 0 when the file turned out to be another one. */
    long offset() {
        return offset;
    }

    InputStream stream() {
        return stream;
    }

    /** The same content again from its first byte, for the scan that counts the lines before {@link #offset()}. */
    InputStream fromStart() throws IOException {
        InputStream in = Fingerprints.openContent(path, compressed);
        return crOnly ? CrOnlyLines.wrap(in) : in;
    }

    /**
     * For a plain file read to its end: whether it was cut below {@code end} or its head was written over meanwhile
     * (copytruncate), in which case the end seen is not the end of what was planned.
     */
    boolean truncatedBefore(long end) throws IOException {
        if (compressed) {
            return false;
        }
        if (channel.size() < end) {
            return true;
        }
        byte[] head = readAt(channel, 0, file.fingerprintBytes());
        return head.length < file.fingerprintBytes()
                || !Fingerprints.hashOf(head, head.length).equals(file.fingerprint());
    }

    /** The hash of the bytes just before {@code end}, for the ledger; null for an archive (it is not rewritten). */
    String tailBefore(long end) throws IOException {
        return compressed || end == 0 ? null : tailHash(channel, end);
    }

    /** How far the plain file's content goes now (for the message when it was cut). */
    long sizeNow() throws IOException {
        return compressed ? -1 : channel.size();
    }

    @Override
    public void close() throws IOException {
        stream.close();
    }
}
