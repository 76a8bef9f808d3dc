package io.usagebackfill.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The PgJDBC settings that keep a connection from depending on its server session, so that it works the same
 * through a transaction-mode pooler (PgBouncer, Supabase's and Neon's poolers), which may give each transaction
 * another server connection and give the last one to another client:
 * <ul>
 * <li>{@code prepareThreshold=0}: no named server-side prepared statements (through a pooler the next transaction
 * finds {@code S_1} missing, or another client's {@code S_1} already there); every statement is parsed where it
 * runs, which costs a chunk far less than a millisecond;</li>
 * <li>{@code assumeMinServerVersion=9.0}: {@code application_name} and {@code extra_float_digits} travel in the
 * startup packet, which poolers replay for every server connection, instead of as a session {@code SET} after
 * connecting, which would stay on one server connection.</li>
 * </ul>
 * Each is a URL parameter, so a {@code --db} URL that sets one itself keeps its own value. Stateless and
 * thread-safe.
 */
public final class PoolerSafety {

    static final Map<String, String> DEFAULTS = defaults();

    private PoolerSafety() {
    }

    /** {@code jdbcUrl} with each setting the URL does not make itself. */
    public static String apply(String jdbcUrl) {
        return ConnectionTimeouts.withDefaults(jdbcUrl, DEFAULTS);
    }

    private static Map<String, String> defaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("prepareThreshold", "0");
        defaults.put("assumeMinServerVersion", "9.0");
        return java.util.Collections.unmodifiableMap(defaults);
    }
}
