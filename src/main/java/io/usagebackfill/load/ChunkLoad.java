package io.usagebackfill.load;

import java.util.Map;

/** What loading one chunk did. */
public record ChunkLoad(long inserted, long duplicates, long nulledUserIds, long nulledSessionIds,
        Map<String, ModelTotals> perModel) {
}
