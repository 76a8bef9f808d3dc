package io.usagebackfill.cli;

import static java.util.stream.Collectors.joining;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.usagebackfill.support.BackfillCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code completion bash|zsh} as a user installs it: the script is sourced by a real bash, which then completes the
 * command names after {@code usage-backfill } and the options after {@code usage-backfill import --}.
 */
class CompletionCommandTest {

    @TempDir
    Path dir;

    @Test
    void bashSourcingTheScriptCompletesEverySubcommandName() throws Exception {
        Path script = script("bash");

        List<String> offered = complete(script, "usage-backfill", "");

        Set<String> subcommands = new TreeSet<>(UsageBackfillCommand.commandLine().getSubcommands().keySet());
        assertThat(subcommands).contains("import", "restart", "completion");
        assertThat(offered).containsAll(subcommands);
    }

    @Test
    void bashCompletesTheOptionsOfASubcommand() throws Exception {
        Path script = script("bash");

        List<String> offered = complete(script, "usage-backfill", "import", "--inc");

        assertThat(offered).containsExactly("--incremental");
    }

    @Test
    void zshGetsTheSameScriptWhichLoadsBashcompinitUnderZsh() throws Exception {
        String zsh = Files.readString(script("zsh"));

        assertThat(zsh).isEqualTo(Files.readString(script("bash")))
                .contains("autoload -U +X bashcompinit && bashcompinit");
    }

    @Test
    void anotherShellIsAUsageErrorNamingTheShellsThereAre() {
        BackfillCli.Outcome fish = BackfillCli.captureWithoutDatabase("completion", "fish");

        assertThat(fish.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(fish.stderr()).contains("expected one of [bash, zsh]").contains("'fish'");
    }

    private Path script(String shell) throws IOException {
        BackfillCli.Outcome printed = BackfillCli.captureWithoutDatabase("completion", shell);
        assertThat(printed.exit()).as(printed.stderr()).isZero();
        return Files.writeString(dir.resolve(shell + "-completion"), printed.stdout());
    }

    /** What bash offers for the last word, as it does on TAB: the completion function fills COMPREPLY. */
    private static List<String> complete(Path script, String... words) throws Exception {
        String line = String.join(" ", words);
        String probe = "source '" + script + "'\n"
                + "COMP_WORDS=(" + Arrays.stream(words).map(word -> "'" + word + "'").collect(joining(" ")) + ")\n"
                + "COMP_CWORD=" + (words.length - 1) + "\n"
                + "COMP_LINE='" + line + "'\nCOMP_POINT=" + line.length() + "\n"
                + "$(complete -p usage-backfill | sed -E 's/.*-F ([^ ]+).*/\\1/') usage-backfill\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        // stderr apart: outside a real TAB, bash says compopt is "not currently executing completion function".
        Path stderr = script.resolveSibling("stderr");
        Process bash = new ProcessBuilder("bash", "-c", probe).redirectError(stderr.toFile()).start();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor()).as(() -> out + readQuietly(stderr)).isZero();
        return out.lines().filter(word -> !word.isBlank()).toList();
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
