package io.usagebackfill.load;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.usagebackfill.config.OutputFile;
import io.usagebackfill.load.TokenUsageWriter.LoadTally;
import io.usagebackfill.normalize.TokenUsage;
import org.springframework.batch.infrastructure.item.Chunk;

/**
 * {@code --csv-out}: writes the rows as CSV with a header of {@code id} and the documented columns, for the guide's
 * "table import" path; no database is involved. Each event is written once per run, a repeat (a rotated copy) counted
 * as a duplicate, and the id is the one a database load gives it, so loading this file and then importing the same
 * logs adds nothing. The file is written anew on every run, readable by its owner only (it holds user ids), never
 * through a symbolic link. A partitioned run's partitions each write a part ({@link CsvParts}) and share the ids
 * written. Not thread-safe: one per partition.
 */
public final class CsvFileWriter implements RowSink {

    private final Path path;
    private final Written written;
    private TokenUsageCsv csv;
    private LoadTally tally = LoadTally.empty();

    /** @param written the ids the run's partitions have written, shared by them */
    public CsvFileWriter(Path path, Written written) {
        this.path = path;
        this.written = written;
    }

    /** The ids a run has written to its CSV, for all its partitions at once. Thread-safe. */
    public static final class Written {

        private final SeenIds ids = new SeenIds();

        /** Which of the rows are met here first: each one's id is added, under one lock for the chunk. */
        synchronized boolean[] addAll(List<? extends TokenUsage> rows) {
            boolean[] fresh = new boolean[rows.size()];
            for (int i = 0; i < fresh.length; i++) {
                fresh[i] = ids.add(rows.get(i).id());
            }
            return fresh;
        }
    }

    @Override
    public void write(Chunk<? extends TokenUsage> chunk) throws IOException {
        openOnce();
        List<? extends TokenUsage> rows = chunk.getItems();
        boolean[] first = written.addAll(rows);
        List<TokenUsage> fresh = new ArrayList<>(rows.size());
        for (int i = 0; i < first.length; i++) {
            if (first[i]) {
                csv.row(rows.get(i), true);
                fresh.add(rows.get(i));
            }
        }
        ChunkLoad load = ChunkLoad.of(chunk.getItems(), fresh, ChunkLoad.Totals.of(chunk.getItems()), 0, 0);
        tally = tally.plus(load.repeatedInInput(load.duplicates()));
    }

    @Override
    public LoadTally tally() {
        return tally;
    }

    @Override
    public void restore(LoadTally saved) {
        tally = saved;
    }

    @Override
    public void close() throws IOException {
        openOnce();
        csv.close();
        csv = null;
    }

    /** Opens the file with its header on first use, so a run with no rows still leaves a valid CSV. */
    private void openOnce() throws IOException {
        if (csv == null) {
            csv = new TokenUsageCsv(OutputFile.create(path));
            csv.header();
        }
    }
}
