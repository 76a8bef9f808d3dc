package io.usagebackfill.cli;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/**
 * The names of the files a run writes: {@code {date}} (today, UTC) expanded as in job files, and the default
 * rejects name, made unique with a random suffix so two runs started in the same second never share a file.
 * Stateless.
 */
final class OutputNames {

    private static final SecureRandom RANDOM = new SecureRandom();

    private OutputNames() {
    }

    static String expandDate(String value) {
        return value == null ? null : value.replace("{date}", LocalDate.now(ZoneOffset.UTC).toString());
    }

    static Path expandDate(Path path) {
        return path == null ? null : Path.of(expandDate(path.toString()));
    }

    /** {@code usage-backfill-rejects-<UTC time>-<random>.log} in the working directory. */
    static Path defaultRejects() {
        byte[] suffix = new byte[3];
        RANDOM.nextBytes(suffix);
        return Path.of("usage-backfill-rejects-"
                + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").format(ZonedDateTime.now(ZoneOffset.UTC))
                + "-" + HexFormat.of().formatHex(suffix) + ".log");
    }

    /**
     * Where a dry run writes what would go to {@code file}: there while nothing is, else beside it under its own
     * name ({@code nightly-2026-12-07.dry-run.json} beside {@code nightly-2026-12-07.json}), so that trying a job
     * by hand never writes over the report or rejects of the day's real run.
     */
    static Path dryRun(Path file) {
        if (file == null || !java.nio.file.Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return file;
        }
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String dry = dot > 0 ? name.substring(0, dot) + ".dry-run" + name.substring(dot) : name + ".dry-run";
        return file.resolveSibling(dry);
    }
}
