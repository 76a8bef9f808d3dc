package io.usagebackfill.support;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Numbered {@code token_usage} events whose values follow from their number, so a test knows the truth of any set
 * of them without reading them back: event {@code i} is at {@link #time}(i) and logs {@link #prompt}(i) and
 * {@link #completion}(i) tokens and {@link #costMicros}(i) micro-dollars.
 */
public final class TokenEvents {

    /** 2025-11-09T10:00:00Z; event i is i seconds later. */
    private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper
            .builder().build();

    public static final long START_MILLIS = 1762682400000L;

    private TokenEvents() {
    }

    public static Instant time(int i) {
        return Instant.ofEpochMilli(START_MILLIS + i * 1000L);
    }

    public static int prompt(int i) {
        return 10 + i;
    }

    public static int completion(int i) {
        return 5 + i % 11;
    }

    public static int costMicros(int i) {
        return 100 + i;
    }

    /** A pino line. */
    public static String pino(int i) {
        return "{\"level\":30,\"time\":" + time(i).toEpochMilli() + ",\"msg\":\"token_usage\",\"provider\":\"openai\","
                + "\"model\":\"gpt-4o-mini\",\"prompt_tokens\":" + prompt(i) + ",\"completion_tokens\":"
                + completion(i) + ",\"cost_usd\":" + dollars(i) + "}";
    }

    /** A logfmt line. */
    public static String logfmt(int i) {
        return "time=" + time(i) + " level=info msg=token_usage provider=openai model=gpt-4o-mini prompt_tokens="
                + prompt(i) + " completion_tokens=" + completion(i) + " cost_usd=" + dollars(i);
    }

    /** {@code line} as a Kubernetes CRI full line. */
    public static String cri(int i, String line) {
        return time(i) + " stdout F " + line;
    }

    /** {@code line} as a Docker json-file entry, logged at {@code time}. */
    public static String docker(String line, Instant time) {
        return "{\"log\":" + JSON.writeValueAsString(line + "\n") + ",\"stream\":\"stdout\",\"time\":\"" + time
                + "\"}";
    }

    public static List<String> lines(int from, int to, IntFunction<String> shape) {
        List<String> lines = new ArrayList<>();
        for (int i = from; i < to; i++) {
            lines.add(shape.apply(i));
        }
        return lines;
    }

    /** The truth for events {@code from} to {@code to} (exclusive), each loaded once. */
    public static Totals totals(int from, int to) {
        Totals totals = Totals.NONE;
        for (int i = from; i < to; i++) {
            totals = totals.plus(one(i));
        }
        return totals;
    }

    public static Totals one(int i) {
        return new Totals(1, prompt(i), completion(i), prompt(i) + completion(i), costMicros(i));
    }

    private static String dollars(int i) {
        return BigDecimal.valueOf(costMicros(i), 6).toPlainString();
    }
}
