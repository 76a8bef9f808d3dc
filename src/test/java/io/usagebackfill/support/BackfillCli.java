package io.usagebackfill.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.usagebackfill.cli.UsageBackfillCommand;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The command line as a user types it, run in this JVM against a test database. */
public final class BackfillCli {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final TestDatabase database;

    public BackfillCli(TestDatabase database) {
        this.database = database;
    }

    /** Runs one command, adding {@code --db} for the test database unless the arguments name one. */
    public int run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (!all.contains("--db")) {
            all.add(1, "--db");
            all.add(2, database.cliUrl());
        }
        return UsageBackfillCommand.execute(all.toArray(String[]::new));
    }

    /** What a command did: its exit code and everything it printed. */
    public record Outcome(int exit, String stdout, String stderr) {

        public String printed() {
            return stdout + stderr;
        }
    }

    /** Runs one command as given, naming no database, and keeps what it printed. */
    public static Outcome captureWithoutDatabase(String... args) {
        return capture(() -> UsageBackfillCommand.execute(args));
    }

    /** Runs one command and keeps what it printed on stdout and stderr. */
    public Outcome capture(String... args) {
        return capture(() -> run(args));
    }

    private static Outcome capture(java.util.function.IntSupplier command) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
        try {
            int exit = command.getAsInt();
            return new Outcome(exit, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** Runs a command that must exit 0 and returns what it printed on stdout. */
    public String output(String... args) {
        Outcome outcome = capture(args);
        if (outcome.exit() != 0) {
            throw new AssertionError("exit code " + outcome.exit() + " from " + String.join(" ", args) + ": "
                    + outcome.printed());
        }
        return outcome.stdout();
    }

    /** Runs a command that must exit 0 with {@code --report-json} and returns the report. */
    public JsonNode report(Path reportDir, String... args) throws IOException {
        Path report = reportDir.resolve("report-" + System.nanoTime() + ".json");
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--report-json");
        all.add(report.toString());
        Outcome outcome = capture(all.toArray(String[]::new));
        if (outcome.exit() != 0) {
            throw new AssertionError("exit code " + outcome.exit() + " from " + String.join(" ", args) + ": "
                    + outcome.printed());
        }
        return readJson(report);
    }

    public static JsonNode readJsonText(String json) {
        return JSON.readTree(json);
    }

    public static JsonNode readJson(Path file) {
        return JSON.readTree(file.toFile());
    }
}
