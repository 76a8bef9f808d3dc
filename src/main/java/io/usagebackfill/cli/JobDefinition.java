package io.usagebackfill.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * A job file in {@code jobs/}: the {@code import} options of one recurring use, as properties named like the
 * options without their dashes ({@code until=auto}, {@code run-key=nightly-{date}}), and {@code paths} for the
 * PATH arguments (separated by commas or new lines). {@code {date}} in any value is today's date, UTC.
 */
record JobDefinition(Path file, List<String> importArguments) {

    /** The import options a job file may set; anything else is a typo worth stopping on. */
    private static final Set<String> OPTIONS = Set.of("db", "csv-out", "rejects", "report-json", "chunk-size",
            "skip-limit", "max-line-bytes", "strict", "table", "provider-map", "since", "until", "incremental",
            "run-key", "prices", "dry-run", "quiet", "log-format", "progress-every", "threads");
    private static final Set<String> FLAGS = Set.of("strict", "incremental", "dry-run", "quiet");

    static JobDefinition read(Path file) {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UsageException("job file " + file + " cannot be read (" + e.getMessage() + "); give the path"
                    + " of a .properties file such as jobs/nightly-backfill.properties");
        }
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        List<String> arguments = new ArrayList<>(List.of("import"));
        List<String> paths = new ArrayList<>();
        for (String key : new TreeSet<>(properties.stringPropertyNames())) {
            String value = properties.getProperty(key).strip().replace("{date}", today);
            if (key.equals("paths")) {
                for (String path : value.split("[,\\n]")) {
                    if (!path.isBlank()) {
                        paths.add(path.strip());
                    }
                }
            } else if (!OPTIONS.contains(key)) {
                throw new UsageException("job file " + file + " sets `" + key + "`, which is not an import option;"
                        + " use paths or one of " + new TreeSet<>(OPTIONS));
            } else if (FLAGS.contains(key)) {
                if (Boolean.parseBoolean(value)) {
                    arguments.add("--" + key);
                }
            } else {
                arguments.add("--" + key + "=" + value);
            }
        }
        if (paths.isEmpty()) {
            throw new UsageException("job file " + file + " sets no `paths`; add paths=/var/log/app (comma-separated)");
        }
        arguments.addAll(paths);
        return new JobDefinition(file, List.copyOf(arguments));
    }
}
