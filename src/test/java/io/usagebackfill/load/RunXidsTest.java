package io.usagebackfill.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RunXidsTest {

    @Test
    void aRestartKeepsTheEarlierExecutionsSpanFromItsStartToItsLastChunkAndOpensANewOne() {
        long start = (1L << 32) + 1_000;
        RunXids restarted = RunXids.startingAt(start).restartedAt((1L << 32) + 5_000, 1_800L);

        assertThat(restarted.start()).isEqualTo((1L << 32) + 5_000);
        assertThat(restarted.earlier()).singleElement().satisfies(span -> assertThat(span).containsExactly(1_000, 1_800));
        assertThat(restarted.owns("t.xmin")).isEqualTo("(age(t.xmin) < age('5000'::xid) OR (age(t.xmin) < age('1000'::xid)"
                + " AND age(t.xmin) >= age('1800'::xid)))");
    }

    @Test
    void anExecutionThatCommittedNoChunkLeavesNoSpanAndTheContextTextReadsBackTheSame() {
        RunXids twice = RunXids.startingAt(10).restartedAt(20, 15L).restartedAt(30, null);

        RunXids read = RunXids.read(twice.write());

        assertThat(twice.earlier()).hasSize(1);
        assertThat(read.start()).isEqualTo(30);
        assertThat(read.earlier()).singleElement().satisfies(span -> assertThat(span).containsExactly(10, 15));
        assertThat(read.owns("x")).isEqualTo(twice.owns("x"));
    }
}
