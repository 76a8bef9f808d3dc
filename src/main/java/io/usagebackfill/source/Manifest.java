package io.usagebackfill.source;

import java.util.List;

import io.usagebackfill.checkpoint.StateJson;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The run's file list as text, stored once in the job's execution context when the run starts: a restart reads
 * exactly the files of the original run, in the same order, whatever appeared or rotated since. Thread-safe.
 */
public final class Manifest {

    private static final JsonMapper JSON = StateJson.MAPPER;

    private Manifest() {
    }

    public static String write(List<SourceFile> files) {
        return JSON.writeValueAsString(files);
    }

    public static List<SourceFile> read(String text) {
        return JSON.readValue(text, new TypeReference<List<SourceFile>>() { });
    }

    /** The run's partitions: the files (and ranges of files) each one reads. */
    public static String writeParts(List<List<SourceFile>> parts) {
        return JSON.writeValueAsString(parts);
    }

    public static List<List<SourceFile>> readParts(String text) {
        return JSON.readValue(text, new TypeReference<List<List<SourceFile>>>() { });
    }
}
