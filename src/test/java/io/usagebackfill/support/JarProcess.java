package io.usagebackfill.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged jar run as its own process, as an operator runs it, its stdout and stderr going to one file; for
 * what only a process shows (signals, exit codes, limits, a second process at once).
 */
public final class JarProcess {

    public static final Path JAR = Path.of("target", "usage-backfill.jar").toAbsolutePath();

    private final Process process;
    private final Path output;

    private JarProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** Starts {@code java -jar usage-backfill.jar ARGS}, with {@code env} added to this JVM's environment. */
    public static JarProcess start(Path output, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(java(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return start(command, output, env);
    }

    /** Starts {@code command} (a shell line, a script) the same way; a null value in {@code env} unsets it. */
    public static JarProcess start(List<String> command, Path output, Map<String, String> env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        env.forEach((key, value) -> {
            if (value == null) {
                builder.environment().remove(key);
            } else {
                builder.environment().put(key, value);
            }
        });
        return new JarProcess(builder.start(), output);
    }

    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public Process process() {
        return process;
    }

    /** Waits for the exit code, at most two minutes. */
    public int exitCode() throws Exception {
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("still running after two minutes: " + output());
        }
        return process.exitValue();
    }

    public String output() throws IOException {
        return Files.readString(output);
    }

    /** Waits until {@code token_usage} holds {@code rows} rows, failing if the process ends first or two minutes pass. */
    public void awaitRows(TestDatabase database, long rows) throws Exception {
        java.time.Instant deadline = java.time.Instant.now().plus(java.time.Duration.ofMinutes(2));
        while (database.count("SELECT count(*) FROM token_usage") < rows) {
            if (!process.isAlive()) {
                throw new AssertionError("the import ended before " + rows + " rows were loaded: " + output());
            }
            if (java.time.Instant.now().isAfter(deadline)) {
                throw new AssertionError("fewer than " + rows + " rows after two minutes: " + output());
            }
            Thread.sleep(5);
        }
    }

    /** Sends a signal by name (INT, TERM) with kill(1). */
    public void signal(String name) throws Exception {
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
    }
}
