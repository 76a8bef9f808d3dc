package io.usagebackfill.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code run JOBFILE}: an {@code import} whose options come from a job file in {@code jobs/}. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Runs the import a job file describes (jobs/nightly-backfill.properties,"
                + " jobs/historical-import.properties). Options after the file override the file's.")
final class RunJobCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    DatabaseOption database;

    @Parameters(index = "0", paramLabel = "JOBFILE", description = "A job file: import options as properties.")
    Path jobFile;

    @Parameters(index = "1..*", paramLabel = "OPTION", description = "Import options that override the file's,"
            + " e.g. --db URL.")
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() {
        JobDefinition job = JobDefinition.read(jobFile);
        boolean overridesDatabase = overrides.stream().anyMatch(o -> o.equals("--db") || o.startsWith("--db=")
                || o.equals("--csv-out") || o.startsWith("--csv-out="));
        if (!job.embedded() && job.db() == null && !job.csvOut() && !overridesDatabase) {
            database.required("job file " + jobFile);
        }
        job.createOutputDirectories(overrides);
        // Options given later overwrite earlier ones, so the command line's win over the file's.
        List<String> arguments = new ArrayList<>(job.importArguments());
        arguments.addAll(overrides);
        if (database.url != null) {
            arguments.add("--db=" + database.url);
        }
        if (database.envFile != null) {
            arguments.add("--env-file=" + database.envFile);
        }
        CommandLine root = spec.root().commandLine();
        CommandLine importing = root.getSubcommands().get("import");
        importing.setOverwrittenOptionsAllowed(true);
        return importing.execute(arguments.subList(1, arguments.size()).toArray(String[]::new));
    }
}
