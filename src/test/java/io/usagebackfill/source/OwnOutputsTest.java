package io.usagebackfill.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
        Files.writeString(dir.resolve("export.csv"), "id,user_id,session_id,provider,model,prompt_tokens\n");
        Files.writeString(dir.resolve("report.json"), "{\n  \"status\" : \"COMPLETED\"\n}\n");
        Files.writeString(dir.resolve("app.json"), "{\"msg\":\"token_usage\",\"status\":200}\n");

        List<SourceFile> found = new SourceDiscovery().discover(List.of(dir.toString()));

        assertThat(found).extracting(f -> Path.of(f.path()).getFileName().toString())
                .containsExactly("app.json", "app.log");
    }

    @Test
    void aRejectsFileNamedAsPathIsReadToFeedItBack() throws Exception {
        Path rejects = Files.writeString(dir.resolve("fixed.log"), "{\"msg\":\"token_usage\"}\n");
        Files.writeString(dir.resolve("fixed.log.reasons.csv"), "rejects_line,file,line,reason\n");

        assertThat(new SourceDiscovery().discover(List.of(rejects.toString()))).hasSize(1);
    }
}
