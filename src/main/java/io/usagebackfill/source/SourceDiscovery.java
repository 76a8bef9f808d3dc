package io.usagebackfill.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Expands the PATH arguments of {@code import} into the files to read: files as given, directories recursively
 * (hidden files and the tool's own outputs, {@link OwnOutputs}, skipped), globs such as {@code /var/log/app/*.log*}
 * against the directory they start in. The result is sorted by path and has no duplicates. Stateless and
 * thread-safe.
 */
public final class SourceDiscovery {

    /**
     * @throws IllegalArgumentException when a PATH matches nothing, naming it
     * @throws UncheckedIOException when a file cannot be read while fingerprinting it
     */
    public List<SourceFile> discover(List<String> arguments) {
        TreeMap<String, Path> found = new TreeMap<>();
        for (String argument : arguments) {
            List<Path> paths = expand(argument);
            if (paths.isEmpty()) {
                throw new IllegalArgumentException("PATH " + argument
                        + " matches no readable file; give log files, directories or globs such as 'logs/*.log*'");
            }
            paths.forEach(p -> found.put(p.toAbsolutePath().normalize().toString(), p));
        }
        List<SourceFile> files = new ArrayList<>(found.size());
        for (Path path : found.values()) {
            files.add(describe(path));
        }
        return files;
    }

    /** The file as a run sees it when it starts: size, time, compression and the fingerprint of its head. */
    public static SourceFile describe(Path path) {
        try {
            boolean gzip = Fingerprints.isGzip(path);
            Fingerprints.Hashed head = Fingerprints.hashHead(path, gzip, Fingerprints.FINGERPRINT_BYTES);
            return new SourceFile(path.toAbsolutePath().normalize().toString(), Files.size(path),
                    Files.getLastModifiedTime(path).toMillis(), gzip, head.hex(), head.bytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private static List<Path> expand(String argument) {
        int glob = firstGlobChar(argument);
        if (glob < 0) {
            Path path = Path.of(argument);
            if (Files.isDirectory(path)) {
                return walk(path, p -> true);
            }
            return Files.isRegularFile(path) && Files.isReadable(path) ? List.of(path) : List.of();
        }
        int slash = argument.lastIndexOf('/', glob);
        Path base = slash < 0 ? Path.of(".") : Path.of(slash == 0 ? "/" : argument.substring(0, slash));
        String pattern = slash < 0 ? argument : argument.substring(slash + 1);
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        return Files.isDirectory(base) ? walk(base, p -> matcher.matches(base.relativize(p))) : List.of();
    }

    private static List<Path> walk(Path base, java.util.function.Predicate<Path> include) {
        try (Stream<Path> stream = Files.walk(base)) {
            return stream.filter(Files::isRegularFile)
                    .filter(p -> !isHidden(base.relativize(p)))
                    .filter(include)
                    .filter(Files::isReadable)
                    .filter(p -> !OwnOutputs.isOwnOutput(p))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + base + ": " + e.getMessage(), e);
        }
    }

    private static boolean isHidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static int firstGlobChar(String argument) {
        for (int i = 0; i < argument.length(); i++) {
            if ("*?[{".indexOf(argument.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
