package io.usagebackfill.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class PartitionGridTest {

    private static PartitionRange range(String name, String from, String to) {
        return new PartitionRange("public", name, from == null ? null : Instant.parse(from),
                to == null ? null : Instant.parse(to));
    }

    private static final List<PartitionRange> MONTHS = List.of(
            range("token_usage_p2025_11", "2025-11-01T00:00:00Z", "2025-12-01T00:00:00Z"),
            range("token_usage_p2025_12", "2025-12-01T00:00:00Z", "2026-01-01T00:00:00Z"));

    @Test
    void aTimeInAPartitionIsHeldByIt() {
        PartitionGrid grid = new PartitionGrid("token_usage", "public", MONTHS);

        assertThat(grid.holding(Instant.parse("2025-12-31T23:59:59.999999Z")).name()).isEqualTo("token_usage_p2025_12");
        assertThat(grid.holding(Instant.parse("2026-01-01T00:00:00Z"))).isNull();
    }

    @Test
    void aMissingMonthIsAMonthNamedLikeItsSiblings() {
        PartitionGrid grid = new PartitionGrid("token_usage", "public", MONTHS);

        assertThat(grid.missing(Instant.parse("2025-10-09T10:00:00Z"))).isEqualTo(
                range("token_usage_p2025_10", "2025-10-01T00:00:00Z", "2025-11-01T00:00:00Z"));
        assertThat(grid.missing(Instant.parse("2024-02-29T23:00:00Z"))).isEqualTo(
                range("token_usage_p2024_02", "2024-02-01T00:00:00Z", "2024-03-01T00:00:00Z"));
        assertThat(grid.missing(Instant.parse("2026-03-01T00:00:00Z")).from())
                .isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(grid.describeStep()).isEqualTo("a month");
    }

    @Test
    void monthsMadeInAnotherZoneAreThatZonesMonthsNamedAsItsSiblings() {
        // Made in a session set to America/New_York: midnight there is 05:00 UTC in winter, 04:00 in summer.
        PartitionGrid newYork = new PartitionGrid("token_usage", "public", List.of(
                range("token_usage_2025_01", "2025-01-01T05:00:00Z", "2025-02-01T05:00:00Z"),
                range("token_usage_2025_02", "2025-02-01T05:00:00Z", "2025-03-01T05:00:00Z"),
                range("token_usage_2025_04", "2025-04-01T04:00:00Z", "2025-05-01T04:00:00Z")));
        // Europe/Berlin's midnight is the day before in UTC: the name is the zone's month, not UTC's.
        PartitionGrid berlin = new PartitionGrid("token_usage", "public", List.of(
                range("token_usage_2025_01", "2024-12-31T23:00:00Z", "2025-01-31T23:00:00Z")));

        assertThat(newYork.missing(Instant.parse("2025-03-15T12:00:00Z"))).isEqualTo(
                range("token_usage_2025_03", "2025-03-01T05:00:00Z", "2025-04-01T04:00:00Z"));
        assertThat(newYork.missing(Instant.parse("2025-01-01T04:30:00Z"))).isEqualTo(
                range("token_usage_2024_12", "2024-12-01T05:00:00Z", "2025-01-01T05:00:00Z"));
        assertThat(berlin.missing(Instant.parse("2025-02-10T00:00:00Z"))).isEqualTo(
                range("token_usage_2025_02", "2025-01-31T23:00:00Z", "2025-02-28T23:00:00Z"));
    }

    @Test
    void daysAndQuartersFollowTheirSiblingsStepAndNames() {
        PartitionGrid days = new PartitionGrid("t", "app", List.of(
                new PartitionRange("parts", "t_20251108", Instant.parse("2025-11-08T00:00:00Z"),
                        Instant.parse("2025-11-09T00:00:00Z"))));
        PartitionGrid quarters = new PartitionGrid("t", "public", List.of(
                range("t_2025_10", "2025-10-01T00:00:00Z", "2026-01-01T00:00:00Z")));

        assertThat(days.missing(Instant.parse("2025-11-10T13:00:00Z"))).isEqualTo(new PartitionRange("parts",
                "t_20251110", Instant.parse("2025-11-10T00:00:00Z"), Instant.parse("2025-11-11T00:00:00Z")));
        assertThat(quarters.missing(Instant.parse("2025-08-15T00:00:00Z"))).isEqualTo(
                range("t_2025_07", "2025-07-01T00:00:00Z", "2025-10-01T00:00:00Z"));
    }

    @Test
    void aRangeIsCutBackWhereItWouldOverlapAPartitionThere() {
        PartitionGrid grid = new PartitionGrid("token_usage", "public", List.of(
                range("token_usage_2025_11", "2025-11-01T00:00:00Z", "2025-12-01T00:00:00Z"),
                range("token_usage_2025_12", "2025-12-01T00:00:00Z", "2026-01-01T00:00:00Z"),
                range("token_usage_odd", "2026-01-20T00:00:00Z", "2026-01-25T00:00:00Z")));

        PartitionRange gap = grid.missing(Instant.parse("2026-01-10T00:00:00Z"));

        assertThat(gap.from()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(gap.to()).isEqualTo(Instant.parse("2026-01-20T00:00:00Z"));
    }

    @Test
    void aTableWithoutPartitionsGetsMonthsNamedAfterIt() {
        PartitionGrid grid = new PartitionGrid("token_usage", "public", List.of());

        assertThat(grid.missing(Instant.parse("2025-11-09T10:00:00Z"))).isEqualTo(
                range("token_usage_2025_11", "2025-11-01T00:00:00Z", "2025-12-01T00:00:00Z"));
        assertThat(grid.followsSiblings()).isFalse();
    }

    @Test
    void openEndedPartitionsHoldEverythingBeyondTheirBound() {
        PartitionGrid grid = new PartitionGrid("token_usage", "public", List.of(
                range("token_usage_old", null, "2025-11-01T00:00:00Z"),
                range("token_usage_2025_11", "2025-11-01T00:00:00Z", "2025-12-01T00:00:00Z")));

        assertThat(grid.holding(Instant.parse("1999-01-01T00:00:00Z")).name()).isEqualTo("token_usage_old");
        assertThat(grid.missing(Instant.parse("2025-12-05T00:00:00Z")).name()).isEqualTo("token_usage_2025_12");
    }

    @Test
    void aBoundIsWrittenInUtcWithItsZoneWhereTheColumnHasOne() {
        Instant bound = Instant.parse("2025-10-01T00:00:00Z");

        assertThat(PartitionRange.literal(bound, true)).isEqualTo("'2025-10-01 00:00:00+00'");
        assertThat(PartitionRange.literal(bound, false)).isEqualTo("'2025-10-01 00:00:00'");
        assertThat(PartitionRange.literal(Instant.parse("2025-10-01T00:00:00.5Z"), true))
                .isEqualTo("'2025-10-01 00:00:00.500000+00'");
    }
}
