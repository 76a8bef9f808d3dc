package io.usagebackfill.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import io.usagebackfill.read.ReadPosition;
import io.usagebackfill.source.SourceFile;
import org.junit.jupiter.api.Test;

class ProgressTest {

    private static final List<SourceFile> FILES = List.of(
            new SourceFile("/logs/a.log", 4L << 20, 0, false, "f1", 4096),
            new SourceFile("/logs/b.log", 4L << 20, 0, false, "f2", 4096));

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final AtomicReference<Progress.Snapshot> now = new AtomicReference<>(at(0, 0, 0, 0));

    @Test
    void onATerminalTheBarShowsBytesOfTheTotalRowsPerSecondAndRejects() throws Exception {
        Progress progress = progress(Progress.Mode.BAR, Duration.ZERO);

        progress.beforeStep(null);
        now.set(at(1, 1L << 20, 1_000, 3)); // all of a.log and 1 MiB of b.log
        progress.update();
        Thread.sleep(1_200); // the bar redraws on its own clock
        progress.afterStep(null);

        String shown = err.toString(StandardCharsets.UTF_8);
        assertThat(shown).contains("usage-backfill").contains("/8 MiB").contains("rows/s").contains("3 rejected")
                .contains("100%");
    }

    @Test
    void offATerminalALineIsWrittenNoMoreOftenThanAsked() {
        Progress progress = progress(Progress.Mode.TEXT, Duration.ofHours(1));

        progress.beforeStep(null);
        for (int i = 1; i <= 5; i++) {
            now.set(at(0, i << 18, i * 10, 0));
            progress.update();
        }
        progress.afterStep(null);

        List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).as("only the closing line, the hour not being up").singleElement()
                .satisfies(line -> assertThat(line).startsWith("usage-backfill: 16% (1,280 KiB of 8,192 KiB)")
                        .contains("50 rows"));
    }

    @Test
    void quietShowsNothing() {
        Progress progress = progress(Progress.Mode.QUIET, Duration.ZERO);

        progress.beforeStep(null);
        progress.update();
        progress.afterStep(null);

        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    private Progress progress(Progress.Mode mode, Duration every) {
        return new Progress(mode, every, Progress.totalBytes(FILES), now::get,
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static Progress.Snapshot at(int fileIndex, long offset, long rows, long rejected) {
        ReadPosition read = new ReadPosition(fileIndex, null, offset, 0, rows, 0, List.of(), List.of());
        return new Progress.Snapshot(Progress.bytesDone(FILES, read), rows, rows, rejected);
    }
}
