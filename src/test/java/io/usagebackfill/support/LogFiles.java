package io.usagebackfill.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Log files as tests need them: gzipped like a rotator writes them. */
public final class LogFiles {

    private LogFiles() {
    }

    /** One gzip member holding {@code lines}, each ended by a newline. */
    public static byte[] gzip(List<String> lines) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            for (String line : lines) {
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        return bytes.toByteArray();
    }

    /** Writes {@code lines} gzipped to {@code file}, as a rotated {@code app.log.1.gz}. */
    public static Path writeGzip(Path file, List<String> lines) throws IOException {
        return Files.write(file, gzip(lines));
    }
}
