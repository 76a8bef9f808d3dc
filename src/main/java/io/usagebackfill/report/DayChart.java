package io.usagebackfill.report;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rows per UTC day as an inline SVG bar chart: one slot per calendar day from the first day with rows to the last,
 * each bar the rows the run inserted with those already in the table stacked above, and a day without rows an empty
 * slot marked as a gap, so a hole in the logs shows at once. Immutable.
 *
 * @param perDay rows of the run's events the table holds, per day ({@code perDay} of the report)
 * @param inserted of those, the rows this run inserted ({@code perDayInserted})
 */
record DayChart(Map<String, Long> perDay, Map<String, Long> inserted) {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 260;
    private static final int LEFT = 64;
    private static final int RIGHT = 12;
    private static final int TOP = 12;
    private static final int BOTTOM = 40;
    private static final int MAX_LABELS = 8;

    /** A run of days without rows. */
    record Gap(LocalDate from, LocalDate to) {

        long days() {
            return to.toEpochDay() - from.toEpochDay() + 1;
        }

        String describe() {
            return from.equals(to) ? from + " (1 day)" : from + " to " + to + " (" + Html.count(days()) + " days)";
        }
    }

    /** Every calendar day from the first with rows to the last; empty without rows. */
    List<LocalDate> days() {
        List<LocalDate> days = new ArrayList<>();
        if (perDay.isEmpty()) {
            return days;
        }
        LocalDate first = perDay.keySet().stream().map(LocalDate::parse).min(LocalDate::compareTo).orElseThrow();
        LocalDate last = perDay.keySet().stream().map(LocalDate::parse).max(LocalDate::compareTo).orElseThrow();
        for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
            days.add(day);
        }
        return days;
    }

    List<Gap> gaps() {
        List<Gap> gaps = new ArrayList<>();
        LocalDate start = null;
        LocalDate previous = null;
        for (LocalDate day : days()) {
            boolean empty = rows(day) == 0;
            if (empty && start == null) {
                start = day;
            } else if (!empty && start != null) {
                gaps.add(new Gap(start, previous));
                start = null;
            }
            previous = day;
        }
        return gaps;
    }

    long rows(LocalDate day) {
        return perDay.getOrDefault(day.toString(), 0L);
    }

    long insertedOn(LocalDate day) {
        return inserted.getOrDefault(day.toString(), 0L);
    }

    String svg() {
        List<LocalDate> days = days();
        long top = niceCeiling(days.stream().mapToLong(this::rows).max().orElse(0));
        double plotWidth = WIDTH - LEFT - RIGHT;
        double plotHeight = HEIGHT - TOP - BOTTOM;
        double slot = plotWidth / days.size();
        StringBuilder svg = new StringBuilder(512 + 200 * days.size());
        svg.append("<svg class=\"chart\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" role=\"img\" aria-label=\"Rows per day from ").append(days.get(0)).append(" to ")
                .append(days.get(days.size() - 1)).append(", inserted and already in the table\">\n");
        for (Gap gap : gaps()) {
            int at = (int) (gap.from().toEpochDay() - days.get(0).toEpochDay());
            svg.append("<rect class=\"gap\" x=\"").append(Html.px(LEFT + at * slot)).append("\" y=\"").append(TOP)
                    .append("\" width=\"").append(Html.px(gap.days() * slot)).append("\" height=\"")
                    .append(Html.px(plotHeight)).append("\"><title>no rows: ").append(gap.describe())
                    .append("</title></rect>\n");
        }
        axis(svg, top, plotHeight);
        double barWidth = slot >= 3 ? slot * 0.8 : slot;
        for (int i = 0; i < days.size(); i++) {
            bar(svg, days.get(i), LEFT + i * slot + (slot - barWidth) / 2, barWidth, top, plotHeight);
        }
        labels(svg, days, slot);
        return svg.append("</svg>").toString();
    }

    private void bar(StringBuilder svg, LocalDate day, double x, double width, long top, double plotHeight) {
        long rows = rows(day);
        if (rows == 0) {
            return;
        }
        long ins = insertedOn(day);
        double base = TOP + plotHeight;
        double insertedHeight = plotHeight * ins / top;
        double thereHeight = plotHeight * (rows - ins) / top;
        svg.append("<g class=\"day\" data-day=\"").append(day).append("\" data-rows=\"").append(rows)
                .append("\" data-inserted=\"").append(ins).append("\"><title>").append(day).append(": ")
                .append(Html.count(rows)).append(rows == 1 ? " row" : " rows").append(" (")
                .append(Html.count(ins)).append(" inserted, ").append(Html.count(rows - ins))
                .append(" already in the table)</title>");
        rect(svg, "there", x, base - insertedHeight - thereHeight, width, thereHeight);
        rect(svg, "inserted", x, base - insertedHeight, width, insertedHeight);
        svg.append("</g>\n");
    }

    private static void rect(StringBuilder svg, String kind, double x, double y, double width, double height) {
        if (height > 0) {
            svg.append("<rect class=\"").append(kind).append("\" x=\"").append(Html.px(x)).append("\" y=\"")
                    .append(Html.px(y)).append("\" width=\"").append(Html.px(width)).append("\" height=\"")
                    .append(Html.px(Math.max(height, 0.5))).append("\"/>");
        }
    }

    private static void axis(StringBuilder svg, long top, double plotHeight) {
        for (int tick = 0; tick <= 4; tick++) {
            double y = TOP + plotHeight - plotHeight * tick / 4;
            svg.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT)
                    .append("\" y1=\"").append(Html.px(y)).append("\" y2=\"").append(Html.px(y)).append("\"/>")
                    .append("<text class=\"tick\" x=\"").append(LEFT - 6).append("\" y=\"").append(Html.px(y + 4))
                    .append("\" text-anchor=\"end\">").append(Html.count(top * tick / 4)).append("</text>\n");
        }
    }

    private static void labels(StringBuilder svg, List<LocalDate> days, double slot) {
        int step = Math.max(1, (int) Math.ceil(days.size() / (double) MAX_LABELS));
        for (int i = 0; i < days.size(); i += step) {
            svg.append("<text class=\"tick\" x=\"").append(Html.px(LEFT + i * slot + slot / 2)).append("\" y=\"")
                    .append(HEIGHT - BOTTOM + 18).append("\" text-anchor=\"middle\">").append(days.get(i))
                    .append("</text>\n");
        }
    }

    /** The smallest of 1, 2, 5 times a power of ten that is at least {@code max} and divides into four ticks. */
    static long niceCeiling(long max) {
        long unit = 1;
        while (true) {
            for (long step : new long[] {1, 2, 5}) {
                long candidate = step * unit * 4;
                if (candidate >= max && candidate > 0) {
                    return candidate;
                }
            }
            unit *= 10;
        }
    }
}
