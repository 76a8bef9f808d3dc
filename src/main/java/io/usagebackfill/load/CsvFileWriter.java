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
 * through a symbolic link. Not thread-safe.
 */
public final class CsvFileWriter implements RowSink {

    private final Path path;
    private TokenUsageCsv csv;
    private LoadTally tally = LoadTally.empty();
    private final SeenIds written = new SeenIds();

    public CsvFileWriter(Path path) {
        this.path = path;
    }

    @Override
    public void write(Chunk<? extends TokenUsage> chunk) throws IOException {
        openOnce();
        List<TokenUsage> fresh = new ArrayList<>(chunk.size());
        for (TokenUsage row : chunk.getItems()) {
            if (written.add(row.id())) {
                csv.row(row, true);
                fresh.add(row);
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
