package io.usagebackfill.job;

import static io.usagebackfill.job.JobParameterNames.MANIFEST;
import static io.usagebackfill.job.JobParameterNames.PARTITIONS;

import java.util.List;

import io.usagebackfill.source.Manifest;
import io.usagebackfill.source.SourceFile;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/** A run's partitions, as {@code discoverLogFiles} planned them into the job's execution context. Stateless. */
public final class RunPartitions {

    private RunPartitions() {
    }

    /**
     * The files and ranges each partition reads; a run started by a version before partitions is one partition of
     * its file list (resumed from its start: what it loaded counts as duplicates). Empty before the plan is made.
     */
    public static List<List<SourceFile>> of(ExecutionContext jobContext) {
        if (jobContext.containsKey(PARTITIONS)) {
            return Manifest.readParts(jobContext.getString(PARTITIONS));
        }
        return jobContext.containsKey(MANIFEST) ? List.of(Manifest.read(jobContext.getString(MANIFEST))) : List.of();
    }
}
