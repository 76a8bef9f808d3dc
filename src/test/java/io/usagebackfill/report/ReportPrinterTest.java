package io.usagebackfill.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ReportPrinterTest {

    @Test
    void tiedTopRejectReasonsAreListedByNameWhateverOrderThePartitionsMergedThemIn() {
        Map<String, Long> oneOrder = new LinkedHashMap<>();
        oneOrder.put("no token counts", 2L);
        oneOrder.put("user_id is not a UUID", 5L);
        oneOrder.put("bad timestamp", 2L);
        oneOrder.put("model is missing", 2L);
        Map<String, Long> otherOrder = new LinkedHashMap<>();
        List.of("model is missing", "bad timestamp", "user_id is not a UUID", "no token counts")
                .forEach(reason -> otherOrder.put(reason, oneOrder.get(reason)));

        assertThat(summary(report("COMPLETED", 9, oneOrder))).contains(
                "top reasons: user_id is not a UUID (5); bad timestamp (2); model is missing (2)\n");
        assertThat(summary(report("COMPLETED", 9, otherOrder))).isEqualTo(summary(report("COMPLETED", 9, oneOrder)));
    }

    @Test
    void aRunThatDidNotCompleteSaysItsCountsAreThoseOfTheCommittedChunks() {
        assertThat(summary(report("FAILED", 0, Map.of()))).contains(
                "2 files, 40 lines: 30 events, 0 ignored, 10 other lines in the chunks committed before it ended\n");
        assertThat(summary(report("STOPPED", 0, Map.of()))).contains("in the chunks committed before it ended");
        assertThat(summary(report("FAILED", 0, Map.of()))).as("how far it got")
                .contains("it had read 5,000 lines (2,048 of 4,096 bytes) when it ended");
        assertThat(summary(report("COMPLETED", 0, Map.of()))).contains("10 other lines\n")
                .doesNotContain("committed before").doesNotContain("when it ended");
    }

    private static String summary(RunReport report) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ReportPrinter.printSummary(report, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }

    private static RunReport report(String status, long rejected, Map<String, Long> reasons) {
        RunReport.Reconciliation reconciled = new RunReport.Reconciliation(100, 50, 150, BigDecimal.ONE, 100, 50, 150,
                BigDecimal.ONE, true, 0, 0, List.of());
        return new RunReport(status, false, "127.0.0.1:5432/app (user app)", 2, 1, List.of("/var/log/app"), 2, 4_096, 0, 40, 10, 30,
                30 - rejected, 0, 0, 0, rejected, 0, null, 0, null, 0, null, 0, 0, 0, 0, 1_500, BigDecimal.ONE,
                List.of(), null, null, Map.of(), Map.of(), reconciled, reasons, Map.of(), rejected > 0 ? "rejects.log" : null, List.of(),
                "COMPLETED".equals(status) ? null : new RunReport.Reached(5_000, 2_048, 4_096), null, null);
    }
}
