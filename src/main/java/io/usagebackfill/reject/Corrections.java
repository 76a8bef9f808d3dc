package io.usagebackfill.reject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.UUID;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A rejects file fed back corrected: its line {@code k} corrects the line that row {@code k} of the rejects file's
 * {@code .reasons.csv} names, and is loaded under the id that line's row would have had ({@code line_id}), so
 * correcting a line twice never makes two rows. The reasons are read forward as the lines come (a cursor, not a
 * map), so a rejects file of millions of lines costs no memory. Not thread-safe: one per reader.
 */
public final class Corrections implements AutoCloseable {

    private final Path reasons;
    private CSVParser parser;
    private Iterator<CSVRecord> records;
    private long at;

    public Corrections(Path reasons) {
        this.reasons = reasons;
    }

    /** The reasons file that a rejects file's lines are described in. */
    public static Path reasonsOf(Path rejectsFile) {
        return rejectsFile.resolveSibling(rejectsFile.getFileName() + ".reasons.csv");
    }

    /** Whether {@code file} is a rejects file this tool wrote: its reasons file lies beside it. */
    public static boolean isRejectsFile(Path file) {
        Path reasons = reasonsOf(file);
        if (!Files.isRegularFile(reasons)) {
            return false;
        }
        try (BufferedReader in = Files.newBufferedReader(reasons, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            return header != null && header.startsWith("rejects_line,file,line,reason");
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Checks that {@code corrected} still has one line per reject, so that line {@code k} is the correction of
     * reject {@code k}: a line removed or added would shift every correction after it onto the wrong original.
     *
     * @throws IllegalArgumentException naming both files and what to do
     */
    public static void check(Path corrected, Path rejectsFile) {
        long lines = lines(corrected);
        long rejects = records(reasonsOf(rejectsFile));
        if (lines != rejects) {
            throw new IllegalArgumentException(corrected + " has " + lines + " lines but "
                    + reasonsOf(rejectsFile) + " lists " + rejects + " rejects: keep each corrected line in its place"
                    + " (empty a line to leave it out, never delete one), so each keeps the identity of the line it"
                    + " corrects");
        }
    }

    /**
     * The id of the original line that line {@code lineNumber} (1-based) corrects; null when it is unknown (no such
     * reject, or a reasons file written before rejects kept their ids).
     */
    public UUID originalId(long lineNumber) {
        try {
            if (records == null || lineNumber <= at) {
                open();
            }
            while (at < lineNumber && records.hasNext()) {
                CSVRecord record = records.next();
                at = Long.parseLong(record.get("rejects_line"));
                if (at == lineNumber) {
                    String id = record.isMapped("line_id") && record.isSet("line_id") ? record.get("line_id") : "";
                    return id.isEmpty() ? null : UUID.fromString(id);
                }
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + reasons + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(reasons + " is damaged near reject " + lineNumber + " ("
                    + e.getMessage() + "); restore it as the run wrote it", e);
        }
    }

    private void open() throws IOException {
        close();
        Reader in = Files.newBufferedReader(reasons, StandardCharsets.UTF_8);
        parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(in);
        records = parser.iterator();
        at = 0;
    }

    private static long lines(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            long lines = 0;
            int last = '\n';
            for (int n; (n = in.read(buffer)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
                last = buffer[n - 1];
            }
            return last == '\n' ? lines : lines + 1;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        if (parser != null) {
            parser.close();
            parser = null;
        }
    }

    private static long records(Path reasons) {
        try (Reader in = Files.newBufferedReader(reasons, StandardCharsets.UTF_8);
                CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
            long count = 0;
            for (Iterator<CSVRecord> it = parser.iterator(); it.hasNext(); it.next()) {
                count++;
            }
            return count;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + reasons + ": " + e.getMessage(), e);
        }
    }
}
