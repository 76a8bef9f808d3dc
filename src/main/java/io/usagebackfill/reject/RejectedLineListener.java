package io.usagebackfill.reject;

import io.usagebackfill.catalog.RejectedLineException;
import io.usagebackfill.normalize.TokenUsage;
import io.usagebackfill.read.LogLine;
import org.springframework.batch.core.listener.SkipListener;

/** Sends each line the step skips to the rejects file with its reason. Runs inside the chunk's transaction. */
public final class RejectedLineListener implements SkipListener<LogLine, TokenUsage> {

    private final RejectsFile rejects;
    private final RejectsTable table;

    /** @param table where rejects also go in the database, or null without one ({@code --csv-out}) */
    public RejectedLineListener(RejectsFile rejects, RejectsTable table) {
        this.rejects = rejects;
        this.table = table;
    }

    @Override
    public void onSkipInProcess(LogLine item, Throwable t) {
        String reason = t instanceof RejectedLineException rejected ? rejected.reason() : String.valueOf(t);
        java.util.UUID lineId = t instanceof RejectedLineException rejected ? rejected.lineId() : null;
        rejects.add(item, reason, lineId);
        if (table != null) {
            table.add(item, reason, lineId);
        }
    }
}
