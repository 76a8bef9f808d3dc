package io.usagebackfill.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import io.usagebackfill.report.HtmlReport;
import io.usagebackfill.report.SampleReports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnOutputsTest {

    @TempDir
    Path dir;

    @Test
    void aDirectoryOfLogsNeverYieldsTheToolsOwnOutputs() throws Exception {
        Files.writeString(dir.resolve("app.log"), "{\"msg\":\"token_usage\"}\n");
        Files.writeString(dir.resolve("nightly-2025-11-09.log"), "{\"msg\":\"token_usage\"}\n");
        Files.writeString(dir.resolve("nightly-2025-11-09.log.reasons.csv"), "rejects_line,file,line,reason\n");
        Files.writeString(dir.resolve("usage-backfill-rejects-20251109T021500Z-a1b2c3.log"), "x\n");
        Files.writeString(dir.resolve("export.csv"), "id,user_id,session_id,provider,model,prompt_tokens,"
                + "completion_tokens,total_tokens,cost_usd,created_at\n");
        Files.writeString(dir.resolve("report.json"), "{\n  \"status\" : \"COMPLETED\",\n  \"dryRun\" : false,\n"
                + "  \"database\" : \"postgresql://db/app\",\n  \"executionId\" : 4,\n  \"runId\" : 3\n}\n");
        Files.writeString(dir.resolve("app.json"), "{\"msg\":\"token_usage\",\"status\":200}\n");
        HtmlReport.write(SampleReports.completed(), dir.resolve("report.html"), Instant.now());
        Files.writeString(dir.resolve("page.html"), "<p>token_usage</p>\n");

        SourceDiscovery.Found found = new SourceDiscovery().discover(List.of(dir.toString()), false);

        assertThat(found.files()).extracting(f -> Path.of(f.path()).getFileName().toString())
                .containsExactly("app.json", "app.log", "page.html");
        assertThat(found.leftOut()).hasSize(6).allSatisfy(note -> assertThat(note).contains("of this tool"))
                .anySatisfy(note -> assertThat(note).contains("report.json").contains("--report-json report"))
                .anySatisfy(note -> assertThat(note).contains("report.html").contains("--report-html page"));
    }

    @Test
    void aJsonLogWhoseLinesStartWithStatusIsReadNotTakenForAReport() throws Exception {
        Files.writeString(dir.resolve("access.json"), "{\"status\":200,\"msg\":\"token_usage\",\"model\":\"gpt-4o\"}\n"
                + "{\"status\":201,\"msg\":\"token_usage\",\"model\":\"gpt-4o\"}\n");
        Files.writeString(dir.resolve("pretty.json"), "{\n  \"status\" : \"ok\",\n  \"dryRun\" : true,\n"
                + "  \"msg\" : \"token_usage\"\n}\n");

        SourceDiscovery.Found found = new SourceDiscovery().discover(List.of(dir.toString()), false);

        assertThat(found.files()).extracting(f -> Path.of(f.path()).getFileName().toString())
                .containsExactly("access.json", "pretty.json");
        assertThat(found.leftOut()).isEmpty();
    }

    @Test
    void aFileWhoseNameIsNotUtf8IsLeftOutWithANoteAndTheOthersAreRead() throws Exception {
        Files.writeString(dir.resolve("app.log"), "{\"msg\":\"token_usage\"}\n");
        Process latin1 = new ProcessBuilder("sh", "-c", "printf 'x\\n' > \"$(printf 'latin\\351.log')\"")
                .directory(dir.toFile()).start();
        assertThat(latin1.waitFor()).isZero();

        SourceDiscovery.Found found = new SourceDiscovery().discover(List.of(dir.toString()), false);

        assertThat(found.files()).extracting(f -> Path.of(f.path()).getFileName().toString())
                .containsExactly("app.log");
        assertThat(found.leftOut()).singleElement().asString().contains("not UTF-8").contains("rename it");
    }

    @Test
    void aPipeInADirectoryIsLeftOutWithANoteWhileNamedAsPathItIsRefused() throws Exception {
        Files.writeString(dir.resolve("app.log"), "{\"msg\":\"token_usage\"}\n");
        Path fifo = dir.resolve("app.pipe");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();

        SourceDiscovery.Found found = new SourceDiscovery().discover(List.of(dir.toString()), false);

        assertThat(found.files()).extracting(f -> Path.of(f.path()).getFileName().toString())
                .containsExactly("app.log");
        assertThat(found.leftOut()).singleElement().asString().contains("app.pipe").contains("pipe, socket or device");
        assertThatThrownBy(() -> new SourceDiscovery().discover(List.of(fifo.toString())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("app.pipe")
                .hasMessageContaining("pipe, socket or device");
    }

    @Test
    void aRejectsFileNamedAsPathIsReadToFeedItBack() throws Exception {
        Path rejects = Files.writeString(dir.resolve("fixed.log"), "{\"msg\":\"token_usage\"}\n");
        Files.writeString(dir.resolve("fixed.log.reasons.csv"), "rejects_line,file,line,reason\n");

        assertThat(new SourceDiscovery().discover(List.of(rejects.toString()))).hasSize(1);
    }
}
