package io.usagebackfill.read;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import io.usagebackfill.source.SourceFile;
import org.springframework.batch.infrastructure.item.ItemReader;

/**
 * Reads the run's files (or a partition's files and ranges of files) in order and hands the step only candidate
 * lines, those containing {@code token_usage} in any case; every other line is counted as noise without being
 * decoded. Plain files resume by seeking to a byte offset; compressed files are re-read and skipped to it. A read
 * that starts past a file's first byte first counts the candidate lines before it, so every line's occurrence (and
 * with it its row id) is the same however the file is split, resumed or rotated. Not thread-safe: one reader per
 * step execution.
 */
public final class LogLineReader implements ItemReader<LogLine>, AutoCloseable {

    /**
     * The largest {@code --max-line-bytes}: a line is held whole in memory a few times over (bytes, text, parsed
     * fields), so a larger limit would trade a rejected line for a run that dies of memory.
     */
    public static final int MAX_LINE_BYTES = 64 << 20;

    private final List<SourceFile> files;
    private final LineRecords lineRecords;
    private final int maxLineBytes;
    private final boolean strict;
    private final List<String> notices = new ArrayList<>();
    private final List<ReadPosition.FileEnd> finished = new ArrayList<>();
    /**
     * The two lists as the last position handed out copied them. Both only grow between resumes, so a copy of the
     * same size is the same copy: a position is taken after every line, and a run of many files would otherwise
     * copy every finished file's end into each one.
     */
    private List<String> noticesCopy = List.of();
    private List<ReadPosition.FileEnd> finishedCopy = List.of();

    private int fileIndex;
    private long offset;
    private long lineNumber;
    private long linesBefore;
    private long noiseBefore;
    private PlannedContent content;
    private CandidateLines lines;
    private boolean damaged;
    /** The records of the last line read while some are still to be handed out, and where that line began. */
    private List<byte[]> records;
    private int recordsDone;
    private LogLine recordsLine;
    private ReadPosition beforeRecords;
    private int skipRecords;

    /**
     * @param strict whether a damaged compressed file fails the run instead of being reported and skipped past
     */
    public LogLineReader(List<SourceFile> files, int maxLineBytes, boolean strict) {
        this(files, maxLineBytes, strict, LineRecords.NONE);
    }

    /** @param lineRecords splits lines that hold several events (OpenTelemetry export requests) into one a record */
    public LogLineReader(List<SourceFile> files, int maxLineBytes, boolean strict, LineRecords lineRecords) {
        this.lineRecords = lineRecords;
        this.files = List.copyOf(files);
        this.maxLineBytes = maxLineBytes;
        this.strict = strict;
        startFile();
    }

    /** Adds a notice for the report (before the first read; a resumed position brings its own notices back). */
    public void note(String notice) {
        notices.add(notice);
    }

    /** Continues from a saved position instead of the first file's first byte; call before the first read. */
    public void resumeAt(ReadPosition position) {
        fileIndex = position.fileIndex();
        offset = position.offset();
        lineNumber = position.lineNumber();
        linesBefore = position.linesRead();
        noiseBefore = position.noiseLines();
        notices.clear();
        notices.addAll(position.notices());
        finished.clear();
        if (position.finished() != null) {
            finished.addAll(position.finished());
        }
        noticesCopy = List.copyOf(notices);
        finishedCopy = List.copyOf(finished);
        skipRecords = position.recordsDone();
    }

    public ReadPosition position() {
        if (records != null && recordsDone < records.size()) {
            // Half-way through a line's records: a resume reads the line again and skips those handed out.
            return new ReadPosition(beforeRecords.fileIndex(), beforeRecords.fingerprint(), beforeRecords.offset(),
                    beforeRecords.lineNumber(), beforeRecords.linesRead(), beforeRecords.noiseLines(),
                    notices(), finished(), recordsDone);
        }
        String fingerprint = fileIndex < files.size() ? files.get(fileIndex).fingerprint() : null;
        long at = lines == null ? offset : lines.offset();
        long number = lines == null ? lineNumber : lines.lineNumber();
        long linesRead = linesBefore + (lines == null ? 0 : lines.linesRead());
        long noise = noiseBefore + (lines == null ? 0 : lines.noiseLines());
        return new ReadPosition(fileIndex, fingerprint, at, number, linesRead, noise, notices(), finished());
    }

    private List<String> notices() {
        if (noticesCopy.size() != notices.size()) {
            noticesCopy = List.copyOf(notices);
        }
        return noticesCopy;
    }

    private List<ReadPosition.FileEnd> finished() {
        if (finishedCopy.size() != finished.size()) {
            finishedCopy = List.copyOf(finished);
        }
        return finishedCopy;
    }

    /**
     * @throws DamagedFileException with {@code --strict}, when a compressed file is truncated or corrupt
     * @throws FileChangedException when a planned file is gone without a rotated copy, or was cut while read
     * @throws IOException when a file cannot be read for another reason
     */
    @Override
    public LogLine read() throws IOException {
        if (records != null && recordsDone < records.size()) {
            return nextRecord();
        }
        records = null;
        while (fileIndex < files.size()) {
            if (lines == null) {
                open();
            }
            long lineStart = lines.offset();
            long numberBefore = lines.lineNumber();
            long linesReadBefore = linesBefore + lines.linesRead();
            long noiseLinesBefore = noiseBefore + lines.noiseLines();
            LogLine line = nextLine();
            if (line == null) {
                finishFile();
                continue;
            }
            List<byte[]> split = line.tooLong() || line.unfinished() ? null : lineRecords.split(line.bytes());
            if (split == null) {
                return line;
            }
            int skip = skipRecords;
            skipRecords = 0;
            if (split.isEmpty()) {
                // An export request none of whose records mentions the event is noise like any other line.
                noiseBefore++;
            } else if (split.size() > skip) {
                records = split;
                recordsDone = skip;
                recordsLine = line;
                beforeRecords = new ReadPosition(fileIndex, files.get(fileIndex).fingerprint(), lineStart,
                        numberBefore, linesReadBefore, noiseLinesBefore, List.of(), List.of());
                return nextRecord();
            }
        }
        return null;
    }

    /**
     * The next record of a line that holds several, as a line of its own at the same place. Byte-identical records
     * get an occurrence each, distinct from those of an identical line elsewhere in the file.
     */
    private LogLine nextRecord() {
        int index = recordsDone++;
        byte[] record = records.get(index);
        int same = 0;
        for (int i = 0; i < index; i++) {
            if (java.util.Arrays.equals(records.get(i), record)) {
                same++;
            }
        }
        int occurrence = recordsLine.occurrence() * records.size() + same;
        return new LogLine(recordsLine.file(), recordsLine.lineNumber(), record, false, record.length,
                recordsLine.offset(), occurrence, false);
    }

    private void open() throws IOException {
        SourceFile file = files.get(fileIndex);
        content = PlannedContent.open(file, offset, notices);
        if (content.offset() != offset) {
            offset = 0;
            lineNumber = 0;
        }
        LineOccurrences occurrences = new LineOccurrences();
        if (offset > 0) {
            countLinesBefore(file, occurrences);
        }
        damaged = false;
        lines = new CandidateLines(content.stream(), content.path().toString(), offset, lineNumber,
                file.endOffset(), maxLineBytes, content.compressed(), occurrences);
    }

    /** Counts the candidate lines before where the read starts, for the occurrences of those after it. */
    private void countLinesBefore(SourceFile file, LineOccurrences occurrences) throws IOException {
        try (CandidateLines before = new CandidateLines(content.fromStart(), file.path(), 0, 0, offset,
                maxLineBytes, content.compressed(), occurrences)) {
            before.countAll();
        }
    }

    /** The next candidate line of the open file; null at its end or where a compressed file is damaged. */
    private LogLine nextLine() throws IOException {
        try {
            return lines.next();
        } catch (IOException e) {
            if (!content.compressed()) {
                throw e;
            }
            String problem = content.path() + " is damaged after line " + lines.lineNumber() + " (" + e.getMessage()
                    + "); the lines before it were read";
            if (strict) {
                throw new DamagedFileException(problem + ", and --strict makes that fatal", e);
            }
            notices.add(problem);
            damaged = true;
            return null;
        }
    }

    private void finishFile() throws IOException {
        long end = lines.offset();
        CandidateLines.End why = damaged ? null : lines.end();
        if (why == CandidateLines.End.UNTERMINATED_LINE || why == CandidateLines.End.UNFINISHED_PARTIAL) {
            notices.add(content.path() + (why == CandidateLines.End.UNFINISHED_PARTIAL
                    ? ": the last line is a partial line (P) without its final part (F) yet"
                    : ": the last line has no line ending yet") + " (still being written?); it is left for the next run");
        }
        if (why != null && why != CandidateLines.End.RANGE && content.truncatedBefore(end)) {
            throw new FileChangedException(content.path() + " was cut while it was read (it now has "
                    + content.sizeNow() + " bytes, " + end + " were read, a copytruncate rotation?); the rows"
                    + " before the last committed chunk are kept, and `restart` reads the rest from its rotated"
                    + " copy");
        }
        String path = content.path().toString();
        finished.add(new ReadPosition.FileEnd(fileIndex, end, lines.lineNumber(),
                path.equals(files.get(fileIndex).path()) ? null : path, why == CandidateLines.End.CONTENT,
                content.tailBefore(end)));
        linesBefore += lines.linesRead();
        noiseBefore += lines.noiseLines();
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
        if (lines != null) {
            lines.close();
            lines = null;
        }
        if (content != null) {
            content.close();
            content = null;
        }
    }
}
