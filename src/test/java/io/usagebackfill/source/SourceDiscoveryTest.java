package io.usagebackfill.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceDiscoveryTest {

    @TempDir
    Path dir;

    @Test
    void anUnreadableFileOrDirectoryStopsDiscoveryNamingItUnlessAskedToLeaveItOut() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Files.writeString(logs.resolve("a.log"), "x\n");
        Path secret = Files.writeString(logs.resolve("b.log"), "x\n");
        Path locked = Files.createDirectories(logs.resolve("locked"));
        Files.writeString(locked.resolve("c.log"), "x\n");
        SourceDiscovery discovery = new SourceDiscovery(p -> !p.equals(secret) && !p.equals(locked));

        assertThatThrownBy(() -> discovery.discover(List.of(logs.toString())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot read")
                .hasMessageContaining("--skip-unreadable").hasMessageContaining("(and 1 more)");
        SourceDiscovery.Found found = discovery.discover(List.of(logs.toString()), true);
        assertThat(found.files()).extracting(SourceFile::path).containsExactly(logs.resolve("a.log").toString());
        assertThat(found.unreadable()).containsExactlyInAnyOrder(secret.toString(), locked.toString());
        assertThatThrownBy(() -> discovery.discover(List.of(secret.toString())))
                .hasMessageContaining("cannot read " + secret);
        assertThat(new SourceDiscovery(p -> !p.equals(locked)).discover(List.of(logs + "/*.log")))
                .as("a glob that cannot reach into the unreadable directory does not need it").hasSize(2);
    }

    @Test
    void aSymlinkedLogDirectoryAndSymlinkedSubdirectoriesAreFollowedAndALoopIsLeftOut() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve("a.log"), "x\n");
        Path other = Files.createDirectories(dir.resolve("other"));
        Files.writeString(other.resolve("b.log"), "x\n");
        Files.createSymbolicLink(data.resolve("more"), other);
        Files.createSymbolicLink(data.resolve("loop"), data);
        Path link = Files.createSymbolicLink(dir.resolve("app"), data);

        List<SourceFile> files = new SourceDiscovery().discover(List.of(link.toString()));

        assertThat(files).extracting(SourceFile::path)
                .containsExactly(link.resolve("a.log").toString(), link.resolve("more/b.log").toString());
    }

    @Test
    void aDoubleStarGlobAlsoMatchesTopLevelFilesAndAPathWithGlobCharactersIsTakenAsWritten() throws Exception {
        Files.writeString(dir.resolve("top.log"), "x\n");
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/deep.log"), "x\n");
        Path odd = Files.createDirectories(dir.resolve("app[1]{x}"));
        Files.writeString(odd.resolve("c.log"), "x\n");

        assertThat(new SourceDiscovery().discover(List.of(dir + "/**/*.log"))).extracting(SourceFile::path)
                .contains(dir.resolve("top.log").toString(), dir.resolve("sub/deep.log").toString());
        assertThat(new SourceDiscovery().discover(List.of(odd.toString()))).extracting(SourceFile::path)
                .containsExactly(odd.resolve("c.log").toString());
    }

    @Test
    void aPathWithALineBreakIsRefusedUpFront() {
        assertThatThrownBy(() -> new SourceDiscovery().discover(List.of(dir + "/a\nb.log")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line break");
    }

    @Test
    void aPipeGivenAsPathIsRefusedAsWhatItIsNotAsMissing() throws Exception {
        Path fifo = dir.resolve("app.log.pipe");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(mkfifo.waitFor() == 0, "mkfifo is not available");

        assertThatThrownBy(() -> new SourceDiscovery().discover(List.of(fifo.toString())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PATH " + fifo)
                .hasMessageContaining("pipe, socket or device");
    }
}
