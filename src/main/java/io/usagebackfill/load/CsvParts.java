package io.usagebackfill.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import io.usagebackfill.config.OutputFile;

/**
 * A partitioned {@code --csv-out}: each partition writes {@code NAME.part-N.csv}, with the header (so discovery
 * knows it for the tool's own output, as it knows the whole file), and at the end they become the one file, in
 * partition order, which is the order of the logs: the header once, then each part's rows. The whole file is
 * written beside the target and renamed over it, then the parts are deleted. Stateless.
 */
public final class CsvParts {

    private CsvParts() {
    }

    /** Where partition {@code partition} of a run split in {@code partitions} writes its rows. */
    public static Path part(Path csv, int partition, int partitions) {
        return partitions <= 1 ? csv : csv.resolveSibling(csv.getFileName() + ".part-" + partition + ".csv");
    }

    /** Joins the parts into {@code csv} and deletes them; one partition wrote {@code csv} itself. */
    public static void merge(Path csv, int partitions) throws IOException {
        if (partitions <= 1) {
            return;
        }
        Path merging = csv.resolveSibling(csv.getFileName() + ".merging");
        try (OutputStream out = OutputFile.create(merging)) {
            for (int p = 0; p < partitions; p++) {
                try (InputStream in = Files.newInputStream(part(csv, p, partitions))) {
                    if (p > 0) {
                        skipHeader(in, csv);
                    }
                    in.transferTo(out);
                }
            }
        }
        Files.move(merging, csv, StandardCopyOption.REPLACE_EXISTING);
        for (int p = 0; p < partitions; p++) {
            Files.deleteIfExists(part(csv, p, partitions));
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
