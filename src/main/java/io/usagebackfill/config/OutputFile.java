package io.usagebackfill.config;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collection;
import java.util.Set;

/**
 * The rules every file the tool writes ({@code --rejects}, {@code --csv-out}, {@code --report-json}) follows: it is
 * checked before anything runs (its directory exists and is writable, it is not a directory, not a symbolic link and
 * not one of the input files), it is opened without following a symbolic link, and it is created readable by its
 * owner only. Stateless.
 */
public final class OutputFile {

    private static final Set<PosixFilePermission> OWNER_ONLY = Set.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE);

    private OutputFile() {
    }

    /**
     * @param option the option that named the file, for the message
     * @throws IllegalArgumentException naming the option and the path, and what to do
     */
    public static void check(String option, Path file) {
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException(option + " " + file + " cannot be written: its directory " + dir
                    + " does not exist; create it or give another path");
        }
        if (Files.isSymbolicLink(file)) {
            throw new IllegalArgumentException(option + " " + file + " is a symbolic link, which is never followed;"
                    + " give the path of a regular file");
        }
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(option + " " + file + " is a directory; give a file path");
        }
        if (Files.exists(file) && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException(option + " " + file + " is not a regular file; give a file path");
        }
        if (!Files.isWritable(dir) || (Files.exists(file) && !Files.isWritable(file))) {
            throw new IllegalArgumentException(option + " " + file + " cannot be written (read-only);"
                    + " give a writable path");
        }
    }

    /**
     * @param inputs the real paths of the files the run reads
     * @throws IllegalArgumentException when {@code file} is one of them
     */
    public static void checkNotInput(String option, Path file, Collection<String> inputs) {
        Path absolute = file.toAbsolutePath().normalize();
        if (inputs.contains(absolute.toString())) {
            throw new IllegalArgumentException(option + " " + file + " is one of the log files this run reads;"
                    + " writing it would destroy the input, so give another path");
        }
    }

    /** Opens {@code file} to write it from its start, owner-only, never through a symbolic link. */
    public static OutputStream create(Path file) throws IOException {
        return Channels.newOutputStream(channel(file, StandardOpenOption.TRUNCATE_EXISTING));
    }

    /**
     * Opens {@code file} for writing (not truncated), creating it owner-only if missing; an existing file is made
     * owner-only too. A symbolic link is refused, not followed.
     */
    public static FileChannel channel(Path file, OpenOption... more) throws IOException {
        if (Files.isSymbolicLink(file)) {
            throw new IOException(file + " is a symbolic link, which is never followed");
        }
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (FileAlreadyExistsException e) {
            if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                Files.setPosixFilePermissions(file, OWNER_ONLY);
            }
        }
        OpenOption[] options = new OpenOption[more.length + 2];
        options[0] = StandardOpenOption.WRITE;
        options[1] = LinkOption.NOFOLLOW_LINKS;
        System.arraycopy(more, 0, options, 2, more.length);
        return FileChannel.open(file, options);
    }
}
