package io.usagebackfill.run;

import java.util.List;

/**
 * What {@code import} was asked to do, as the launcher turns it into job parameters.
 *
 * @param csvOut CSV file to write instead of loading a database, or null
 * @param providerMap file of extra model-prefix to provider rules, or null
 */
public record ImportRequest(List<String> paths, String rejects, String csvOut, int chunkSize, long skipLimit,
        int maxLineBytes, boolean strict, String table, String providerMap) {
}
