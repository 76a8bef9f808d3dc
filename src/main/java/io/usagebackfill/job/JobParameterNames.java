package io.usagebackfill.job;

/** The job's parameter names, shared by the job definition and whoever launches it. */
public final class JobParameterNames {

    public static final String JOB_NAME = "tokenUsageBackfill";
    public static final String PATHS = "paths";
    public static final String REQUESTED_AT = "requestedAt";
    public static final String REJECTS = "rejects";
    public static final String CSV_OUT = "csvOut";
    public static final String CHUNK_SIZE = "chunkSize";
    public static final String SKIP_LIMIT = "skipLimit";
    public static final String MAX_LINE_BYTES = "maxLineBytes";
    public static final String STRICT = "strict";
    public static final String TABLE = "table";
    public static final String PROVIDER_MAP = "providerMap";
    /** The window's ends as instants, empty when open; {@code --until auto} is resolved before the run starts. */
    public static final String SINCE = "since";
    public static final String UNTIL = "until";
    /** Key of the file list in the job's execution context. */
    public static final String MANIFEST = "manifest";

    private JobParameterNames() {
    }
}
