package io.usagebackfill.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A PostgreSQL connection: accepts {@code postgres://user:pass@host:port/db?sslmode=...} (the form Node and Supabase
 * users keep in {@code .env}) and {@code jdbc:postgresql://...}. The password is kept apart from the URL and never
 * appears in {@link #toString()} or {@link #redacted()}. Immutable.
 */
public record DatabaseUrl(String jdbcUrl, String user, String password) {

    private static final String ENCODE_HINT = "; percent-encode @, :, /, ? and # in the user name or password"
            + " (%40, %3A, %2F, %3F, %23), or leave the password out and give it in PGPASSWORD or ~/.pgpass";

    /**
     * @param source what the URL came from, for the error message ({@code --db}, {@code POSTGRES_URL})
     * @throws IllegalArgumentException naming the source when the URL is of neither form
     */
    public static DatabaseUrl parse(String url, String source) {
        String text = url.strip();
        if (text.startsWith("jdbc:postgresql:")) {
            if (org.postgresql.Driver.parseURL(text, null) == null) {
                throw new IllegalArgumentException(source + " is not a valid PostgreSQL JDBC URL; write it as"
                        + " jdbc:postgresql://host:5432/database?user=name" + ENCODE_HINT);
            }
            return new DatabaseUrl(text, null, null);
        }
        if (!text.startsWith("postgres://") && !text.startsWith("postgresql://")) {
            throw new IllegalArgumentException(source + " is not a PostgreSQL URL; write it as"
                    + " postgres://user:password@host:5432/database or jdbc:postgresql://host:5432/database");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(source + " is not a valid URL (" + e.getReason() + ")"
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
        return new DatabaseUrl(jdbc, user, password);
    }

    /** The URL for messages: no password, and any password parameter in a JDBC URL masked. */
    public String redacted() {
        String shown = jdbcUrl.replaceAll("(?i)([?&]password=)[^&]*", "$1***");
        return user == null ? shown : shown + " (user " + user + ")";
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
        return named || password == null || password.isEmpty() ? this : new DatabaseUrl(jdbcUrl, user, password);
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
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
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
