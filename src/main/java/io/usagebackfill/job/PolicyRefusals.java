package io.usagebackfill.job;

import java.util.IdentityHashMap;
import java.util.Map;

import io.usagebackfill.catalog.RejectedLineException;
import io.usagebackfill.load.RefusedRows;
import io.usagebackfill.normalize.TokenUsage;
import io.usagebackfill.read.LogLine;
import io.usagebackfill.reject.RejectedLineListener;
import org.springframework.batch.core.scope.context.StepContext;
import org.springframework.batch.core.scope.context.StepSynchronizationManager;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.skip.SkipPolicy;

/**
 * The rows a table's row-level security policies refuse, as rejects of their lines: each goes to the rejects file
 * and table with the policy's message and counts against {@code --skip-limit} like a line rejected when it was read
 * (a skip of the write, recorded with the chunk, so partitions elsewhere count it too). The lines of the chunk's rows
 * are kept while it loads ({@link #keep}), only on a table where policies apply. Not thread-safe: one per partition,
 * used on its step's thread.
 */
final class PolicyRefusals implements RefusedRows {

    private final Map<TokenUsage, LogLine> lines = new IdentityHashMap<>();
    private final RejectedLineListener rejects;
    private final SkipPolicy skipPolicy;

    PolicyRefusals(RejectedLineListener rejects, SkipPolicy skipPolicy) {
        this.rejects = rejects;
        this.skipPolicy = skipPolicy;
    }

    /** Keeps the line a row of the chunk being read came from. */
    void keep(TokenUsage row, LogLine line) {
        lines.put(row, line);
    }

    /** Forgets the lines of the last chunk, as the next begins. */
    void clear() {
        lines.clear();
    }

    @Override
    public void refused(TokenUsage row, String reason) {
        LogLine line = lines.get(row);
        if (line == null) {
            throw new IllegalStateException("the line of a refused row was not kept: " + row.id());
        }
        RejectedLineException reject = new RejectedLineException(reason).withLineId(row.id());
        StepContext step = StepSynchronizationManager.getContext();
        StepExecution execution = step == null ? null : step.getStepExecution();
        // Throws SkipLimitExceededException past the limit, which fails the chunk as a rejected line's would.
        skipPolicy.shouldSkip(reject, execution == null ? 0 : execution.getSkipCount() + 1);
        rejects.onSkipInProcess(line, reject);
        if (execution != null) {
            execution.setWriteSkipCount(execution.getWriteSkipCount() + 1);
        }
    }
}
