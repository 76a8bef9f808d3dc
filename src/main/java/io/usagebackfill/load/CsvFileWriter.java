package io.usagebackfill.load;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.usagebackfill.load.TokenUsageWriter.LoadTally;
import io.usagebackfill.normalize.TokenUsage;
import org.apache.commons.csv.CSVPrinter;
import org.springframework.batch.infrastructure.item.Chunk;

/**
 * {@code --csv-out}: writes the rows as CSV with a header of the documented columns, for the guide's "table import"
 * path; no database is involved. The file is written anew on every run. Not thread-safe.
 */
public final class CsvFileWriter implements RowSink {

    private final Path path;
    private CSVPrinter printer;
    private LoadTally tally = LoadTally.empty();

    public CsvFileWriter(Path path) {
        this.path = path;
    }

    @Override
    public void write(Chunk<? extends TokenUsage> chunk) throws IOException {
        openOnce();
        for (TokenUsage row : chunk.getItems()) {
            TokenUsageCsv.print(printer, row, false);
        }
        tally = tally.plus(ChunkLoad.of(chunk.getItems(), chunk.getItems(),
                ChunkLoad.Totals.of(chunk.getItems()), 0, 0));
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
        printer.close();
        printer = null;
    }

    /** Opens the file with its header on first use, so a run with no rows still leaves a valid CSV. */
    private void openOnce() throws IOException {
        if (printer == null) {
            printer = new CSVPrinter(new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(path),
                    StandardCharsets.UTF_8), 1 << 16),
                    TokenUsageCsv.FORMAT.builder().setHeader(TokenUsageCsv.COLUMNS.toArray(String[]::new)).get());
        }
    }
}
