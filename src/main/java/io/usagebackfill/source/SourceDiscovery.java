package io.usagebackfill.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Expands the PATH arguments of {@code import} into the files to read: files as given, directories recursively
 * (hidden files skipped; the tool's own outputs, {@link OwnOutputs}, and pipes, sockets and devices left out with
 * the reason, since only a regular file can be read again from where a run stopped; symbolic links followed, a link back to a
 * directory being walked left out), globs such as {@code /var/log/app/*.log*} against the directory they start in
 * ({@code **}{@code /} also matching no directory at all, so {@code **}{@code /*.log} takes the top-level files
 * too). A PATH that exists as written is taken as it is, even with glob characters in its name. The result is
 * sorted by path, each file once however many links lead to it. A file or directory that cannot be read stops the
 * discovery, naming it, unless asked to leave it out. Stateless and thread-safe.
 */
public final class SourceDiscovery {

    /** A name whose bytes are not text in the file system's encoding decodes to U+FFFD and can never be reopened. */
    private static final String UNREADABLE_NAME = "named with bytes that are not UTF-8 text, so it cannot be opened"
            + " again by that name; rename it (convmv -f latin1 -t utf8 does) and import it";

    private final Predicate<Path> readable;

    public SourceDiscovery() {
        this(Files::isReadable);
    }

    /** With another readability test (a test's own, since a superuser can read every file). */
    SourceDiscovery(Predicate<Path> readable) {
        this.readable = readable;
    }

    /**
     * The files, and the paths left out because they cannot be read.
     *
     * @param unreadable files and directories that cannot be read, left out (only with {@code --skip-unreadable})
     * @param leftOut files a directory or glob found that are not logs (an archive, a format not readable here, the
     *     tool's own output, a pipe), left out, each with the reason
     */
    public record Found(List<SourceFile> files, List<String> unreadable, List<String> leftOut) {
    }

    /**
     * @throws IllegalArgumentException when a PATH matches nothing or holds a line break, or a file or directory
     *     under it cannot be read, naming it
     * @throws UncheckedIOException when a file cannot be read while fingerprinting it
     */
    public List<SourceFile> discover(List<String> arguments) {
        return discover(arguments, false).files();
    }

    /** As {@link #discover(List)}; with {@code skipUnreadable}, unreadable paths are left out and listed instead. */
    public Found discover(List<String> arguments, boolean skipUnreadable) {
        TreeMap<String, Path> found = new TreeMap<>();
        Set<Path> real = new HashSet<>();
        List<String> unreadable = new ArrayList<>();
        List<String> leftOut = new ArrayList<>();
        for (String argument : arguments) {
            if (argument.indexOf('\n') >= 0 || argument.indexOf('\r') >= 0) {
                throw new IllegalArgumentException("PATH " + argument.replace("\n", "\\n").replace("\r", "\\r")
                        + " contains a line break; rename it, or give the directory that holds it");
            }
            int unreadableBefore = unreadable.size();
            List<Path> paths = expand(argument, unreadable, leftOut);
            Path literal = Path.of(argument);
            if (Files.exists(literal) && !Files.isRegularFile(literal) && !Files.isDirectory(literal)) {
                throw new IllegalArgumentException("PATH " + argument + " is not a file but a pipe, socket or"
                        + " device, which cannot be read again from where a run stopped; save what it carries to a"
                        + " file and import that");
            }
            if (paths.isEmpty() && unreadable.size() == unreadableBefore) {
                throw new IllegalArgumentException("PATH " + argument
                        + " matches no readable file; give log files, directories or globs such as 'logs/*.log*'");
            }
            for (Path path : paths) {
                if (real.add(realPath(path))) {
                    found.put(path.toAbsolutePath().normalize().toString(), path);
                }
            }
        }
        if (!unreadable.isEmpty() && !skipUnreadable) {
            throw new IllegalArgumentException("cannot read " + unreadable.get(0)
                    + (unreadable.size() > 1 ? " (and " + (unreadable.size() - 1) + " more)" : "")
                    + ": permission denied; make it readable by this user, or pass --skip-unreadable to leave it out"
                    + " (the report counts it)");
        }
        List<SourceFile> files = new ArrayList<>(found.size());
        for (Path path : found.values()) {
            try {
                files.add(describe(path));
            } catch (UncheckedIOException e) {
                if (!(e.getCause() instanceof ContentDecoding.UndecodableContentException cause)) {
                    throw e;
                }
                leftOut.add(cause.getMessage());
            }
        }
        return new Found(files, List.copyOf(unreadable), List.copyOf(leftOut));
    }

    /** The file as a run sees it when it starts: size, time, compression and the fingerprint of its head. */
    public static SourceFile describe(Path path) {
        try {
            boolean gzip = Fingerprints.needsDecoding(path);
            Fingerprints.Hashed head = Fingerprints.hashHead(path, gzip, Fingerprints.FINGERPRINT_BYTES);
            return new SourceFile(path.toAbsolutePath().normalize().toString(), Files.size(path),
                    Files.getLastModifiedTime(path).toMillis(), gzip, head.hex(), head.bytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private List<Path> expand(String argument, List<String> unreadable, List<String> leftOut) {
        Path literal = Path.of(argument);
        int glob = firstGlobChar(argument);
        if (glob < 0 || Files.exists(literal)) {
            if (Files.isDirectory(literal)) {
                return walk(literal, p -> true, Integer.MAX_VALUE, unreadable, leftOut);
            }
            if (Files.isRegularFile(literal) && !readable.test(literal)) {
                unreadable.add(literal.toString());
                return List.of();
            }
            return Files.isRegularFile(literal) ? List.of(literal) : List.of();
        }
        int slash = argument.lastIndexOf('/', glob);
        Path base = slash < 0 ? Path.of(".") : Path.of(slash == 0 ? "/" : argument.substring(0, slash));
        String pattern = slash < 0 ? argument : argument.substring(slash + 1);
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        // Java's `**/` needs at least one directory; a shell's (and the user's) also matches none.
        PathMatcher topLevel = pattern.contains("**/")
                ? FileSystems.getDefault().getPathMatcher("glob:" + pattern.replace("**/", "")) : matcher;
        Predicate<Path> include = p -> {
            Path relative = base.relativize(p);
            return matcher.matches(relative) || topLevel.matches(relative);
        };
        // Without `**` a pattern reaches only as deep as its own directories: an unreadable directory below cannot
        // hold a match, so it is not walked into.
        int depth = pattern.contains("**") ? Integer.MAX_VALUE
                : (int) pattern.chars().filter(c -> c == '/').count() + 1;
        return Files.isDirectory(base) ? walk(base, include, depth, unreadable, leftOut) : List.of();
    }

    private List<Path> walk(Path base, Predicate<Path> include, int depth, List<String> unreadable,
            List<String> leftOut) {
        List<Path> files = new ArrayList<>();
        try {
            Files.walkFileTree(base, EnumSet.of(FileVisitOption.FOLLOW_LINKS), depth,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                            if (!dir.equals(base) && isHidden(base.relativize(dir))) {
                                return FileVisitResult.SKIP_SUBTREE;
                            }
                            if (!readable.test(dir)) {
                                unreadable.add(dir.toString());
                                return FileVisitResult.SKIP_SUBTREE;
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                            if (isHidden(base.relativize(file)) || !include.test(file)) {
                                return FileVisitResult.CONTINUE;
                            }
                            String notALog = !attrs.isRegularFile()
                                    ? "a pipe, socket or device, which cannot be read again from where a run stopped"
                                    : file.toString().indexOf('\uFFFD') >= 0 ? UNREADABLE_NAME
                                    : OwnOutputs.kindOf(file);
                            if (notALog != null) {
                                leftOut.add(file + " is " + notALog);
                            } else if (readable.test(file)) {
                                files.add(file);
                            } else {
                                unreadable.add(file.toString());
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                            if (e instanceof FileSystemLoopException) {
                                // A link back to a directory being walked: its files are read under that one.
                                return FileVisitResult.CONTINUE;
                            }
                            if (e instanceof java.nio.file.AccessDeniedException) {
                                unreadable.add(file.toString());
                                return FileVisitResult.CONTINUE;
                            }
                            if (e instanceof java.nio.file.NoSuchFileException) {
                                // A dangling link, or a file rotated away while the directory was listed.
                                return FileVisitResult.CONTINUE;
                            }
                            throw e;
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + base + ": " + e.getMessage(), e);
        }
        return files;
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize();
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
