package io.usagebackfill.metrics;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The Pushgateway a run pushes its metrics to ({@code --metrics-push}): {@code http://host:9091}, {@code https://…},
 * or just {@code host:9091}; a path after the port is kept (a gateway behind a proxy's prefix), and
 * {@code user:password@} before the host is sent as basic authentication. Immutable.
 *
 * @param address {@code host:port} and any path, as the Pushgateway client takes it
 * @param user the basic-authentication user, or null; {@code password} goes with it
 */
public record PushTarget(boolean https, String address, String user, String password) {

    /** The default port of a Pushgateway, for an address that names none. */
    static final int DEFAULT_PORT = 9091;

    /**
     * @param option where the URL came from ({@code --metrics-push}, a job file's key, the environment), for the
     *     message
     * @throws IllegalArgumentException naming {@code option} and the URL (without its password) when it is not an
     *     http or https URL of a host
     */
    public static PushTarget parse(String option, String url) {
        String value = url.strip();
        String withScheme = value.contains("://") ? value : "http://" + value;
        URI uri;
        try {
            uri = new URI(withScheme);
        } catch (URISyntaxException e) {
            throw invalid(option, value, "it is not a URL (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw invalid(option, value, "a Pushgateway speaks http or https, not " + scheme);
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw invalid(option, value, "it names no host");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw invalid(option, value, "a Pushgateway URL has no ?query or #fragment");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : DEFAULT_PORT;
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
            password = parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "";
        }
        String host = uri.getHost().contains(":") && !uri.getHost().startsWith("[") ? "[" + uri.getHost() + "]"
                : uri.getHost();
        return new PushTarget(scheme.equals("https"), host + ":" + port + path, user, password);
    }

    /** The URL as messages show it: never the password. */
    public String display() {
        return (https ? "https://" : "http://") + (user == null ? "" : user + "@") + address;
    }

    @Override
    public String toString() {
        return display();
    }

    private static IllegalArgumentException invalid(String option, String value, String why) {
        return new IllegalArgumentException(option + " " + withoutPassword(value) + " is not a Pushgateway URL: " + why
                + "; give http://host:9091 (or https://user:password@host/prefix)");
    }

    /** {@code http://user:secret@host} as {@code http://user:…@host}. */
    static String withoutPassword(String value) {
        return value.replaceFirst("^([^/@]*//)?([^/@:]*):[^/@]*@", "$1$2:…@");
    }
}
