package io.usagebackfill.source;

/**
 * A log file as the job saw it when the run started, or the byte range of it one partition reads. Identity is the
 * content's first bytes, not the name: a rotated copy ({@code app.log} to {@code app.log.1.gz}) keeps its
 * fingerprint, a new file at an old name does not.
 *
 * @param path absolute path
 * @param size bytes on disk when discovered
 * @param modifiedMillis last-modified time when discovered
 * @param gzip whether the content must be decoded from the file's bytes: compressed (gzip, bzip2, xz, zstd, ... by
 *     its magic bytes, whatever its name) or UTF-16; such content is re-read to resume, never sought. (The name is
 *     that of the stored manifests and ledger, from when gzip was the only such format.)
 * @param fingerprint hex SHA-256 of the first {@code fingerprintBytes} bytes of the decompressed content
 * @param fingerprintBytes how many bytes the fingerprint covers (fewer than the maximum for a small file)
 * @param startOffset content byte to start reading at: 0, or where an earlier run's read of this file ended
 * @param startLine lines before {@code startOffset}, so line numbers stay those of the file
 * @param endOffset where the read stops, at a line end, when the file is read in ranges; null: at its end
 * @param startCheck when an earlier run's read ended at {@code startOffset}: the hash of the bytes it read just
 *     before it ({@link Fingerprints#tailBytes}), so a file rewritten since with the same head is not taken for it;
 *     empty when the ledger did not keep it; null when {@code startOffset} is not where an earlier read ended
 */
public record SourceFile(String path, long size, long modifiedMillis, boolean gzip, String fingerprint,
        int fingerprintBytes, long startOffset, long startLine, Long endOffset, String startCheck) {

    public SourceFile(String path, long size, long modifiedMillis, boolean gzip, String fingerprint,
            int fingerprintBytes) {
        this(path, size, modifiedMillis, gzip, fingerprint, fingerprintBytes, 0, 0, null, null);
    }

    /** The same file, to be read from {@code offset} (after {@code lines} lines) on. */
    public SourceFile continuingAt(long offset, long lines) {
        return new SourceFile(path, size, modifiedMillis, gzip, fingerprint, fingerprintBytes, offset, lines,
                endOffset, null);
    }

    /** The same file, to be read on from where an earlier read ended, {@code check} hashing the bytes before it. */
    public SourceFile continuingAfter(long offset, long lines, String check) {
        return new SourceFile(path, size, modifiedMillis, gzip, fingerprint, fingerprintBytes, offset, lines,
                endOffset, check);
    }

    /** The same file, read up to {@code offset} only (a line end); another range reads on from there. */
    public SourceFile endingAt(long offset) {
        return new SourceFile(path, size, modifiedMillis, gzip, fingerprint, fingerprintBytes, startOffset, startLine,
                offset, startCheck);
    }

    /** Whether the read starts where an earlier run's read of the file ended (the ledger's place). */
    public boolean continuesEarlierRead() {
        return startCheck != null && startOffset > 0;
    }

    /** Whether this is the file's last range (or the whole file), whose end is the end of the file. */
    public boolean readsToEnd() {
        return endOffset == null;
    }

    /** The bytes a read of this file or range covers; for gzip files, the compressed size of all of it. */
    public long bytesToRead() {
        if (gzip) {
            return size;
        }
        return Math.max(0, (endOffset == null ? size : endOffset) - startOffset);
    }
}
