package io.usagebackfill.read;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import io.usagebackfill.source.SourceFile;

/**
 * Splits a run's files into up to N parts of about equal bytes, for N readers at once. Files stay whole and in
 * order where they fit; a plain file larger than a part is cut into byte ranges at line ends (a gzip file cannot be
 * entered in the middle, so it stays whole). Each range knows the number of lines before it, so rejects name the
 * file's own line numbers. Stateless.
 */
public final class ReadPlan {

    private static final int BLOCK = 1 << 20;

    private ReadPlan() {
    }

    /**
     * @return the parts, none empty, at most {@code parts} of them; a single part holds {@code files} as they are
     * @throws IOException when a file to cut cannot be read
     */
    public static List<List<SourceFile>> split(List<SourceFile> files, int parts) throws IOException {
        long total = files.stream().mapToLong(SourceFile::bytesToRead).sum();
        if (parts <= 1 || total == 0) {
            return List.of(List.copyOf(files));
        }
        long share = (total + parts - 1) / parts;
        List<List<SourceFile>> plan = new ArrayList<>();
        List<SourceFile> part = new ArrayList<>();
        long room = share;
        for (SourceFile file : files) {
            SourceFile rest = file;
            while (!rest.gzip() && rest.bytesToRead() > room && plan.size() < parts - 1) {
                SourceFile[] cut = cut(rest, rest.startOffset() + room);
                if (cut == null) {
                    break;
                }
                part.add(cut[0]);
                plan.add(part);
                part = new ArrayList<>();
                room = share;
                rest = cut[1];
            }
            part.add(rest);
            room -= rest.bytesToRead();
            if (room <= 0 && plan.size() < parts - 1) {
                plan.add(part);
                part = new ArrayList<>();
                room = share;
            }
        }
        if (!part.isEmpty()) {
            plan.add(part);
        }
        return plan;
    }

    /**
     * The range before the first line end at or after {@code at}, and the rest of the file after it; null when no
     * line ends between there and the end of the range (nothing to cut).
     */
    private static SourceFile[] cut(SourceFile file, long at) throws IOException {
        long end = file.endOffset() == null ? file.size() : file.endOffset();
        try (FileChannel channel = FileChannel.open(Path.of(file.path()), StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(BLOCK);
            byte[] b = buffer.array();
            long position = file.startOffset();
            long lines = file.startLine();
            byte[] tag = new byte[1];
            while (position < end) {
                buffer.clear();
                buffer.limit((int) Math.min(BLOCK, end - position));
                int read = channel.read(buffer, position);
                if (read <= 0) {
                    return null;
                }
                if (position + read < at) {
                    // No line end in this block can be the cut: only its line count matters.
                    lines += ByteScan.count(b, 0, read, (byte) '\n');
                    position += read;
                    continue;
                }
                int lineStart = 0;
                for (int i = 0; i < read; i++) {
                    if (b[i] != '\n') {
                        continue;
                    }
                    lines++;
                    long lineEnd = position + i + 1;
                    // A Kubernetes partial line or Docker partial entry goes on in the next one: cut after the line that
                    // finishes it.
                    boolean partial = CriPartials.payloadStart(b, lineStart, i - lineStart, tag) >= 0 && tag[0] == 'P'
                            || DockerPartials.endsPartial(b, lineStart, i > lineStart && b[i - 1] == '\r' ? i - 1 : i);
                    lineStart = i + 1;
                    if (lineEnd >= at && lineEnd < end && !partial) {
                        return new SourceFile[] {file.endingAt(lineEnd), file.continuingAt(lineEnd, lines)};
                    }
                }
                position += read;
            }
            return null;
        }
    }
}
