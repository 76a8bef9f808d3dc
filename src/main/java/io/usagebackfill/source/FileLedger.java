package io.usagebackfill.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What incremental runs have read of each file, kept in the job's schema per target table: a nightly run over a
 * directory of months of logs reads only what is new. A file is recognised by its path, or after a rotation by the
 * fingerprint of its first 4 KiB; its content must still start with the bytes it was fingerprinted on, and (checked
 * when it is read) still hold the bytes that came just before where the last read ended.
 *
 * <ul>
 *   <li>read to its end before, and the same size and modification time as recorded: skipped, not even opened;</li>
 *   <li>grown, or a rotated (possibly gzipped) copy of a file read before: read on from where the last read ended;</li>
 *   <li>anything else: read from its start (rows already loaded then count as duplicates, so it stays exact).</li>
 * </ul>
 * Where the read ended is where everything before was accounted for: a run whose {@code --since}/{@code --until}
 * left an event of the file out records the file as read only up to that event.
 * The ledger is written after a run completes; a run that fails leaves it as it was, which is safe for the same
 * reason.
 */
public final class FileLedger {

    private final JdbcTemplate jdbc;
    private final String table;

    public FileLedger(JdbcTemplate jdbc, String targetTable) {
        this.jdbc = jdbc;
        this.table = targetTable;
    }

    /** Whether the ledger table is there yet (it is made with the job's schema on a run's first use). */
    public static boolean exists(java.sql.Connection connection) throws java.sql.SQLException {
        try (var st = connection.prepareStatement("SELECT to_regclass('usage_backfill.file_ledger') IS NOT NULL");
                var rs = st.executeQuery()) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    /** The files to read, each with where to start, and those to skip. */
    public record Plan(List<SourceFile> toRead, List<SourceFile> unchanged) {
    }

    public Plan plan(List<SourceFile> discovered) {
        List<SourceFile> toRead = new ArrayList<>();
        List<SourceFile> unchanged = new ArrayList<>();
        for (SourceFile file : discovered) {
            Optional<Entry> known = find(file);
            if (known.isEmpty()) {
                toRead.add(file);
            } else if (known.get().isSameAs(file)) {
                unchanged.add(known.get().continuing(file));
            } else {
                toRead.add(known.get().continuing(file));
            }
        }
        return new Plan(toRead, unchanged);
    }

    /**
     * Records where the read of {@code file} ended.
     *
     * @param tail the hash of the bytes just before {@code offsetDone}, or null when not known
     * @param readToEnd whether everything of the file was accounted for, so that unchanged it need not be opened
     */
    public void record(SourceFile file, long offsetDone, long linesDone, String tail, boolean readToEnd,
            long jobExecutionId) {
        jdbc.update("""
                INSERT INTO usage_backfill.file_ledger (target_table, path, fingerprint, fingerprint_bytes, gzip, size,
                    modified_millis, offset_done, lines_done, job_execution_id, tail_fingerprint, read_to_end)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (target_table, path) DO UPDATE SET fingerprint = EXCLUDED.fingerprint,
                    fingerprint_bytes = EXCLUDED.fingerprint_bytes, gzip = EXCLUDED.gzip, size = EXCLUDED.size,
                    modified_millis = EXCLUDED.modified_millis, offset_done = EXCLUDED.offset_done,
                    lines_done = EXCLUDED.lines_done, job_execution_id = EXCLUDED.job_execution_id,
                    tail_fingerprint = EXCLUDED.tail_fingerprint, read_to_end = EXCLUDED.read_to_end,
                    recorded_at = now()""", table, file.path(), file.fingerprint(), file.fingerprintBytes(),
                file.gzip(), file.size(), file.modifiedMillis(), offsetDone, linesDone, jobExecutionId, tail,
                readToEnd);
        // Which run accounted for the file, kept apart from the entry a later run overwrites: undoing the run
        // makes the ledger forget the file again.
        runRead(jdbc, table, file, jobExecutionId);
    }

    private static void runRead(JdbcTemplate jdbc, String table, SourceFile file, long jobExecutionId) {
        jdbc.update("""
                INSERT INTO usage_backfill.run_file (job_instance_id, target_table, path, fingerprint)
                SELECT job_instance_id, ?, ?, ? FROM usage_backfill.batch_job_execution WHERE job_execution_id = ?
                ON CONFLICT (job_instance_id, target_table, path) DO UPDATE SET fingerprint = EXCLUDED.fingerprint""",
                table, file.path(), file.fingerprint(), jobExecutionId);
    }

    /**
     * Keeps which files a run that keeps no ledger (not incremental) read, so that undoing it makes the ledger forget
     * them too: an incremental run that met its rows as already in the table recorded those files as read, and
     * without this would never read them again once the rows were undone.
     */
    public static void recordRead(JdbcTemplate jdbc, String table, List<SourceFile> files, long jobExecutionId) {
        for (SourceFile file : files) {
            runRead(jdbc, table, file, jobExecutionId);
        }
    }

    /**
     * Forgets every file that the run accounted for, under its name or a rotated one (by fingerprint), so the next
     * incremental run reads them again; returns how many entries went.
     */
    public static int forgetRun(JdbcTemplate jdbc, long jobInstanceId) {
        return jdbc.update("""
                DELETE FROM usage_backfill.file_ledger l USING usage_backfill.run_file f
                WHERE f.job_instance_id = ? AND l.target_table = f.target_table
                    AND (l.path = f.path OR l.fingerprint = f.fingerprint)""", jobInstanceId);
    }

    /** What the ledger knows of this file: by its path first, else by the fingerprint of a full 4 KiB head. */
    private Optional<Entry> find(SourceFile file) {
        List<Entry> candidates = jdbc.query("""
                SELECT path, fingerprint, fingerprint_bytes, gzip, size, modified_millis, offset_done, lines_done,
                    tail_fingerprint, read_to_end
                FROM usage_backfill.file_ledger
                WHERE target_table = ? AND (path = ? OR (fingerprint = ? AND fingerprint_bytes = ?))
                ORDER BY path = ? DESC, recorded_at DESC""",
                (rs, i) -> new Entry(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getBoolean(4), rs.getLong(5),
                        rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getString(9), rs.getBoolean(10)),
                table, file.path(), file.fingerprint(), Fingerprints.FINGERPRINT_BYTES, file.path());
        return candidates.stream().filter(entry -> entry.sameContentAs(file)).findFirst();
    }

    private record Entry(String path, String fingerprint, int fingerprintBytes, boolean gzip, long size,
            long modifiedMillis, long offsetDone, long linesDone, String tail, boolean readToEnd) {

        boolean isSameAs(SourceFile file) {
            return readToEnd && gzip == file.gzip() && size == file.size() && modifiedMillis == file.modifiedMillis()
                    && fingerprint.equals(file.fingerprint());
        }

        /** The file, to be read on from where this entry's read ended (the reader checks the bytes before it). */
        SourceFile continuing(SourceFile file) {
            return file.continuingAfter(offsetDone, linesDone, tail == null ? "" : tail);
        }

        /** The file still starts with the bytes this entry was fingerprinted on (a grown file does; a new one not). */
        boolean sameContentAs(SourceFile file) {
            if (fingerprintBytes == file.fingerprintBytes()) {
                return fingerprint.equals(file.fingerprint());
            }
            SourceFile asRecorded = new SourceFile(file.path(), size, modifiedMillis, file.gzip(), fingerprint,
                    fingerprintBytes);
            return fingerprintBytes < file.fingerprintBytes() && Fingerprints.stillMatches(asRecorded);
        }
    }
}
