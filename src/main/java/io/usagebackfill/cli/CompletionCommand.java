package io.usagebackfill.cli;

import java.util.concurrent.Callable;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code completion bash|zsh}: prints picocli's completion script for every command and option. One script serves
 * both shells: under zsh it loads zsh's {@code bashcompinit} itself. Not thread-safe; one per command line.
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Prints the shell completion script for usage-backfill's commands and options.",
            "bash: `source <(usage-backfill completion bash)` in ~/.bashrc, or the output saved in"
                + " /etc/bash_completion.d/usage-backfill.",
            "zsh: `source <(usage-backfill completion zsh)` in ~/.zshrc (the script loads bashcompinit)."})
final class CompletionCommand implements Callable<Integer> {

    /** The shells the script serves, named as they are typed. */
    enum Shell { bash, zsh }

    @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
    Shell shell;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine root = spec.root().commandLine();
        // print, not println: a script with the platform's line separator fails in bash on Windows line ends.
        System.out.print(AutoComplete.bash(spec.root().name(), root) + "\n");
        return ExitCodes.OK;
    }
}
