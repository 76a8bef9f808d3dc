package io.usagebackfill.job;

/** The job's parameter names, shared by the job definition and whoever launches it. */
public final class JobParameterNames {

    public static final String JOB_NAME = "tokenUsageBackfill";
    /** The partition worker step's name, which a remote worker looks the step up by. */
    public static final String PARTITION_STEP = "loadPartition";
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
    /** The --prices file, empty for none. */
    public static final String PRICES = "prices";
    public static final String UNTIL = "until";
    /** The --fields file laid over the built-in field catalog, empty for none. */
    public static final String FIELDS = "fields";
    /** The zone of times logged without one (--log-timezone), empty for UTC. */
    public static final String LOG_TIMEZONE = "logTimezone";
    /** "true" to skip files unchanged since an earlier incremental run and go on in grown ones. */
    public static final String INCREMENTAL = "incremental";
    /** "true" to plan without writing to the target table. */
    public static final String DRY_RUN = "dryRun";
    /** How progress shows: BAR, TEXT, JSON or QUIET ({@link io.usagebackfill.report.Progress.Mode}). */
    public static final String PROGRESS = "progress";
    /** Seconds between progress lines off a terminal. */
    public static final String PROGRESS_EVERY = "progressEvery";
    /** Identifies a run instead of {@link #REQUESTED_AT}: starting the same key again resumes or reports that run. */
    public static final String RUN_KEY = "runKey";
    /** The {@code run} label of the grouping key the run's metrics are pushed under ({@code --metrics-run}). */
    public static final String METRICS_RUN = "metricsRun";
    /** The rejects file the PATHs correct line for line ({@code --fixes}); empty: a rejects file given as a PATH. */
    public static final String FIXES = "fixes";
    /** Whether corrected lines replace the rows of earlier corrections ({@code --replace-fixed}). */
    public static final String REPLACE_FIXED = "replaceFixed";
    /** "true" to make the partitions the events need that the table lacks, before loading. */
    public static final String CREATE_PARTITIONS = "createPartitions";
    /** Execution-context key: what the run found out about its table before loading ({@code TargetNotes}, JSON). */
    public static final String TARGET_NOTES = "targetNotes";
    /**
     * How many partitions the run is planned in: loading at once on this machine, each on its own thread and
     * connection (--threads), or taken by workers from a broker (--partitions with --broker).
     */
    public static final String THREADS = "threads";
    /** Whether files and directories that cannot be read are left out (and counted) instead of failing the run. */
    public static final String SKIP_UNREADABLE = "skipUnreadable";
    /** Execution-context key: the paths discovery left out because they cannot be read, one a line. */
    public static final String UNREADABLE = "unreadable";
    /** The broker queue the run's partitions were sent to, empty when they ran on this machine's threads. */
    public static final String BROKER_QUEUE = "brokerQueue";
    /** Execution-context key: the files discovery left out as not logs, each with the reason, one a line. */
    public static final String LEFT_OUT = "undecodable";
    /** Key of the partitions' files and ranges in the job's execution context, fixed when the run starts. */
    public static final String PARTITIONS = "partitions";
    /** Key of the database's transaction id when the run started, which the rows it inserts are younger than. */
    /**
     * Execution-context key: the transactions the run's rows were inserted by ({@code RunXids}); runs started by
     * earlier versions have only {@link #START_XID}.
     */
    public static final String RUN_XIDS = "runXids";
    public static final String START_XID = "startXid";
    /** Key of the file list in the job's execution context. */
    public static final String MANIFEST = "manifest";
    /** Key of the files an incremental run skipped as unchanged, with where their reads ended. */
    public static final String UNCHANGED = "unchanged";

    private JobParameterNames() {
    }
}
