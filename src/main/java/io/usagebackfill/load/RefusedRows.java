package io.usagebackfill.load;

import io.usagebackfill.normalize.TokenUsage;

/**
 * Where the rows a table's row-level security policies refuse go: each is the input's reject (its line, with the
 * policy's message), while the rest of its chunk loads. Called on the chunk's thread, inside its transaction.
 */
public interface RefusedRows {

    /**
     * @param reason the database's refusal, as one sentence for the rejects file
     */
    void refused(TokenUsage row, String reason);
}
