package io.usagebackfill.report;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.usagebackfill.reject.RejectExample;

/** Reports made by hand for the tests of what shows them: the figures of a small completed run, varied per test. */
public final class SampleReports {

    private SampleReports() {
    }

    /**
     * A completed run of 12 events: 5 inserted, 3 already in the table, 1 repeated, 2 rejected, 1 outside the window.
     */
    public static RunReport completed(List<RunReport.ModelRow> models, Map<String, Long> perDay,
            Map<String, Long> perDayInserted, Map<String, Long> reasons, Map<String, RejectExample> examples,
            List<String> notices) {
        RunReport.Reconciliation reconciled = new RunReport.Reconciliation(100, 50, 150, new BigDecimal("0.001500"),
                100, 50, 150, new BigDecimal("0.001500"), true, 0, 0, List.of());
        String[] days = perDay.keySet().stream().sorted().toArray(String[]::new);
        return new RunReport("COMPLETED", false, "127.0.0.1:5432/app (user app)", 7, 3, List.of("/var/log/app"), 2,
                4_096, 0, 40, 26, 12, 5, 4, 1, 3, 2, 1, "2025-11-01T00:00:00Z to 2025-12-01T00:00:00Z", 2,
                "app.log:3: mentions token_usage", 0, "UTC", 0, 0, 0, 0, 1_500, new BigDecimal("0.001500"), models,
                days.length == 0 ? null : Instant.parse(days[0] + "T10:00:00Z"),
                days.length == 0 ? null : Instant.parse(days[days.length - 1] + "T18:00:00Z"), perDay, perDayInserted,
                reconciled, reasons, examples, reasons.isEmpty() ? null : "/var/lib/rejects.log", notices, null, null,
                null);
    }

    /** The same with two models, three days (the last after a two-day gap) and two kinds of rejects. */
    public static RunReport completed() {
        return completed(List.of(new RunReport.ModelRow("gpt-4o", 3, 900, new BigDecimal("0.001000")),
                new RunReport.ModelRow("claude-3-5-sonnet", 2, 600, new BigDecimal("0.000500"))),
                Map.of("2025-11-01", 4L, "2025-11-02", 2L, "2025-11-05", 2L),
                Map.of("2025-11-01", 3L, "2025-11-05", 2L),
                Map.of("user_id is …, not a UUID", 1L, "model is missing", 1L),
                Map.of("user_id is …, not a UUID", new RejectExample("/var/log/app/app.log", 12,
                        "user_id is \"abc\", not a UUID", "{\"msg\":\"token_usage\",\"user_id\":\"abc\"}"),
                        "model is missing", new RejectExample("/var/log/app/app.log", 30, "model is missing",
                                "{\"msg\":\"token_usage\"}")),
                List.of());
    }
}
