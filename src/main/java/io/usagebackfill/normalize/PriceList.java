package io.usagebackfill.normalize;

import io.usagebackfill.catalog.RejectedLineException;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * {@code --prices FILE}: what a model costs, to estimate {@code cost_usd} for events that log none. A CSV with the
 * header {@code provider,model,usd_per_million_input,usd_per_million_output}; {@code model} matches a logged model
 * equal to it or a dated snapshot of it ({@code gpt-4o} prices {@code gpt-4o-2024-08-06}), never another model
 * whose name it begins ({@code gpt-4o-mini}, {@code gemini-1.5-flash-8b}): those get no estimate unless listed.
 * Immutable.
 */
public final class PriceList {

    public static final PriceList NONE = new PriceList(List.of());

    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
            .setCommentMarker('#').setIgnoreEmptyLines(true).setTrim(true).get();

    private final List<Price> prices;

    private PriceList(List<Price> prices) {
        this.prices = prices.stream().sorted(Comparator.comparingInt((Price p) -> p.model().length()).reversed())
                .toList();
    }

    private record Price(String provider, String model, BigDecimal perMillionIn, BigDecimal perMillionOut) {
    }

    /** @throws IllegalArgumentException naming the option, the file and the line for a malformed file */
    public static PriceList read(Path file) {
        List<Price> prices = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (CSVRecord record : FORMAT.parse(in)) {
                prices.add(parse(file, record));
            }
        } catch (IOException | IllegalStateException e) {
            throw new IllegalArgumentException("--prices " + file + " cannot be read (" + e.getMessage() + ");"
                    + " give a CSV with the header provider,model,usd_per_million_input,usd_per_million_output");
        }
        return new PriceList(prices);
    }

    private static Price parse(Path file, CSVRecord record) {
        try {
            Price price = new Price(record.get("provider").toLowerCase(Locale.ROOT),
                    record.get("model").toLowerCase(Locale.ROOT), new BigDecimal(record.get("usd_per_million_input")),
                    new BigDecimal(record.get("usd_per_million_output")));
            if (price.model().isEmpty() || price.perMillionIn().signum() < 0 || price.perMillionOut().signum() < 0) {
                throw new NumberFormatException("empty model or negative price");
            }
            return price;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--prices " + file + " line " + (record.getRecordNumber() + 1)
                    + " is not provider,model,usd_per_million_input,usd_per_million_output with numbers ("
                    + e.getMessage() + ")");
        }
    }

    /**
     * A snapshot of the priced model ({@code gpt-4o-2024-08-06}, {@code claude-3-5-sonnet-20241022},
     * {@code gpt-4-0613}, {@code gemini-1.5-flash-002}, {@code claude-3-5-sonnet@20240620}, Bedrock's
     * {@code …-20240620-v1:0}), which costs what the model does; any other suffix is another model
     * ({@code gpt-4o-mini}, {@code gemini-1.5-flash-8b}, {@code gpt-4o-realtime-preview}) and is not priced as it.
     */
    private static boolean matches(String model, String priced) {
        return model.equals(priced) || datedVariant(model, priced);
    }

    private static boolean datedVariant(String model, String priced) {
        return model.startsWith(priced) && SNAPSHOT.matcher(model).region(priced.length(), model.length()).matches();
    }

    private static final String MONTH_DAY = "(0[1-9]|1[0-2])(0[1-9]|[12]\\d|3[01])";
    private static final java.util.regex.Pattern SNAPSHOT = java.util.regex.Pattern.compile("[-@](20\\d{2}-"
            + MONTH_DAY.replace(")(", ")-(") + "|20\\d{2}" + MONTH_DAY + "|" + MONTH_DAY + "|\\d{3})(-v\\d+(:\\d+)?)?");
    /** Bedrock's model ids lead with the vendor, and a cross-region one with the region too: us.anthropic.… */
    private static final java.util.regex.Pattern BEDROCK_PREFIX = java.util.regex.Pattern.compile(
            "^([a-z]{2,6}\\.)?[a-z]+\\.(?=[a-z])");

    /**
     * The estimated cost in micro-dollars, or null when no price matches. USD per million tokens times tokens is
     * micro-dollars exactly; only the final rounding (half up) is inexact, as for logged costs.
     *
     * @throws RejectedLineException when the estimate is beyond what the INT column holds
     */
    public Integer estimateMicros(String provider, String model, long promptTokens, long completionTokens) {
        String p = provider.toLowerCase(Locale.ROOT);
        String m = model.toLowerCase(Locale.ROOT);
        for (Price price : prices) {
            if (price.provider().equals(p) && (matches(m, price.model())
                    || matches(BEDROCK_PREFIX.matcher(m).replaceFirst(""), price.model()))) {
                BigDecimal micros = price.perMillionIn().multiply(BigDecimal.valueOf(promptTokens))
                        .add(price.perMillionOut().multiply(BigDecimal.valueOf(completionTokens)))
                        .setScale(0, RoundingMode.HALF_UP);
                if (micros.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
                    throw new RejectedLineException("the cost estimated from --prices is " + micros
                            + " micro-dollars, beyond what cost_usd (INT) can hold");
                }
                return micros.intValueExact();
            }
        }
        return null;
    }
}
