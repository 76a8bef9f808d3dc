package io.usagebackfill.reject;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * A partitioned run's rejects: each partition writes {@code FILE.part-N} (and its reasons) while it runs, and at
 * the end they become the one {@code FILE} and {@code FILE.reasons.csv} a run always leaves, in partition order,
 * with the reasons' line numbers counted through. Merging writes both files beside the target and renames them
 * over it, leaving the parts; a merge cut short is simply done again, and the parts are deleted only once the
 * merge is recorded as done. Stateless.
 */
public final class RejectsParts {

    private static final CSVFormat READ_REASONS = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
            .get();

    private RejectsParts() {
    }

    /** Where partition {@code partition} of a run split in {@code partitions} keeps its rejects. */
    public static Path part(Path rejects, int partition, int partitions) {
        return partitions <= 1 ? rejects : rejects.resolveSibling(rejects.getFileName() + ".part-" + partition);
    }

    /** Joins the parts into {@code rejects}; no part (no rejects anywhere) leaves nothing. */
    public static void merge(Path rejects, int partitions) throws IOException {
        if (partitions <= 1) {
            return;
        }
        RejectsFile target = new RejectsFile(rejects);
        Path linesTmp = rejects.resolveSibling(rejects.getFileName() + ".merging");
        Path reasonsTmp = rejects.resolveSibling(rejects.getFileName() + ".reasons.csv.merging");
        boolean any = false;
        try (var lines = Files.newOutputStream(create(linesTmp), StandardOpenOption.TRUNCATE_EXISTING);
                Writer reasonsOut = Files.newBufferedWriter(create(reasonsTmp), StandardOpenOption.TRUNCATE_EXISTING);
                CSVPrinter reasons = new CSVPrinter(reasonsOut, RejectsFile.REASONS)) {
            long before = 0;
            for (int p = 0; p < partitions; p++) {
                RejectsFile part = new RejectsFile(part(rejects, p, partitions));
                if (!Files.exists(part.linesPath())) {
                    continue;
                }
                any = true;
                Files.copy(part.linesPath(), lines);
                long count = 0;
                try (Reader in = Files.newBufferedReader(part.reasonsPath())) {
                    for (CSVRecord record : READ_REASONS.parse(in)) {
                        count = Long.parseLong(record.get(0));
                        reasons.printRecord(before + count, record.get(1), record.get(2), record.get(3),
                                record.size() > 4 ? record.get(4) : "");
                    }
                }
                before += count;
            }
        }
        if (any) {
            Files.move(linesTmp, target.linesPath(), StandardCopyOption.REPLACE_EXISTING);
            Files.move(reasonsTmp, target.reasonsPath(), StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.deleteIfExists(linesTmp);
            Files.deleteIfExists(reasonsTmp);
        }
    }

    /** Deletes the parts, once {@link #merge} has put them together. */
    public static void deleteParts(Path rejects, int partitions) throws IOException {
        for (int p = 0; p < partitions && partitions > 1; p++) {
            RejectsFile part = new RejectsFile(part(rejects, p, partitions));
            Files.deleteIfExists(part.linesPath());
            Files.deleteIfExists(part.reasonsPath());
        }
    }

    private static Path create(Path path) throws IOException {
        if (!Files.exists(path)) {
            Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        return path;
    }
}
