package io.usagebackfill.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Pattern;

import io.usagebackfill.config.OutputFile;

/**
 * A {@code --csv-out} export is written in parts, {@code NAME.part-N.csv}, one per partition, each with the header
 * (so discovery knows it for the tool's own output, as it knows the whole file), and only a finished export becomes
 * {@code NAME}: the parts joined in partition order, which is the order of the logs, the header once; written
 * beside the target and renamed over it, then every part is deleted. So an export that fails or is stopped leaves
 * the file it was to replace as it was. One export at a time writes a given file ({@link #lock}). Stateless.
 */
public final class CsvParts {

    private CsvParts() {
    }

    /** Where partition {@code partition} writes its rows. */
    public static Path part(Path csv, int partition) {
        return csv.resolveSibling(csv.getFileName() + ".part-" + partition + ".csv");
    }

    /**
     * Checks, before anything runs, that no part an export of up to {@code partitions} partitions would write is a
     * symbolic link, a directory or read-only.
     *
     * @throws IllegalArgumentException naming the part, as {@link OutputFile#check} does
     */
    public static void check(Path csv, int partitions) {
        for (int p = 0; p < partitions; p++) {
            OutputFile.check("--csv-out (its part)", part(csv, p));
        }
    }

    /**
     * Takes the export's lock on {@code csv}, a lock file beside it that is never removed (what holds the lock is
     * the open file, so a killed export leaves none held); null when another export holds it.
     */
    public static FileLock lock(Path csv) throws IOException {
        FileChannel channel = OutputFile.channel(csv.resolveSibling("." + csv.getFileName() + ".lock"));
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException heldHere) {
            // This process holds it already: another export here is writing the file.
            lock = null;
        }
        if (lock == null) {
            channel.close();
        }
        return lock;
    }

    /** Joins the parts into {@code csv}, then deletes every part of it, those of an earlier export included. */
    public static void merge(Path csv, int partitions) throws IOException {
        if (partitions == 1) {
            Files.move(part(csv, 0), csv, StandardCopyOption.REPLACE_EXISTING);
        } else {
            Path merging = csv.resolveSibling(csv.getFileName() + ".merging");
            try (OutputStream out = OutputFile.create(merging)) {
                for (int p = 0; p < partitions; p++) {
                    try (InputStream in = Files.newInputStream(part(csv, p))) {
                        if (p > 0) {
                            skipHeader(in, csv);
                        }
                        in.transferTo(out);
                    }
                }
            }
            Files.move(merging, csv, StandardCopyOption.REPLACE_EXISTING);
        }
        Pattern parts = Pattern.compile(Pattern.quote(csv.getFileName().toString()) + "\\.part-\\d+\\.csv");
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(csv.toAbsolutePath().getParent(),
                path -> parts.matcher(path.getFileName().toString()).matches())) {
            for (Path stale : siblings) {
                Files.deleteIfExists(stale);
            }
        }
    }

    private static void skipHeader(InputStream in, Path csv) throws IOException {
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("a part of --csv-out " + csv + " has no header line; run the export again");
            }
        }
    }
}
