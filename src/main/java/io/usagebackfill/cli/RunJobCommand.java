package io.usagebackfill.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.usagebackfill.config.JsonLines;
import io.usagebackfill.source.SourceDiscovery;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code run JOBFILE}: an {@code import} whose options come from a job file in {@code jobs/}. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Runs the import a job file describes (jobs/nightly-backfill.properties,"
                + " jobs/historical-import.properties). Options after the file override the file's; PATHs after it"
                + " replace its paths.")
final class RunJobCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    DatabaseOption database;

    @Mixin
    StatementTimeoutOption statementTimeout;

    @Parameters(index = "0", paramLabel = "JOBFILE", description = "A job file: import options as properties.")
    Path jobFile;

    @Parameters(index = "1..*", paramLabel = "OPTION", description = "Import options that override the file's,"
            + " e.g. --db URL; PATHs here replace the file's paths.")
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() {
        if (JobDefinition.asksForJson(jobFile)) {
            // Before the file is read, so that even its own errors are JSON lines.
            JsonLines.useJson();
        }
        JobDefinition job = JobDefinition.read(jobFile);
        boolean overridesDatabase = overrides.stream().anyMatch(o -> o.equals("--db") || o.startsWith("--db=")
                || o.equals("--csv-out") || o.startsWith("--csv-out="));
        if (!job.embedded() && job.db() == null && !job.csvOut() && !overridesDatabase) {
            database.required("job file " + jobFile);
        }
        // Options given later overwrite earlier ones, so the command line's win over the file's; PATHs after the
        // file replace its `paths` by the same rule, rather than adding to them.
        List<String> arguments = new ArrayList<>(job.importArguments());
        if (givesPaths(overrides)) {
            arguments.subList(arguments.size() - job.paths().size(), arguments.size()).clear();
        } else {
            checkPaths(job);
        }
        job.createOutputDirectories(overrides);
        arguments.addAll(overrides);
        if (database.url != null) {
            arguments.add("--db=" + database.url);
        }
        if (database.envFile != null) {
            arguments.add("--env-file=" + database.envFile);
        }
        if (statementTimeout.seconds != null) {
            arguments.add("--statement-timeout=" + statementTimeout.seconds);
        }
        CommandLine root = spec.root().commandLine();
        CommandLine importing = root.getSubcommands().get("import");
        importing.setOverwrittenOptionsAllowed(true);
        return importing.execute(arguments.subList(1, arguments.size()).toArray(String[]::new));
    }

    /** Whether the options after the file include PATHs, as {@code import} would read them. */
    private static boolean givesPaths(List<String> overrides) {
        CommandLine parser = new CommandLine(new ImportCommand());
        parser.setOverwrittenOptionsAllowed(true);
        try {
            return parser.parseArgs(overrides.toArray(String[]::new)).hasMatchedPositional(0);
        } catch (CommandLine.ParameterException e) {
            // No PATH (import requires one), or an option the import itself will refuse in its own words.
            return false;
        }
    }

    /**
     * A job file's {@code paths} that match nothing are named with the file and its key: the shipped nightly's
     * {@code /var/log/app} is only an example, and the first night would otherwise say just "PATH matches nothing".
     */
    private void checkPaths(JobDefinition job) {
        for (String path : job.paths()) {
            try {
                new SourceDiscovery().discover(List.of(path), true);
            } catch (IllegalArgumentException e) {
                throw new UsageException("job file " + jobFile + ", key `paths`: " + e.getMessage() + "; edit `paths`"
                        + " in " + jobFile + " to the directories or globs your app's logs are in, or give PATHs after"
                        + " the file");
            }
        }
    }
}
