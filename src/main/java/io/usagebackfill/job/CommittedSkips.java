package io.usagebackfill.job;

import java.util.HashMap;
import java.util.Map;

import io.usagebackfill.run.JobSchema;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The lines each partition of an execution has skipped as rejected, as far as its committed chunks go: Spring
 * Batch records a partition's skip counts with every chunk it commits, in the job repository all processes share.
 * Stateless.
 */
final class CommittedSkips {

    private CommittedSkips() {
    }

    /** Skips by partition number, for the partitions of {@code jobExecutionId} that have committed a chunk. */
    static Map<Integer, Long> byPartition(JdbcTemplate jdbc, long jobExecutionId, String partitionStep) {
        Map<Integer, Long> skips = new HashMap<>();
        String prefix = partitionStep + ":partition";
        jdbc.query("SELECT step_name, read_skip_count + process_skip_count + write_skip_count FROM "
                + JobSchema.TABLE_PREFIX + "STEP_EXECUTION WHERE job_execution_id = ? AND step_name LIKE ?", row -> {
                    String name = row.getString(1);
                    skips.merge(Integer.parseInt(name.substring(prefix.length())), row.getLong(2), Long::sum);
                }, jobExecutionId, prefix + "%");
        return skips;
    }
}
