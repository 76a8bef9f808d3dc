package io.usagebackfill.load;

import io.usagebackfill.load.TokenUsageWriter.LoadTally;
import io.usagebackfill.normalize.TokenUsage;
import org.springframework.batch.infrastructure.item.ItemWriter;

/** Where rows go: the database ({@link TokenUsageWriter}) or a CSV file ({@link CsvFileWriter}), with its counts. */
public interface RowSink extends ItemWriter<TokenUsage>, AutoCloseable {

    LoadTally tally();

    void restore(LoadTally saved);

    @Override
    default void close() throws Exception {
    }
}
