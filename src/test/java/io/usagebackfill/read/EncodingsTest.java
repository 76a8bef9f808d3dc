package io.usagebackfill.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import io.usagebackfill.source.SourceDiscovery;
import io.usagebackfill.source.SourceFile;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Content in other encodings and compressors reads as the same lines as plain UTF-8. */
class EncodingsTest {

    private static final String TEXT = "token_usage 1 \u00e9\ntoken_usage 2 \u4e2d\nnoise\ntoken_usage 3\n";
    private static final List<String> LINES = List.of("token_usage 1 \u00e9", "token_usage 2 \u4e2d", "token_usage 3");

    @TempDir
    Path dir;

    @Test
    void bzip2XzAndZstdFilesAreReadWhateverTheirName() throws IOException {
        Path bz2 = Files.write(dir.resolve("app.log.1"), compressed(BZip2CompressorOutputStream::new));
        Path xz = Files.write(dir.resolve("app.log.2.xz"), compressed(XZCompressorOutputStream::new));
        Path zst = Files.write(dir.resolve("app.log.3.zst"), compressed(ZstdCompressorOutputStream::new));

        assertDecodedToTheSameLines(bz2, xz, zst);
    }

    @Test
    void utf16WithAByteOrderMarkIsReadAsUtf8InEitherByteOrderAndInsideAGzip() throws IOException {
        Path le = Files.write(dir.resolve("le.log"), withBom(StandardCharsets.UTF_16LE, 0xff, 0xfe));
        Path be = Files.write(dir.resolve("be.log"), withBom(StandardCharsets.UTF_16BE, 0xfe, 0xff));
        Path gz = Files.write(dir.resolve("le.log.1.gz"), gzip(withBom(StandardCharsets.UTF_16LE, 0xff, 0xfe)));

        assertThat(read(discover(le))).containsExactlyElementsOf(LINES);
        assertThat(read(discover(be))).containsExactlyElementsOf(LINES);
        assertThat(read(discover(gz))).containsExactlyElementsOf(LINES);
    }

    @Test
    void utf16WithoutAByteOrderMarkIsToldByItsZeroBytesInEitherByteOrderAndInsideAGzip() throws IOException {
        Path le = Files.write(dir.resolve("le.log"), TEXT.getBytes(StandardCharsets.UTF_16LE));
        Path be = Files.write(dir.resolve("be.log"), TEXT.getBytes(StandardCharsets.UTF_16BE));
        Path gz = Files.write(dir.resolve("be.log.1.gz"), gzip(TEXT.getBytes(StandardCharsets.UTF_16BE)));

        assertDecodedToTheSameLines(le, be, gz);
    }

    @Test
    void plainUtf8IsNotTakenForUtf16EvenWhenItHoldsZeroBytesLater() throws IOException {
        Path nul = Files.write(dir.resolve("nul.log"), "token_usage 1 \u0000x\ntoken_usage 2\n"
                .getBytes(StandardCharsets.UTF_8));

        List<SourceFile> found = discover(nul);

        assertThat(found.get(0).gzip()).as("read as its own bytes, so it can be sought").isFalse();
        assertThat(read(found)).containsExactly("token_usage 1 \u0000x", "token_usage 2");
    }

    @Test
    void barecarriageReturnLineEndingsAreLineEndsAndResumeAtTheSameOffsets() throws IOException {
        Path cr = Files.writeString(dir.resolve("cr.log"), TEXT.replace('\n', '\r'));
        List<SourceFile> files = discover(cr);
        LogLineReader reader = new LogLineReader(files, 4096, false);
        LogLine first = reader.read();
        ReadPosition saved = reader.position();
        LogLineReader resumed = new LogLineReader(files, 4096, false);
        resumed.resumeAt(saved);

        assertThat(first.text()).isEqualTo(LINES.get(0));
        List<String> rest = new ArrayList<>();
        for (LogLine line = resumed.read(); line != null; line = resumed.read()) {
            rest.add(line.text());
        }
        assertThat(rest).containsExactlyElementsOf(LINES.subList(1, 3));
    }

    @Test
    void anArchiveIsLeftOutWithItsFormatNamedNotReadAsNoise() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("app.log"));
            zip.write(TEXT.getBytes(StandardCharsets.UTF_8));
        }
        Files.write(dir.resolve("logs.zip"), bytes.toByteArray());
        Files.writeString(dir.resolve("app.log"), TEXT);

        SourceDiscovery.Found found = new SourceDiscovery().discover(List.of(dir.toString()), false);

        assertThat(found.files()).extracting(SourceFile::path).containsExactly(dir.resolve("app.log").toString());
        assertThat(found.leftOut()).singleElement().asString().contains("logs.zip").contains("zip archive");
    }

    @Test
    void aTarArchiveInsideGzipBzip2OrXzIsLeftOutAsAnArchiveNotReadWithItsHeadersAsLines() throws IOException {
        Map<String, Compressor> compressors = Map.of("logs.tar.gz", java.util.zip.GZIPOutputStream::new,
                "logs.tbz2", BZip2CompressorOutputStream::new, "logs.tar.xz", XZCompressorOutputStream::new);
        for (Map.Entry<String, Compressor> packed : compressors.entrySet()) {
            Files.write(dir.resolve(packed.getKey()), tarred(packed.getValue()));
        }
        Files.writeString(dir.resolve("app.log"), TEXT);

        SourceDiscovery.Found found = new SourceDiscovery().discover(List.of(dir.toString()), false);

        assertThat(found.files()).extracting(SourceFile::path).containsExactly(dir.resolve("app.log").toString());
        assertThat(found.leftOut()).hasSize(3).allSatisfy(note -> assertThat(note).contains("tar archive"))
                .anySatisfy(note -> assertThat(note).contains("logs.tar.gz").contains("compressed as gz"))
                .anySatisfy(note -> assertThat(note).contains("logs.tbz2").contains("compressed as bzip2"))
                .anySatisfy(note -> assertThat(note).contains("logs.tar.xz").contains("compressed as xz"));
    }

    @Test
    void plainLogsWhoseFirstLineLooksLikeACpioArOrZlibSignatureAreReadAsLogs() throws IOException {
        Map<String, String> logs = Map.of("cpio.log", "070701 token_usage 1\n", "ar.log", "!<arch> token_usage 2\n",
                "zlib.log", "x^ token_usage 3\n", "zlib2.log", "x\u0001 token_usage 4\n");
        for (Map.Entry<String, String> log : logs.entrySet()) {
            Files.writeString(dir.resolve(log.getKey()), log.getValue());
        }

        SourceDiscovery.Found found = new SourceDiscovery().discover(List.of(dir.toString()), false);

        assertThat(found.leftOut()).isEmpty();
        assertThat(found.files()).hasSize(4).allSatisfy(file -> assertThat(file.gzip()).as(file.path()).isFalse());
    }

    /** Two logs packed in a compressed tar, as Python's tarfile or {@code tar czf} pack rotated logs. */
    private static byte[] tarred(Compressor compressor) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(compressor.wrap(bytes))) {
            for (String name : List.of("a.log", "b.log")) {
                byte[] content = TEXT.getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(name);
                entry.setSize(content.length);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private interface Compressor {
        OutputStream wrap(OutputStream out) throws IOException;
    }

    private static void assertDecodedToTheSameLines(Path... files) throws IOException {
        for (Path file : files) {
            List<SourceFile> found = discover(file);
            assertThat(found.get(0).gzip()).as("%s is decoded, not sought", file).isTrue();
            assertThat(read(found)).as(file.toString()).containsExactlyElementsOf(LINES);
        }
    }

    private static byte[] compressed(Compressor compressor) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = compressor.wrap(bytes)) {
            out.write(TEXT.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    private static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new java.util.zip.GZIPOutputStream(bytes)) {
            out.write(content);
        }
        return bytes.toByteArray();
    }

    private static byte[] withBom(java.nio.charset.Charset charset, int b0, int b1) {
        byte[] text = TEXT.getBytes(charset);
        byte[] all = new byte[text.length + 2];
        all[0] = (byte) b0;
        all[1] = (byte) b1;
        System.arraycopy(text, 0, all, 2, text.length);
        return all;
    }

    private static List<SourceFile> discover(Path file) {
        return new SourceDiscovery().discover(List.of(file.toString()));
    }

    private static List<String> read(List<SourceFile> files) throws IOException {
        LogLineReader reader = new LogLineReader(files, 4096, false);
        List<String> lines = new ArrayList<>();
        for (LogLine line = reader.read(); line != null; line = reader.read()) {
            lines.add(line.text());
        }
        return lines;
    }

}
