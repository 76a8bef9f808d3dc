package io.usagebackfill.report;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * Text made safe for an HTML page: every value a page shows goes through {@link #text}, so that a model name, a
 * reason or a log line cannot become markup. Stateless.
 */
final class Html {

    private Html() {
    }

    /** {@code value} as element text or as an attribute's (quoted) value; null as the empty string. */
    static String text(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                // Control characters are not allowed in HTML text; a log line may hold them all the same.
                default -> out.append(c < 0x20 && c != '\t' && c != '\n' || c == 0x7f ? '\uFFFD' : c);
            }
        }
        return out.toString();
    }

    /** {@code 1,234}, as the summary writes counts. */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** {@code $12.345678}, or {@code $0} for none. */
    static String usd(BigDecimal usd) {
        return "$" + (usd == null ? "0" : usd.toPlainString());
    }

    /** A number for an SVG attribute: a dot for decimals, at most two of them. */
    static String px(double value) {
        return String.format(Locale.ROOT, "%.2f", value).replaceAll("\\.?0+$", "");
    }
}
