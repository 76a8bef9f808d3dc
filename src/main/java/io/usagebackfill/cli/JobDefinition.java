package io.usagebackfill.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A job file in {@code jobs/}: the {@code import} options of one recurring use, as properties named like the
 * options without their dashes ({@code until=auto}, {@code run-key=nightly-{date}}), and {@code paths} for the
 * PATH arguments (separated by commas or new lines). {@code {date}} in any value is today's date, UTC. A job file
 * names its database ({@code db}, or the environment) or says {@code database=embedded}: a scheduled job never
 * loads into the embedded database by accident.
 *
 * @param db the file's {@code db}, or null
 * @param embedded whether the file says {@code database=embedded}
 * @param paths the PATH arguments, as written
 * @param outputs the files the job writes ({@code rejects}, {@code report-json}, {@code csv-out}) as the file names
 *     them, whose directories are made on first use
 * @param managerSettings the file's {@code broker}, {@code broker-queue} and {@code partition-timeout}, which
 *     {@code restart JOBFILE} needs to send a run's unfinished partitions back to its workers
 * @param metricsPush the file's {@code metrics-push}, which {@code restart JOBFILE} pushes to as well, or null
 */
record JobDefinition(Path file, List<String> importArguments, String db, boolean embedded, List<String> paths,
        Map<String, Path> outputs, boolean csvOut, Map<String, String> managerSettings, String metricsPush) {

    /** The import options a job file may set; anything else is a typo worth stopping on. */
    private static final Set<String> OPTIONS = Set.of("db", "csv-out", "rejects", "report-json", "chunk-size",
            "skip-limit", "max-line-bytes", "strict", "table", "provider-map", "since", "until", "incremental",
            "run-key", "prices", "dry-run", "quiet", "log-format", "progress-every", "threads", "skip-unreadable",
            "broker", "broker-queue", "partitions", "partition-timeout", "fields", "log-timezone",
            "statement-timeout", "report-html", "metrics-push", "metrics-run", "create-partitions");
    private static final Set<String> FLAGS = Set.of("strict", "incremental", "dry-run", "quiet", "skip-unreadable",
            "create-partitions");
    private static final Set<String> OUTPUTS = Set.of("rejects", "report-json", "report-html", "csv-out");
    private static final Set<String> MANAGER_SETTINGS = Set.of("broker", "broker-queue", "partition-timeout");
    private static final Map<String, Boolean> BOOLEANS = Map.of("true", true, "yes", true, "on", true, "1", true,
            "false", false, "no", false, "off", false, "0", false);

    static JobDefinition read(Path file) {
        Properties properties = load(file);
        // The job's metrics are pushed under its name, every night the same, unless the file names another.
        List<String> arguments = new ArrayList<>(List.of("import", "--metrics-run=" + name(file)));
        List<String> paths = new ArrayList<>();
        Map<String, Path> outputs = new TreeMap<>();
        Map<String, String> managerSettings = new TreeMap<>();
        String db = null;
        boolean embedded = false;
        for (String key : new TreeSet<>(properties.stringPropertyNames())) {
            String value = OutputNames.expandDate(properties.getProperty(key).strip());
            if (key.equals("paths")) {
                for (String path : value.split("[,\\n]")) {
                    if (!path.isBlank()) {
                        paths.add(path.strip());
                    }
                }
            } else if (key.equals("database")) {
                if (!value.equals("embedded")) {
                    throw new UsageException("job file " + file + " sets database=" + value + "; the only value is"
                            + " `embedded` (the database itself comes from db=, --db, POSTGRES_URL or DATABASE_URL)");
                }
                embedded = true;
            } else if (!OPTIONS.contains(key)) {
                throw new UsageException("job file " + file + " sets `" + key + "`, which is not an import option;"
                        + " use paths, database or one of " + new TreeSet<>(OPTIONS));
            } else if (FLAGS.contains(key)) {
                if (flag(file, key, value)) {
                    arguments.add("--" + key);
                }
            } else {
                arguments.add("--" + key + "=" + value);
                db = key.equals("db") ? value : db;
                if (OUTPUTS.contains(key)) {
                    outputs.put(key, Path.of(value));
                }
                if (MANAGER_SETTINGS.contains(key)) {
                    managerSettings.put(key, value);
                }
            }
        }
        if (paths.isEmpty()) {
            throw new UsageException("job file " + file + " sets no `paths`; add paths=/var/log/app (comma-separated)");
        }
        arguments.addAll(paths);
        return new JobDefinition(file, List.copyOf(arguments), db, embedded, List.copyOf(paths),
                Map.copyOf(outputs), properties.containsKey("csv-out"), Map.copyOf(managerSettings),
                properties.getProperty("metrics-push") == null ? null : properties.getProperty("metrics-push").strip());
    }

    /** {@code nightly-backfill} for {@code jobs/nightly-backfill.properties}. */
    static String name(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** Whether the file sets {@code log-format=json}, read leniently, before anything else in it is checked. */
    static boolean asksForJson(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .anyMatch(line -> line.strip().matches("log-format\\s*[=:]\\s*json"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static Properties load(Path file) {
        // A key set twice would silently keep the second: an edit that forgot the first line, or a merge of two.
        Properties properties = new Properties() {
            @Override
            public synchronized Object put(Object key, Object value) {
                Object before = super.put(key, value);
                if (before != null) {
                    throw new UsageException("job file " + file + " sets `" + key + "` twice (" + before + ", then "
                            + value + "); keep one (an option after the file on the command line overrides it)");
                }
                return null;
            }
        };
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UsageException("job file " + file + " cannot be read (" + e.getMessage() + "); give the path"
                    + " of a .properties file such as jobs/nightly-backfill.properties");
        } catch (IllegalArgumentException e) {
            throw new UsageException("job file " + file + " is not a properties file (" + e.getMessage() + ");"
                    + " write key=value lines, a backslash written as \\\\");
        }
        return properties;
    }

    private static boolean flag(Path file, String key, String value) {
        Boolean parsed = BOOLEANS.get(value.toLowerCase(Locale.ROOT));
        if (parsed == null) {
            throw new UsageException("job file " + file + " sets " + key + "=" + value + ", which is not a yes or"
                    + " no; use true/false, yes/no, on/off or 1/0");
        }
        return parsed;
    }

    /**
     * The directories of the job's output files, made (owner-only) when missing, so a first night just works; not
     * those of outputs the command line overrides.
     */
    void createOutputDirectories(List<String> overrides) {
        for (Map.Entry<String, Path> named : outputs.entrySet()) {
            if (overrides.stream().anyMatch(o -> o.equals("--" + named.getKey())
                    || o.startsWith("--" + named.getKey() + "="))) {
                continue;
            }
            Path output = named.getValue();
            Path dir = output.toAbsolutePath().getParent();
            if (dir == null || Files.isDirectory(dir)) {
                continue;
            }
            try {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            } catch (IOException e) {
                throw new UsageException("job file " + file + " writes " + output + ", and its directory " + dir
                        + " cannot be created (" + e.getMessage() + "); create it for the job's user");
            }
        }
    }

    /** The job's PATH arguments as a run records them (absolute, one a line), to find its runs. */
    String recordedPaths() {
        return String.join("\n", paths.stream().map(p -> Path.of(p).toAbsolutePath().toString()).toList());
    }
}
