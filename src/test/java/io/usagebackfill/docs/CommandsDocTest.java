package io.usagebackfill.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * {@code docs/commands/} is what picocli's documentation generator makes from the commands as they are now: a new
 * option, a changed description or a new subcommand fails this test until the pages are generated again.
 */
class CommandsDocTest {

    private static final Path PAGES = Path.of("docs", "commands");

    @Test
    void theCheckedInCommandPagesAreWhatPicocliGeneratesFromTheCommandsNow() throws Exception {
        Map<String, String> generated = CommandsDoc.generate();

        Map<String, String> checkedIn = CommandsDoc.pages(PAGES);

        List<String> differing = Stream.concat(generated.keySet().stream(), checkedIn.keySet().stream()).distinct()
                .filter(page -> !Objects.equals(generated.get(page), checkedIn.get(page))).sorted().toList();
        assertThat(differing).as("these pages of docs/commands/ differ from what picocli generates from the commands"
                + " now (changed, missing or stale); run `%s` and commit docs/commands/", CommandsDoc.REGENERATE)
                .isEmpty();
    }
}
