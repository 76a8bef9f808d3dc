package io.usagebackfill.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The driver settings that keep a run from hanging on a database that does not answer: connecting (TCP),
 * logging in (a server that accepts the connection and then says nothing), every read (a network stall mid-run)
 * and TCP keepalive. Each is a PgJDBC URL parameter, so a {@code --db} URL that sets one itself overrides it
 * ({@code ?socketTimeout=0} waits for ever). Stateless and thread-safe.
 */
public final class ConnectionTimeouts {

    /**
     * In seconds, except {@code tcpKeepAlive}. The socket timeout is far above the longest statement a run sends
     * (a chunk's COPY and merge, the reconciliation by chunk) and short enough that a stalled nightly run fails
     * the same night, for {@code restart} to resume.
     */
    static final Map<String, String> DEFAULTS = defaults();

    private ConnectionTimeouts() {
    }

    /** {@code jdbcUrl} with each default the URL does not set itself. */
    public static String apply(String jdbcUrl) {
        return withDefaults(jdbcUrl, DEFAULTS);
    }

    /** {@code jdbcUrl} with each of {@code defaults} that the URL does not set itself, in their order. */
    static String withDefaults(String jdbcUrl, Map<String, String> defaults) {
        StringBuilder url = new StringBuilder(jdbcUrl);
        defaults.forEach((name, value) -> {
            if (!hasParameter(jdbcUrl, name)) {
                url.append(url.indexOf("?") >= 0 ? '&' : '?').append(name).append('=').append(value);
            }
        });
        return url.toString();
    }

    private static boolean hasParameter(String jdbcUrl, String name) {
        int query = jdbcUrl.indexOf('?');
        if (query < 0) {
            return false;
        }
        for (String parameter : jdbcUrl.substring(query + 1).split("&")) {
            if (parameter.equals(name) || parameter.startsWith(name + "=")) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, String> defaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("connectTimeout", "10");
        defaults.put("loginTimeout", "10");
        defaults.put("socketTimeout", "300");
        defaults.put("tcpKeepAlive", "true");
        return java.util.Collections.unmodifiableMap(defaults);
    }
}
