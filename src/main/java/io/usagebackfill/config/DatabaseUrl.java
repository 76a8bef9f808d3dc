package io.usagebackfill.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A PostgreSQL connection: accepts {@code postgres://user:pass@host:port/db?sslmode=...} (the form Node and Supabase
 * users keep in {@code .env}) and {@code jdbc:postgresql://...}, with or without {@code user:password@}. Every secret
 * (the password, {@code sslpassword} and any other password-like parameter) is taken out of the URL and kept apart:
 * {@link #jdbcUrl()} is safe to show and to hand to the pool and the driver, which may log it, and the secrets reach
 * the driver only as {@link #connectionProperties()}. Immutable.
 *
 * @param secrets password-like connection parameters other than the password, by name
 */
public record DatabaseUrl(String jdbcUrl, String user, String password, Map<String, String> secrets) {

    public DatabaseUrl {
        secrets = Map.copyOf(secrets);
    }

    /** A URL without secrets besides the password. */
    public DatabaseUrl(String jdbcUrl, String user, String password) {
        this(jdbcUrl, user, password, Map.of());
    }

    private static final String ENCODE_HINT = "; percent-encode @, :, /, ? and # in the user name or password"
            + " (%40, %3A, %2F, %3F, %23), or leave the password out and give it in PGPASSWORD or ~/.pgpass";

    /**
     * @param source what the URL came from, for the error message ({@code --db}, {@code POSTGRES_URL})
     * @throws IllegalArgumentException naming the source when the URL is of neither form
     */
    public static DatabaseUrl parse(String url, String source) {
        String text = url.strip();
        if (text.startsWith("jdbc:postgresql:")) {
            UrlSecrets.Split split = UrlSecrets.split(text);
            if (org.postgresql.Driver.parseURL(split.url(), null) == null) {
                throw new IllegalArgumentException(source + " is not a valid PostgreSQL JDBC URL; write it as"
                        + " jdbc:postgresql://host:5432/database?user=name" + ENCODE_HINT);
            }
            return new DatabaseUrl(split.url(), split.user(), split.password(), split.secrets());
        }
        if (!text.startsWith("postgres://") && !text.startsWith("postgresql://")) {
            throw new IllegalArgumentException(source + " is not a PostgreSQL URL; write it as"
                    + " postgres://user:password@host:5432/database or jdbc:postgresql://host:5432/database");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(source + " is not a valid URL (" + UrlSecrets.mask(e.getReason()) + ")"
                    + ENCODE_HINT);
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException(source + " names no host that can be read; write it as"
                    + " postgres://user:password@host:5432/database" + ENCODE_HINT);
        }
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            password = parts.length > 1 ? decode(parts[1]) : null;
        }
        String database = uri.getRawPath() == null || uri.getRawPath().length() <= 1 ? "postgres"
                : uri.getRawPath().substring(1);
        String jdbc = "jdbc:postgresql://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + "/"
                + database + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "");
        UrlSecrets.Split split = UrlSecrets.split(jdbc);
        return new DatabaseUrl(split.url(), user, password != null ? password : split.password(), split.secrets());
    }

    /** The URL for messages: no password, and any password-like parameter masked. */
    public String redacted() {
        String shown = UrlSecrets.mask(jdbcUrl);
        return user == null ? shown : shown + " (user " + user + ")";
    }

    /** What the driver needs beside the URL: the user, the password and the other secrets. */
    public Properties connectionProperties() {
        Properties properties = new Properties();
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        secrets.forEach(properties::setProperty);
        return properties;
    }

    /**
     * {@code text} with every password-like {@code name=value} and every {@code user:password@} masked: for messages
     * and log lines that may quote a URL or the driver's properties.
     */
    public static String mask(String text) {
        return text == null ? null : UrlSecrets.mask(text);
    }

    @Override
    public String toString() {
        return redacted();
    }

    /** Where the database is, for reports: {@code host:port/database}, never the user or the password. */
    public String location() {
        String afterHost = jdbcUrl.substring(jdbcUrl.indexOf("//") + 2);
        int query = afterHost.indexOf('?');
        return query >= 0 ? afterHost.substring(0, query) : afterHost;
    }

    /** The same database with {@code password}, for a URL that names none ({@code PGPASSWORD}). */
    public DatabaseUrl withPassword(String password) {
        boolean named = this.password != null || jdbcUrl.matches("(?i).*[?&]password=.*");
        return named || password == null || password.isEmpty() ? this
                : new DatabaseUrl(jdbcUrl, user, password, secrets);
    }

    /** The database name, for messages. */
    public String databaseName() {
        String afterHost = jdbcUrl.substring(jdbcUrl.indexOf("//") + 2);
        int slash = afterHost.indexOf('/');
        String path = slash >= 0 ? afterHost.substring(slash + 1) : "";
        int query = path.indexOf('?');
        return query >= 0 ? path.substring(0, query) : path;
    }

    private static String decode(String text) {
        return UrlSecrets.decode(text);
    }

    /** Where the database comes from, in the documented order: --db, POSTGRES_URL, DATABASE_URL, else none. */
    public static DatabaseUrl resolve(String option, java.util.function.Function<String, String> env) {
        List<String[]> candidates = new ArrayList<>();
        candidates.add(new String[] {option, "--db"});
        candidates.add(new String[] {env.apply("POSTGRES_URL"), "POSTGRES_URL"});
        candidates.add(new String[] {env.apply("DATABASE_URL"), "DATABASE_URL"});
        for (String[] candidate : candidates) {
            if (candidate[0] != null && !candidate[0].isBlank()) {
                return parse(candidate[0], candidate[1]);
            }
        }
        return null;
    }
}
