package io.usagebackfill.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.DecimalNode;
import tools.jackson.databind.node.IntNode;
import tools.jackson.databind.node.LongNode;

/** A whole epoch number is read without a decimal, to the same time (or the same reason) as with one. */
class EpochTimesTest {

    @Test
    void aWholeEpochNumberReadsAsTheSameNumberWrittenAsADecimalDoes() {
        List<Long> epochs = new ArrayList<>(List.of(0L, 1L, 946_684_799L, 946_684_800L, 1_735_689_600L,
                99_999_999_999L, 100_000_000_000L, 1_735_689_600_259L, 99_999_999_999_999L, 100_000_000_000_000L,
                1_735_689_600_259_123L, 99_999_999_999_999_999L, 100_000_000_000_000_000L,
                1_735_689_600_259_123_499L, 1_735_689_600_259_123_500L, 1_735_689_600_259_123_999L,
                4_102_444_799_999_999_500L, Long.MAX_VALUE));
        Random random = new Random(31);
        for (int i = 0; i < 20_000; i++) {
            long scale = (long) Math.pow(10, 9 + random.nextInt(11));
            epochs.add(Math.max(0, Math.abs(random.nextLong() % scale)));
        }
        for (long epoch : epochs) {
            JsonNode whole = epoch <= Integer.MAX_VALUE ? IntNode.valueOf((int) epoch) : LongNode.valueOf(epoch);
            assertThat(read(whole)).as("%d", epoch).isEqualTo(read(DecimalNode.valueOf(BigDecimal.valueOf(epoch))));
        }
    }

    private static String read(JsonNode value) {
        try {
            return EventTime.read(new Fields.Found("time", value), null, ZoneOffset.UTC, "time").toString();
        } catch (RejectedLineException rejected) {
            return "rejected: " + rejected.getMessage().replace(value.toString(), "N");
        }
    }
}
