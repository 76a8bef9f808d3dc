package io.usagebackfill.reject;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import io.usagebackfill.catalog.RejectedLineException;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.step.skip.SkipLimitExceededException;
import org.springframework.batch.core.step.skip.SkipPolicy;

class RunSkipLimitTest {

    private static final RejectedLineException REJECTED = new RejectedLineException("model is missing");

    @Test
    void partitionsInThisProcessShareTheLimit() {
        RunSkipLimit limit = new RunSkipLimit(5);
        SkipPolicy first = limit.forPartition(0);
        SkipPolicy second = limit.forPartition(1);

        assertThat(first.shouldSkip(REJECTED, 2)).isTrue();
        assertThat(second.shouldSkip(REJECTED, 2)).isTrue();
        assertThatThrownBy(() -> second.shouldSkip(REJECTED, 3)).isInstanceOf(SkipLimitExceededException.class);
    }

    @Test
    void theSkipsOtherProcessesCommittedCountOnceReadAgain() {
        Map<Integer, Long> committed = new HashMap<>();
        RunSkipLimit limit = new RunSkipLimit(5, () -> committed);
        SkipPolicy here = limit.forPartition(0);
        committed.put(1, 3L);

        assertThat(here.shouldSkip(REJECTED, 1)).as("not read yet").isTrue();
        limit.refresh();
        assertThatThrownBy(() -> here.shouldSkip(REJECTED, 2)).isInstanceOf(SkipLimitExceededException.class);
    }

    @Test
    void aPartitionCountsWithTheLargerOfItsOwnAndItsCommittedSkipsNotBoth() {
        Map<Integer, Long> committed = new HashMap<>(Map.of(0, 3L));
        RunSkipLimit limit = new RunSkipLimit(5, () -> committed);
        limit.refresh();

        assertThat(limit.forPartition(0).shouldSkip(REJECTED, 4)).isTrue();
    }

    @Test
    void onlyRejectedLinesAreSkipped() {
        assertThat(new RunSkipLimit(5).forPartition(0).shouldSkip(new IllegalStateException("db"), 0)).isFalse();
    }
}
