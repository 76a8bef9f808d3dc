package io.usagebackfill.read;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.usagebackfill.source.Fingerprints;
import io.usagebackfill.source.SourceFile;
import org.springframework.batch.infrastructure.item.ItemReader;

/**
 * Reads the run's files (or a partition's files and ranges of files) in order and hands the step only candidate
 * lines, those containing {@code token_usage} in any case; every other line is counted as noise without being
 * decoded. Plain files resume by seeking to a byte offset; gzip files are re-read and skipped to it. Not
 * thread-safe: one reader per step execution.
 */
public final class LogLineReader implements ItemReader<LogLine>, AutoCloseable {

    private final List<SourceFile> files;
    private final int maxLineBytes;
    private final boolean strict;
    private final CriPartials cri = new CriPartials();
    private final byte[] criTag = new byte[1];
    private final List<String> notices = new ArrayList<>();
    private final List<ReadPosition.FileEnd> finished = new ArrayList<>();

    private int fileIndex;
    private long offset;
    private long lineNumber;
    private long linesRead;
    private long noiseLines;
    private LineSplitter splitter;

    /**
     * @param strict whether a damaged gzip file fails the run instead of being reported and skipped past
     */
    public LogLineReader(List<SourceFile> files, int maxLineBytes, boolean strict) {
        this.files = List.copyOf(files);
        this.maxLineBytes = maxLineBytes;
        this.strict = strict;
        startFile();
    }

    /** Continues from a saved position instead of the first file's first byte; call before the first read. */
    public void resumeAt(ReadPosition position) {
        fileIndex = position.fileIndex();
        offset = position.offset();
        lineNumber = position.lineNumber();
        linesRead = position.linesRead();
        noiseLines = position.noiseLines();
        notices.clear();
        notices.addAll(position.notices());
        finished.clear();
        if (position.finished() != null) {
            finished.addAll(position.finished());
        }
    }

    public ReadPosition position() {
        String fingerprint = fileIndex < files.size() ? files.get(fileIndex).fingerprint() : null;
        return new ReadPosition(fileIndex, fingerprint, offset, lineNumber, linesRead, noiseLines,
                List.copyOf(notices), List.copyOf(finished));
    }

    /**
     * @throws DamagedFileException with {@code --strict}, when a gzip file is truncated or corrupt
     * @throws IOException when a file cannot be read for another reason
     */
    @Override
    public LogLine read() throws IOException {
        while (fileIndex < files.size()) {
            if (splitter == null && !openCurrentFile()) {
                nextFile();
                continue;
            }
            LogLine line = nextCandidate();
            if (line != null) {
                return line;
            }
            nextFile();
        }
        return null;
    }

    private LogLine nextCandidate() throws IOException {
        SourceFile file = files.get(fileIndex);
        while (true) {
            if (file.endOffset() != null && offset >= file.endOffset()) {
                return cri.isOpen() ? evaluate(file.path(), cri.firstLineNumber(), cri.finish()) : null;
            }
            if (!advance(file)) {
                return cri.isOpen() ? evaluate(file.path(), cri.firstLineNumber(), cri.finish()) : null;
            }
            if (!splitter.terminated() && !file.gzip()) {
                notices.add(file.path() + ": the last line has no line ending yet (still being written?);"
                        + " it is left for the next run");
                return null;
            }
            lineNumber++;
            offset = splitter.lineEndOffset();
            if (splitter.tooLong()) {
                linesRead++;
                return new LogLine(file.path(), lineNumber, Arrays.copyOf(splitter.buffer(), splitter.lineLength()),
                        true, splitter.lineFullLength());
            }
            byte[] b = splitter.buffer();
            int from = splitter.lineStart();
            int length = splitter.lineLength();
            int payload = CriPartials.payloadStart(b, from, length, criTag);
            if (cri.isOpen()) {
                cri.append(b, payload >= 0 ? payload : from, from + length);
                if ((payload >= 0 && criTag[0] == 'F') || cri.size() > maxLineBytes) {
                    LogLine joined = evaluate(file.path(), cri.firstLineNumber(), cri.finish());
                    if (joined != null) {
                        return joined;
                    }
                }
            } else if (payload >= 0 && criTag[0] == 'P') {
                cri.begin(b, from, length, payload, lineNumber);
            } else {
                linesRead++;
                if (CandidateMatcher.contains(b, from, from + length)) {
                    return new LogLine(file.path(), lineNumber, Arrays.copyOfRange(b, from, from + length), false,
                            length);
                }
                noiseLines++;
            }
        }
    }

    private LogLine evaluate(String path, long number, byte[] bytes) {
        linesRead++;
        if (CandidateMatcher.contains(bytes, 0, bytes.length)) {
            return new LogLine(path, number, bytes, false, bytes.length);
        }
        noiseLines++;
        return null;
    }

    /** The next physical line; false at the end of the file or where a gzip file is damaged. */
    private boolean advance(SourceFile file) throws IOException {
        try {
            return splitter.next();
        } catch (IOException e) {
            if (!file.gzip()) {
                throw e;
            }
            String problem = file.path() + " is damaged after line " + lineNumber + " (" + e.getMessage()
                    + "); the lines before it were read";
            if (strict) {
                throw new DamagedFileException(problem + ", and --strict makes that fatal", e);
            }
            notices.add(problem);
            return false;
        }
    }

    private boolean openCurrentFile() throws IOException {
        SourceFile file = files.get(fileIndex);
        Path path = Path.of(file.path());
        if (!Files.isRegularFile(path)) {
            notices.add(file.path() + " no longer exists; it was skipped (import it again where it now is)");
            return false;
        }
        if (offset > 0 && !Fingerprints.stillMatches(file)) {
            notices.add(file.path() + " changed since the run started; it was read again from its start"
                    + " (rows already loaded count as duplicates)");
            offset = 0;
            lineNumber = 0;
        }
        splitter = new LineSplitter(open(file), offset, maxLineBytes);
        return true;
    }

    private InputStream open(SourceFile file) throws IOException {
        Path path = Path.of(file.path());
        boolean fromLedger = offset > 0 && offset == file.startOffset();
        if (file.gzip()) {
            InputStream in = Fingerprints.openContent(path, true);
            try {
                in.skipNBytes(offset);
            } catch (IOException e) {
                in.close();
                if (fromLedger) {
                    return fromStart(file, path);
                }
                throw new IOException(file.path() + " is shorter than the checkpoint at byte " + offset, e);
            }
            return in;
        }
        if (fromLedger && Files.size(path) < offset) {
            return fromStart(file, path);
        }
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        channel.position(offset);
        return Channels.newInputStream(channel);
    }

    /** The ledger's place in an earlier file of the same start lies past this one's end: it is another file. */
    private InputStream fromStart(SourceFile file, Path path) throws IOException {
        notices.add(file.path() + " starts like a file read before but is shorter than what was read of it;"
                + " it was read from its start (rows already loaded count as duplicates)");
        offset = 0;
        lineNumber = 0;
        return Fingerprints.openContent(path, file.gzip());
    }

    private void nextFile() throws IOException {
        if (splitter != null) {
            finished.add(new ReadPosition.FileEnd(fileIndex, offset, lineNumber));
        }
        close();
        fileIndex++;
        startFile();
    }

    /** An incremental run goes on from where the last one ended in this file; otherwise from its start. */
    private void startFile() {
        SourceFile file = fileIndex < files.size() ? files.get(fileIndex) : null;
        offset = file == null ? 0 : file.startOffset();
        lineNumber = file == null ? 0 : file.startLine();
    }

    @Override
    public void close() throws IOException {
        if (splitter != null) {
            splitter.close();
            splitter = null;
        }
    }
}
