package io.usagebackfill.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A program of the machine's that a test runs (promtool, chromium), found on the PATH; a test that needs one is
 * skipped, saying which package brings it, where it is absent (.ci/run installs them).
 */
public final class ExternalTool {

    /** What a run printed, stdout and stderr apart, and how it exited. */
    public record Ran(int exit, String stdout, String stderr) {
    }

    private final Path program;

    private ExternalTool(Path program) {
        this.program = program;
    }

    /**
     * The first of {@code names} on the PATH.
     *
     * @param debianPackage what to install to have it, for the message of the skipped test
     */
    public static ExternalTool require(String debianPackage, String... names) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : names) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return new ExternalTool(candidate);
                }
            }
        }
        assumeTrue(false, String.join(" or ", names) + " is not on the PATH; apt-get install " + debianPackage
                + " (.ci/run does) to run this test");
        throw new IllegalStateException("unreachable");
    }

    /** Runs the program with {@code args}; fails the test when it takes longer than {@code limit}. */
    public Ran run(Duration limit, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(program.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("tool-out", ".txt");
        Path err = Files.createTempFile("tool-err", ".txt");
        try {
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(program + " did not end within " + limit + ": " + Files.readString(err));
            }
            return new Ran(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
