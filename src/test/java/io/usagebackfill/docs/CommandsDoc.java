package io.usagebackfill.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import io.usagebackfill.cli.UsageBackfillCommand;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * The commands-and-options reference, {@code docs/commands/}: one AsciiDoc page a command, written by picocli's own
 * documentation generator from the commands' annotations, the root's page linking to the others. Never edited by
 * hand: {@code main} writes the pages anew, {@link CommandsDocTest} fails while the checked-in ones differ.
 */
public final class CommandsDoc {

    /** The one command that writes the pages anew; the test's message repeats it. */
    public static final String REGENERATE = "./mvnw -q test-compile exec:java@commands-doc";

    private CommandsDoc() {
    }

    /** Writes the pages into the directory given (docs/commands), removing pages of commands that no longer exist. */
    public static void main(String[] args) throws IOException {
        Path directory = Path.of(args[0]);
        Files.createDirectories(directory);
        for (Path stale : pages(directory).keySet().stream().map(directory::resolve).toList()) {
            Files.delete(stale);
        }
        for (Map.Entry<String, String> page : generate().entrySet()) {
            Files.writeString(directory.resolve(page.getKey()), page.getValue());
        }
    }

    /** The pages picocli's generator makes now: file name to AsciiDoc, with {@code \n} line ends. */
    public static Map<String, String> generate() throws IOException {
        Path scratch = Files.createTempDirectory("commands-doc");
        try {
            int exit = ManPageGenerator.generateManPage(scratch.toFile(), null, new boolean[0], false,
                    UsageBackfillCommand.commandLine().getCommandSpec());
            if (exit != CommandLine.ExitCode.OK) {
                throw new IllegalStateException("picocli's ManPageGenerator exited " + exit);
            }
            return pages(scratch);
        } finally {
            try (Stream<Path> files = Files.list(scratch)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(scratch);
        }
    }

    /** The {@code .adoc} pages in a directory: file name to text, with {@code \n} line ends. */
    public static Map<String, String> pages(Path directory) throws IOException {
        Map<String, String> pages = new TreeMap<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(file -> file.getFileName().toString().endsWith(".adoc")).toList()) {
                pages.put(file.getFileName().toString(), Files.readString(file).replace("\r\n", "\n"));
            }
        }
        return pages;
    }
}
