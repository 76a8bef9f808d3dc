package io.usagebackfill.load;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import io.usagebackfill.normalize.TokenUsage;

/** Loads one chunk of rows on the chunk transaction's connection and says what became of them. */
public interface ChunkLoader {

    ChunkLoad load(Connection connection, List<? extends TokenUsage> chunk) throws SQLException;
}
