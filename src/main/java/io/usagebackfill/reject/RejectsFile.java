package io.usagebackfill.reject;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.usagebackfill.config.OutputFile;
import io.usagebackfill.read.LogLine;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Keeps rejected lines: the lines themselves, byte for byte as read, in {@code FILE} (so it can be fixed and fed back
 * to {@code import}), and beside it {@code FILE.reasons.csv} with where each came from and why. Both files are
 * created on the first reject, readable only by their owner (they hold user ids). Their lengths are part of the
 * checkpoint: a restart cuts them back to the last committed chunk, so no reject is written twice. Not thread-safe.
 */
public final class RejectsFile implements AutoCloseable {

    static final CSVFormat REASONS = CSVFormat.DEFAULT.builder().setRecordSeparator("\n")
            .setHeader("rejects_line", "file", "line", "reason", "line_id").get();

    /** Below this a run would likely fail part-way on its first rejects, so it does not start. */
    static final long MIN_FREE_BYTES = 1 << 20;

    private final Path linesPath;
    private final Path reasonsPath;
    private OutputStream lines;
    private CSVPrinter reasons;
    private RejectsPosition position = RejectsPosition.empty();
    /** A write failed: the run fails on that, and closing must not fail again on the same unwritten bytes. */
    private boolean broken;

    public RejectsFile(Path linesPath) {
        this.linesPath = linesPath;
        this.reasonsPath = linesPath.resolveSibling(linesPath.getFileName() + ".reasons.csv");
    }

    public Path linesPath() {
        return linesPath;
    }

    public Path reasonsPath() {
        return reasonsPath;
    }

    /**
     * Checks, before anything is loaded, that the rejects can be written where asked.
     *
     * @throws IllegalArgumentException naming the option and the path when its directory is missing or read-only, it
     *     is a directory, or its disk is (nearly) full
     */
    public void checkWritable() {
        OutputFile.check("--rejects", linesPath);
        OutputFile.check("--rejects", reasonsPath);
        Path dir = linesPath.toAbsolutePath().getParent();
        try {
            long free = Files.getFileStore(dir).getUsableSpace();
            if (free < MIN_FREE_BYTES) {
                throw new IllegalArgumentException("--rejects " + linesPath + " is on a disk with only " + free
                        + " bytes free; free some space or point --rejects elsewhere");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("--rejects " + linesPath + " cannot be checked: " + e.getMessage()
                    + "; give a writable path", e);
        }
    }

    /** @param lineId the id the line's row would have had (what a corrected copy is loaded under), or null */
    public void add(LogLine line, String reason, java.util.UUID lineId) {
        try {
            if (lines == null) {
                open(position);
            }
            lines.write(line.bytes());
            lines.write('\n');
            long count = position.count() + 1;
            reasons.printRecord(count, line.file(), line.lineNumber(), reason, lineId == null ? "" : lineId);
            String kind = ReasonKinds.kindOf(reason);
            Map<String, Long> byReason = new HashMap<>(position.byReason());
            byReason.merge(kind, 1L, Long::sum);
            Map<String, RejectExample> examples = position.examples();
            if (!examples.containsKey(kind)) {
                examples = new HashMap<>(examples);
                examples.put(kind, RejectExample.of(line, reason));
            }
            position = new RejectsPosition(position.linesBytes() + line.bytes().length + 1, 0, count, byReason,
                    examples);
        } catch (IOException e) {
            broken = true;
            throw new UncheckedIOException("cannot write the rejects file " + linesPath + ": " + e.getMessage(), e);
        }
    }

    /** Flushes both files and returns their committed lengths. */
    public RejectsPosition flush() {
        if (lines == null) {
            return position;
        }
        try {
            lines.flush();
            reasons.flush();
            position = new RejectsPosition(position.linesBytes(), Files.size(reasonsPath), position.count(),
                    position.byReason(), position.examples());
            return position;
        } catch (IOException e) {
            broken = true;
            throw new UncheckedIOException("cannot write the rejects file " + linesPath + ": " + e.getMessage(), e);
        }
    }

    public RejectsPosition position() {
        return position;
    }

    /** Continues after a restart: cuts both files back to the lengths saved with the last committed chunk. */
    public void restore(RejectsPosition saved) {
        position = saved;
        if (saved.count() > 0) {
            open(saved);
        }
    }

    private void open(RejectsPosition at) {
        try {
            lines = Channels.newOutputStream(openAt(linesPath, at.linesBytes()));
            lines = new BufferedOutputStream(lines, 1 << 16);
            boolean fresh = at.reasonsBytes() == 0;
            Writer writer = new OutputStreamWriter(Channels.newOutputStream(openAt(reasonsPath, at.reasonsBytes())),
                    StandardCharsets.UTF_8);
            reasons = new CSVPrinter(writer, fresh ? REASONS : REASONS.builder().setSkipHeaderRecord(true).get());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the rejects file " + linesPath + ": " + e.getMessage(), e);
        }
    }

    /** Never through a symbolic link; an existing file may have been readable by all, and the rejects hold user ids. */
    private static FileChannel openAt(Path path, long length) throws IOException {
        FileChannel channel = OutputFile.channel(path);
        channel.truncate(length);
        channel.position(length);
        return channel;
    }

    @Override
    public void close() throws IOException {
        if (lines != null) {
            if (!broken) {
                flush();
            }
            closeQuietly(lines);
            closeQuietly(reasons);
            lines = null;
            reasons = null;
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // Only after a failed write (the run already fails on that) or after a successful flush.
        }
    }
}
