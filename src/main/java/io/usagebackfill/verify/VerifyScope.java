package io.usagebackfill.verify;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.usagebackfill.source.SourceFile;

/**
 * Which runs' rows {@code verify} may call unexpected: a run that read nothing but files given to verify (each by
 * its path, or by its content's fingerprint under a rotated name). A run that also read other files (another host's,
 * another day's) may have inserted rows these logs rightly do not give, so its rows are never taken for strays. Not
 * thread-safe.
 */
public final class VerifyScope {

    private final Set<String> paths = new HashSet<>();
    private final Set<String> fingerprints = new HashSet<>();
    private final List<Long> runs = new ArrayList<>();

    public VerifyScope(List<SourceFile> given) {
        for (SourceFile file : given) {
            paths.add(file.path());
            fingerprints.add(file.fingerprint());
        }
    }

    /** Considers one run, by the files it read; a run that read none (or is not known) stays out. */
    public void consider(long runId, List<SourceFile> read) {
        if (read.isEmpty() || runs.contains(runId)) {
            return;
        }
        for (SourceFile file : read) {
            if (!paths.contains(file.path()) && !fingerprints.contains(file.fingerprint())) {
                return;
            }
        }
        runs.add(runId);
    }

    public List<Long> runs() {
        return List.copyOf(runs);
    }
}
