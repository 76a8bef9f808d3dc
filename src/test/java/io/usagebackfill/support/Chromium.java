package io.usagebackfill.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Debian's chromium, headless, opening a page as a reader would: its DOM after loading, or a picture of it. The test
 * is skipped where chromium is absent (.ci/run installs it). Its profile lives in a directory of the test's own.
 */
public final class Chromium {

    private final ExternalTool program;
    private final Path profile;

    public Chromium(Path scratch) throws IOException {
        this.program = ExternalTool.require("chromium", "chromium", "chromium-browser", "google-chrome");
        this.profile = Files.createDirectories(scratch.resolve("chromium-profile"));
    }

    /** The page's DOM once loaded, serialized. */
    public String dom(Path page) throws IOException, InterruptedException {
        ExternalTool.Ran ran = program.run(Duration.ofMinutes(2), arguments("--dump-dom", page.toUri().toString()));
        assertThat(ran.exit()).as(ran.stderr()).isZero();
        return ran.stdout();
    }

    /** A PNG of the page at {@code width} pixels wide and {@code height} high. */
    public void screenshot(Path page, Path png, int width, int height) throws IOException, InterruptedException {
        ExternalTool.Ran ran = program.run(Duration.ofMinutes(2), arguments("--screenshot=" + png.toAbsolutePath(),
                "--window-size=" + width + "," + height, "--hide-scrollbars", page.toUri().toString()));
        assertThat(ran.exit()).as(ran.stderr()).isZero();
    }

    private String[] arguments(String... more) {
        // As root (CI) chromium needs --no-sandbox; no GPU, no shared memory in a container, no network at all.
        List<String> all = new ArrayList<>(List.of("--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--proxy-server=127.0.0.1:9",
                "--user-data-dir=" + profile.toAbsolutePath()));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }
}
