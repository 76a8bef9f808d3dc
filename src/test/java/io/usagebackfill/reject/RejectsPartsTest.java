package io.usagebackfill.reject;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import io.usagebackfill.read.LogLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RejectsPartsTest {

    @TempDir
    Path dir;

    @Test
    void thePartsBecomeOneFileInPartitionOrderWithTheReasonsNumberedThrough() throws IOException {
        Path rejects = dir.resolve("rejects.log");
        writePart(rejects, 0, 3, "a.log", 2, "bad user_id");
        writePart(rejects, 2, 3, "b.log", 1, "bad model");

        RejectsParts.merge(rejects, 3);

        assertThat(Files.readAllLines(rejects)).containsExactly("a.log line 1", "a.log line 2", "b.log line 1");
        assertThat(Files.readAllLines(Path.of(rejects + ".reasons.csv"))).containsExactly(
                "rejects_line,file,line,reason,line_id", "1,a.log,1,bad user_id," + new java.util.UUID(0, 1),
                "2,a.log,2,bad user_id," + new java.util.UUID(0, 2), "3,b.log,1,bad model," + new java.util.UUID(0, 1));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(rejects))).isEqualTo("rw-------");
    }

    @Test
    void aMergeCutShortIsDoneAgainWithTheSameResultAndOnlyThenAreThePartsDeleted() throws IOException {
        Path rejects = dir.resolve("rejects.log");
        writePart(rejects, 0, 2, "a.log", 1, "bad user_id");
        writePart(rejects, 1, 2, "b.log", 2, "bad model");

        RejectsParts.merge(rejects, 2);
        List<String> once = Files.readAllLines(Path.of(rejects + ".reasons.csv"));
        RejectsParts.merge(rejects, 2);

        assertThat(Files.readAllLines(Path.of(rejects + ".reasons.csv"))).isEqualTo(once).hasSize(4);
        assertThat(Files.readAllLines(rejects)).hasSize(3);
        assertThat(RejectsParts.part(rejects, 1, 2)).exists();

        RejectsParts.deleteParts(rejects, 2);

        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("rejects.log",
                    "rejects.log.reasons.csv");
        }
    }

    @Test
    void withoutRejectsInAnyPartNothingIsWritten() throws IOException {
        Path rejects = dir.resolve("rejects.log");

        RejectsParts.merge(rejects, 4);

        try (var left = Files.list(dir)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void oneUnsplitRunWritesItsRejectsFileDirectly() {
        Path rejects = dir.resolve("rejects.log");

        assertThat(RejectsParts.part(rejects, 0, 1)).isEqualTo(rejects);
        assertThat(RejectsParts.part(rejects, 1, 2)).isEqualTo(dir.resolve("rejects.log.part-1"));
    }

    private static void writePart(Path rejects, int partition, int partitions, String file, int lines, String reason)
            throws IOException {
        RejectsFile part = new RejectsFile(RejectsParts.part(rejects, partition, partitions));
        for (int i = 1; i <= lines; i++) {
            part.add(new LogLine(file, i, (file + " line " + i).getBytes(StandardCharsets.UTF_8), false, 0), reason,
                    new java.util.UUID(0, i));
        }
        part.close();
    }
}
