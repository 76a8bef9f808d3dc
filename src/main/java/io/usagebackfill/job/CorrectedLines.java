package io.usagebackfill.job;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.usagebackfill.catalog.RejectedLineException;
import io.usagebackfill.reject.Corrections;
import io.usagebackfill.read.LogLine;

/**
 * Which lines are corrections of rejected lines, and the identity each keeps: the lines of a rejects file given as a
 * PATH (its reasons beside it), or of the PATH that {@code --fixes} names the rejects file of. Every other line keeps
 * the id of its own text. Not thread-safe: one per partition's processor.
 */
final class CorrectedLines implements AutoCloseable {

    /** No line is a correction: the id of every line is its own text's. */
    static final CorrectedLines NONE = new CorrectedLines(null, false);

    private final Path fixes;
    private final boolean detect;
    /** Per file read that holds corrections, its corrections. */
    private final Map<String, Corrections> byFile = new HashMap<>();
    /** The files read that hold none: each file is looked at once, not once per line (a stat per event). */
    private final Set<String> plainFiles = new HashSet<>();

    private CorrectedLines(Path fixes, boolean detect) {
        this.fixes = fixes;
        this.detect = detect;
    }

    /** @param fixes the rejects file of {@code --fixes}, or null to treat a rejects file given as a PATH as fixes */
    static CorrectedLines of(String fixes) {
        return fixes == null || fixes.isEmpty() ? new CorrectedLines(null, true)
                : new CorrectedLines(Path.of(fixes), false);
    }

    /**
     * The id of the line that {@code line} corrects, or null when its file holds no corrections.
     *
     * @throws RejectedLineException when the line is in a file of corrections but what it corrects is unknown
     */
    UUID originalId(LogLine line) {
        if (fixes == null && !detect) {
            return null;
        }
        Corrections corrections = byFile.get(line.file());
        if (corrections == null) {
            if (plainFiles.contains(line.file())) {
                return null;
            }
            corrections = open(line.file());
            if (corrections == null) {
                plainFiles.add(line.file());
                return null;
            }
            byFile.put(line.file(), corrections);
        }
        UUID id = corrections.originalId(line.lineNumber());
        if (id == null) {
            throw new RejectedLineException("a corrected line whose original is unknown: " + line.file() + " is"
                    + " read as corrections of rejected lines, but its line " + line.lineNumber() + " has no reject"
                    + " with an id in " + Corrections.reasonsOf(fixes != null ? fixes : Path.of(line.file()))
                    + " (added, or written by a version before rejects kept ids); import it as a log of its own");
        }
        return id;
    }

    private Corrections open(String file) {
        if (fixes != null) {
            return new Corrections(Corrections.reasonsOf(fixes));
        }
        Path path = Path.of(file);
        return detect && Corrections.isRejectsFile(path) ? new Corrections(Corrections.reasonsOf(path)) : null;
    }

    @Override
    public void close() throws IOException {
        for (Corrections corrections : byFile.values()) {
            corrections.close();
        }
    }
}
