package io.usagebackfill.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where a log file's content may be after a rotation: the files beside it whose names start like its own
 * ({@code app.log.1}, {@code app.log.2.gz}, {@code app.log-20251109}, {@code app-2025-11-09.log}), those that start
 * with its whole name first. Which of them really holds the content is for its fingerprint to say. Stateless.
 */
public final class RotatedCopies {

    private RotatedCopies() {
    }

    /** The files that may be {@code original} rotated, in the order to try them; never {@code original} itself. */
    public static List<Path> of(Path original) {
        Path dir = original.toAbsolutePath().getParent();
        String name = original.getFileName().toString();
        int dot = name.indexOf('.', 1);
        String stem = dot < 0 ? name : name.substring(0, dot);
        if (dir == null || !Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> copies = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir)) {
            entries.filter(p -> !p.getFileName().toString().equals(name))
                    .filter(p -> p.getFileName().toString().startsWith(stem))
                    .filter(Files::isRegularFile)
                    .filter(Files::isReadable)
                    .forEach(copies::add);
        } catch (IOException e) {
            return List.of();
        }
        copies.sort(Comparator.comparing((Path p) -> !p.getFileName().toString().startsWith(name))
                .thenComparing(p -> p.getFileName().toString()));
        return copies;
    }
}
