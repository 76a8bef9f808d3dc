package io.usagebackfill.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged jar started as processes of their own, each with its output in a file, all killed by
 * {@link #killAll()} (call it after each test, so no process outlives its test).
 */
public final class Processes {

    private static final Path JAR = Path.of("target", "usage-backfill.jar");

    private final Path dir;
    private final List<Process> started = new ArrayList<>();

    public Processes(Path dir) {
        this.dir = dir;
    }

    /** Starts {@code java -jar usage-backfill.jar ARGS}, its stdout and stderr going to {@code output} in dir. */
    public Process start(String output, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-XX:+UseSerialGC", "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(output).toFile()).start();
        started.add(process);
        return process;
    }

    /** What a process started with {@code output} has printed so far. */
    public String output(String output) throws IOException {
        Path file = dir.resolve(output);
        return Files.exists(file) ? Files.readString(file) : "";
    }

    /** Waits until the process's output contains {@code text}; fails if it ends first or a minute passes. */
    public void awaitOutput(Process process, String output, String text) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
        while (!output(output).contains(text)) {
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                throw new AssertionError("no \"" + text + "\" from " + output + (process.isAlive() ? " within a minute"
                        : ", which exited " + process.exitValue()) + "; it printed: " + output(output));
            }
            Thread.sleep(50);
        }
    }

    /** Waits for the process to end and returns its exit code; fails after {@code limit}. */
    public int exitOf(Process process, String output, Duration limit) throws Exception {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(output + " did not end within " + limit + "; it printed: " + output(output));
        }
        return process.exitValue();
    }

    /** Kills every process this started that is still running, and waits for them to go. */
    public void killAll() throws InterruptedException {
        for (Process process : started) {
            process.destroyForcibly();
        }
        for (Process process : started) {
            process.waitFor(30, TimeUnit.SECONDS);
        }
        started.clear();
    }
}
