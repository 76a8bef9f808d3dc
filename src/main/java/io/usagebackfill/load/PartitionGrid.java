package io.usagebackfill.load;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The partitions of a table partitioned by RANGE on {@code created_at}, and the ones a time with none would need,
 * made like their siblings: the step most of them span (a number of calendar months, or a fixed length), counted
 * from one of them, cut short where it would overlap a partition that is there, and named as they are
 * ({@code token_usage_p2025_10} beside {@code token_usage_p2025_11}). Months and days are those of the zone the
 * siblings were made in: the first of UTC and then every zone by name in which each of their bounds is a midnight
 * (partitions made in a session set to {@code America/New_York} start at 05:00 UTC in winter, 04:00 in summer). A
 * table with no partition yet gets months in UTC, named {@code <table>_2025_10}. Immutable and thread-safe.
 */
public final class PartitionGrid {

    /** Name endings tried on a sibling's name, finest first; each with the coarsest step it can tell apart. */
    private static final List<Suffix> SUFFIXES = List.of(new Suffix("uuuu_MM_dd_HHmm", 0),
            new Suffix("uuuuMMdd_HHmm", 0), new Suffix("uuuu_MM_dd", 1), new Suffix("uuuuMMdd", 1),
            new Suffix("uuuu_MM", 2), new Suffix("uuuuMM", 2), new Suffix("uuuu", 3));

    /** A name ending and how coarse a step it names apart: 0 minutes, 1 days, 2 months, 3 years. */
    private record Suffix(String pattern, int grain) {
        DateTimeFormatter formatter(ZoneId zone) {
            return DateTimeFormatter.ofPattern(pattern).withZone(zone);
        }
    }

    /** How far one partition reaches: a number of calendar months (in the grid's zone), or else a fixed length. */
    record Step(int months, Duration length) {

        static Step between(Instant from, Instant to, ZoneId zone) {
            ZonedDateTime start = from.atZone(zone);
            for (int months = 1; months <= 120; months++) {
                Instant end = start.plusMonths(months).toInstant();
                if (end.equals(to)) {
                    return new Step(months, null);
                }
                if (end.isAfter(to)) {
                    break;
                }
            }
            return new Step(0, Duration.between(from, to));
        }

        /** 0 when it needs minutes to name its partitions apart, 1 days, 2 months, 3 years. */
        int grain() {
            if (months > 0) {
                return months % 12 == 0 ? 3 : 2;
            }
            return length.toSeconds() % 86_400 == 0 && length.getNano() == 0 ? 1 : 0;
        }

        String describe() {
            if (months > 0) {
                return months == 1 ? "a month" : months % 12 == 0 ? months / 12 + " year(s)" : months + " months";
            }
            return length.toString();
        }
    }

    private final String table;
    private final ZoneId zone;
    private final List<PartitionRange> ranges;
    private final Step step;
    private final Instant anchor;
    private final String schema;
    private final String prefix;
    private final DateTimeFormatter suffix;

    /**
     * @param table the partitioned table's name, for the names of partitions made with no sibling to follow
     * @param schema where partitions go when there is no sibling to follow
     * @param ranges the table's range partitions
     */
    public PartitionGrid(String table, String schema, List<PartitionRange> ranges) {
        this.table = table;
        this.ranges = ranges.stream().sorted(Comparator.comparing(PartitionRange::from,
                Comparator.nullsFirst(Comparator.naturalOrder()))).toList();
        this.zone = zoneOf(this.ranges);
        PartitionRange model = model(this.ranges, zone);
        this.step = model == null ? new Step(1, null) : Step.between(model.from(), model.to(), zone);
        this.anchor = model == null ? Instant.EPOCH : model.from();
        this.schema = model == null ? schema : model.schema();
        Suffix matched = model == null ? null : matching(model, step, zone);
        this.suffix = matched != null ? matched.formatter(zone) : defaultSuffix(step).formatter(zone);
        this.prefix = matched != null
                ? model.name().substring(0, model.name().length() - suffix.format(model.from()).length())
                : table + "_";
    }

    /** The partition that holds {@code time}, or null when none does. */
    public PartitionRange holding(Instant time) {
        for (PartitionRange range : ranges) {
            if (range.holds(time)) {
                return range;
            }
        }
        return null;
    }

    /**
     * The partition {@code time} needs, where none holds it: the step's range around it, cut back to the
     * partitions on either side of it.
     */
    public PartitionRange missing(Instant time) {
        Instant from;
        Instant to;
        if (step.months() > 0) {
            ZonedDateTime start = anchor.atZone(zone);
            long apart = ChronoUnit.MONTHS.between(start, time.atZone(zone));
            ZonedDateTime at = start.plusMonths(Math.floorDiv(apart, step.months()) * step.months());
            while (at.toInstant().isAfter(time)) {
                at = at.minusMonths(step.months());
            }
            while (!at.plusMonths(step.months()).toInstant().isAfter(time)) {
                at = at.plusMonths(step.months());
            }
            from = at.toInstant();
            to = at.plusMonths(step.months()).toInstant();
        } else {
            long length = step.length().toNanos() / 1_000;
            long since = ChronoUnit.MICROS.between(anchor, time);
            from = anchor.plus(Math.floorDiv(since, length) * length, ChronoUnit.MICROS);
            to = from.plus(length, ChronoUnit.MICROS);
        }
        for (PartitionRange range : ranges) {
            if (range.to() != null && !range.to().isAfter(time) && range.to().isAfter(from)) {
                from = range.to();
            }
            if (range.from() != null && range.from().isAfter(time) && range.from().isBefore(to)) {
                to = range.from();
            }
        }
        return new PartitionRange(schema, prefix + suffix.format(from), from, to);
    }

    /** What a partition made here spans, for messages: {@code a month}. */
    public String describeStep() {
        return step.describe();
    }

    /** Whether the table has a partition to follow (else partitions made here are months named after it). */
    public boolean followsSiblings() {
        return !ranges.isEmpty() && ranges.stream().anyMatch(r -> r.from() != null && r.to() != null);
    }

    /** The most common step among the bounded partitions, counted from the latest of those that take it. */
    private static PartitionRange model(List<PartitionRange> ranges, ZoneId zone) {
        Map<Step, Integer> counts = new HashMap<>();
        List<PartitionRange> bounded = new ArrayList<>();
        for (PartitionRange range : ranges) {
            if (range.from() != null && range.to() != null) {
                bounded.add(range);
                counts.merge(Step.between(range.from(), range.to(), zone), 1, Integer::sum);
            }
        }
        PartitionRange model = null;
        int most = 0;
        for (PartitionRange range : bounded) {
            int count = counts.get(Step.between(range.from(), range.to(), zone));
            if (count >= most) {
                most = count;
                model = range;
            }
        }
        return model;
    }

    /** The ending of the model's name that is its lower bound, in a form fine enough for the step, or null. */
    private static Suffix matching(PartitionRange model, Step step, ZoneId zone) {
        for (Suffix suffix : SUFFIXES) {
            if (suffix.grain() <= step.grain() && model.name().endsWith(suffix.formatter(zone).format(model.from()))) {
                return suffix;
            }
        }
        return null;
    }

    /**
     * The zone the partitions' bounds were written in: UTC, or the first zone by name in which every bound is a
     * midnight; UTC where none is (partitions of hours, or of lengths that are no days).
     */
    private static ZoneId zoneOf(List<PartitionRange> ranges) {
        List<Instant> bounds = new ArrayList<>();
        for (PartitionRange range : ranges) {
            if (range.from() != null && range.to() != null) {
                bounds.add(range.from());
                bounds.add(range.to());
            }
        }
        if (bounds.isEmpty() || allMidnights(bounds, ZoneOffset.UTC)) {
            return ZoneOffset.UTC;
        }
        return ZoneId.getAvailableZoneIds().stream().sorted().map(ZoneId::of)
                .filter(zone -> allMidnights(bounds, zone)).findFirst().orElse(ZoneOffset.UTC);
    }

    private static boolean allMidnights(List<Instant> bounds, ZoneId zone) {
        for (Instant bound : bounds) {
            if (!bound.atZone(zone).toLocalTime().equals(LocalTime.MIDNIGHT)) {
                return false;
            }
        }
        return true;
    }

    private static Suffix defaultSuffix(Step step) {
        return switch (step.grain()) {
            case 3 -> SUFFIXES.get(6);
            case 2 -> SUFFIXES.get(4);
            case 1 -> SUFFIXES.get(2);
            default -> SUFFIXES.get(0);
        };
    }

    @Override
    public String toString() {
        return "PartitionGrid[" + table + ", " + step.describe() + " from " + anchor + " in " + zone + "]";
    }
}
