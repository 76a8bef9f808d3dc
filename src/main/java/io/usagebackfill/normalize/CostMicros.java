package io.usagebackfill.normalize;

import io.usagebackfill.catalog.RejectedLineException;
import io.usagebackfill.catalog.Numbers;
import io.usagebackfill.catalog.Fields;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * Reads the event's cost and converts it to the table's micro-dollars with exact decimal arithmetic, rounding half
 * up. When several cost fields are present the most specific wins: the catalog's {@code cost_micros} paths, then
 * its {@code cost_usd} paths in order ({@code cost_usd}/{@code costUsd}, LiteLLM's {@code response_cost}, the
 * estimated and total costs, then a bare {@code cost}). Stateless and thread-safe.
 */
final class CostMicros {

    /** The least dollar amount that rounds (half up) to more micro-dollars than INT holds. */
    private static final BigDecimal FIRST_TOO_LARGE_USD = Numbers.INT_MAX.movePointLeft(6)
            .add(new BigDecimal("0.0000005"));

    private CostMicros() {
    }

    /** Micro-dollars, or null when the event logs no cost. */
    /** @param scopes the event and its envelopes ({@link Fields#scopes}) */
    static Integer read(List<JsonNode> scopes, Fields fields) {
        Fields.Found micros = fields.first(scopes, "cost_micros");
        if (micros != null) {
            return fitInt(micros, decimal(micros).setScale(0, RoundingMode.HALF_UP));
        }
        Fields.Found dollars = fields.first(scopes, "cost_usd");
        if (dollars == null) {
            return null;
        }
        return fromUsd(dollars.name(), decimal(dollars));
    }

    /** US dollars to micro-dollars, half up; rejects negatives and what INT cannot hold. */
    static Integer fromUsd(String name, BigDecimal usd) {
        if (usd.signum() < 0) {
            throw new RejectedLineException(name + " is " + usd.toPlainString() + "; a cost cannot be negative");
        }
        // Compared before rounding, as a huge exponent must never be scaled; 2147.4836474 still rounds into range.
        if (usd.compareTo(FIRST_TOO_LARGE_USD) >= 0) {
            throw new RejectedLineException(name + " is " + usd.toPlainString()
                    + " USD, beyond what cost_usd (INT micro-dollars) can hold: at most 2147.483647 USD");
        }
        return usd.movePointRight(6).setScale(0, RoundingMode.HALF_UP).intValueExact();
    }

    private static Integer fitInt(Fields.Found field, BigDecimal micros) {
        if (micros.signum() < 0 || micros.compareTo(Numbers.INT_MAX) > 0) {
            throw new RejectedLineException(field.name() + " is " + micros.toPlainString()
                    + "; micro-dollar costs must be from 0 to 2147483647");
        }
        return micros.intValueExact();
    }

    private static BigDecimal decimal(Fields.Found field) {
        JsonNode value = field.value();
        BigDecimal number = Numbers.decimal(field.name(), value);
        if (number == null) {
            throw new RejectedLineException(field.name() + " is " + Numbers.describe(value) + ", not a number");
        }
        return number;
    }
}
