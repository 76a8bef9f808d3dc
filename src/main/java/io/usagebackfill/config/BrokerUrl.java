package io.usagebackfill.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.function.Function;

/**
 * A RabbitMQ broker, {@code amqp://user:password@host:port/vhost} (or {@code amqps://} for TLS), the form RabbitMQ
 * documents for its URIs: no port means 5672 (5671 for amqps), no path the default vhost {@code /}, a path its
 * percent-decoded vhost. The password is kept apart and never appears in {@link #toString()} or
 * {@link #redacted()}. Immutable.
 */
public record BrokerUrl(boolean tls, String host, int port, String virtualHost, String user, String password) {

    /** The environment variable that gives the broker when {@code --broker} does not. */
    public static final String ENVIRONMENT = "USAGE_BACKFILL_BROKER";

    /**
     * @param source what the URL came from, for the error message ({@code --broker}, {@code USAGE_BACKFILL_BROKER})
     * @throws IllegalArgumentException naming the source when the URL is not an AMQP URL with a host
     */
    public static BrokerUrl parse(String url, String source) {
        String text = url.strip();
        if (!text.startsWith("amqp://") && !text.startsWith("amqps://")) {
            throw new IllegalArgumentException(source + " is not an AMQP URL; write it as"
                    + " amqp://user:password@host:5672/vhost (RabbitMQ's form)");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(source + " is not a valid URL (" + UrlSecrets.mask(e.getReason())
                    + "); percent-encode @, :, / and ? in the user name or password (%40, %3A, %2F, %3F)");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException(source + " names no host that can be read; write it as"
                    + " amqp://user:password@host:5672/vhost");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException(source + " has a query or fragment, which this tool does not read;"
                    + " write it as amqp://user:password@host:5672/vhost");
        }
        boolean tls = text.startsWith("amqps://");
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = UrlSecrets.decode(parts[0]);
            password = parts.length > 1 ? UrlSecrets.decode(parts[1]) : null;
        }
        String path = uri.getRawPath();
        if (path != null && path.length() > 1 && path.indexOf('/', 1) >= 0) {
            throw new IllegalArgumentException(source + " has a path of more than one segment; the vhost is the one"
                    + " segment after the port, with / written %2F");
        }
        String vhost = path == null || path.length() <= 1 ? "/" : UrlSecrets.decode(path.substring(1));
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 5671 : 5672;
        return new BrokerUrl(tls, uri.getHost(), port, vhost, user, password);
    }

    /** Where the broker comes from, in the documented order: the option, then USAGE_BACKFILL_BROKER, else none. */
    public static BrokerUrl resolve(String option, Function<String, String> env) {
        if (option != null && !option.isBlank()) {
            return parse(option, "--broker");
        }
        String fromEnv = env.apply(ENVIRONMENT);
        return fromEnv == null || fromEnv.isBlank() ? null : parse(fromEnv, ENVIRONMENT);
    }

    /** The URL for messages: scheme, user, host, port and vhost; the password masked. */
    public String redacted() {
        String credentials = user == null ? "" : user + (password == null ? "" : ":***") + "@";
        String vhostPath = "/".equals(virtualHost) ? "/" : "/" + virtualHost.replace("/", "%2F");
        return (tls ? "amqps://" : "amqp://") + credentials + host + ":" + port + vhostPath;
    }

    @Override
    public String toString() {
        return redacted();
    }
}
