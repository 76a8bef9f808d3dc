package io.usagebackfill.config;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Takes every secret out of a {@code jdbc:postgresql:} URL: a password in its user part
 * ({@code jdbc:postgresql://user:pw@host/db}), the {@code password} parameter, and every password-like parameter
 * ({@code sslpassword}, any name with password, passwd, pwd or secret in it). What is left is a URL that the
 * driver, the pool, the logs and every message may show; the secrets go to the driver as connection properties,
 * which neither prints. Stateless and thread-safe.
 */
final class UrlSecrets {

    private static final String PREFIX = "jdbc:postgresql:";
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|passwd|pwd|secret).*");
    /** A password-like parameter, or the password in a URL's user part, wherever they are in a text. */
    private static final Pattern SECRET_IN_TEXT = Pattern.compile(
            "(?i)([\\w.-]*(?:password|passwd|pwd|secret)[\\w.-]*=)[^&;,}\\s]*|(//[^/:@\\s]*:)[^@/\\s]*@");

    private UrlSecrets() {
    }

    /**
     * A JDBC URL split into what may be shown and what may not.
     *
     * @param url the URL without user part or password-like parameters
     * @param user the user from the user part, or null (a {@code user=} parameter stays in the URL)
     * @param password from the user part or the {@code password} parameter, or null
     * @param secrets the other password-like parameters, by name, decoded
     */
    record Split(String url, String user, String password, Map<String, String> secrets) {
    }

    static Split split(String jdbcUrl) {
        String rest = jdbcUrl.substring(PREFIX.length());
        String user = null;
        String password = null;
        if (rest.startsWith("//")) {
            int authorityEnd = indexOfAny(rest, 2, "/?");
            int at = rest.lastIndexOf('@', authorityEnd - 1);
            if (at >= 2) {
                String[] userInfo = rest.substring(2, at).split(":", 2);
                user = userInfo[0].isEmpty() ? null : decode(userInfo[0]);
                password = userInfo.length > 1 ? decode(userInfo[1]) : null;
                rest = "//" + rest.substring(at + 1);
            }
        }
        int query = rest.indexOf('?');
        if (query < 0) {
            return new Split(PREFIX + rest, user, password, Map.of());
        }
        Map<String, String> secrets = new LinkedHashMap<>();
        StringBuilder kept = new StringBuilder();
        for (String parameter : rest.substring(query + 1).split("&")) {
            int equals = parameter.indexOf('=');
            String name = equals < 0 ? parameter : parameter.substring(0, equals);
            String value = equals < 0 ? "" : decode(parameter.substring(equals + 1));
            if (name.equals("password")) {
                password = password != null ? password : value;
            } else if (isSecretName(name)) {
                secrets.put(name, value);
            } else if (!parameter.isEmpty()) {
                kept.append(kept.isEmpty() ? "?" : "&").append(parameter);
            }
        }
        return new Split(PREFIX + rest.substring(0, query) + kept, user, password, Map.copyOf(secrets));
    }

    /** Whether a connection parameter's name says it holds a secret. */
    static boolean isSecretName(String name) {
        return SECRET_NAME.matcher(name.toLowerCase(Locale.ROOT)).matches();
    }

    /** {@code text} with every password-like {@code name=value} and user-part password replaced by {@code ***}. */
    static String mask(String text) {
        return SECRET_IN_TEXT.matcher(text).replaceAll(match -> java.util.regex.Matcher.quoteReplacement(
                match.group(1) != null ? match.group(1) + "***" : match.group(2) + "***@"));
    }

    private static int indexOfAny(String text, int from, String characters) {
        for (int i = from; i < text.length(); i++) {
            if (characters.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return text.length();
    }

    /** Percent-decoded; as written when it is not valid percent-encoding (the decoder's error would quote it). */
    static String decode(String text) {
        try {
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notEncoded) {
            return text;
        }
    }
}
