package io.usagebackfill.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --env-file FILE}: {@code KEY=value} lines the tool reads itself, the same file systemd's
 * {@code EnvironmentFile=} reads, so a scheduler needs no shell to pass the database on and an {@code &} in a URL
 * survives. Blank lines and {@code #} comments are skipped; a value may be wrapped in single or double quotes; the
 * rest of the line is the value, as written. Its values win over the process environment's (an option given
 * explicitly beats what happened to be set). Immutable.
 */
public final class EnvironmentFile {

    private static final Pattern LINE = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(.*)");

    private EnvironmentFile() {
    }

    /**
     * The environment with {@code file}'s values over {@code base}, or {@code base} itself when {@code file} is null.
     *
     * @throws IllegalArgumentException naming the file and line when it cannot be read or a line is not KEY=value
     */
    public static Function<String, String> over(Path file, Function<String, String> base) {
        if (file == null) {
            return base;
        }
        Map<String, String> values = read(file);
        return key -> values.containsKey(key) ? values.get(key) : base.apply(key);
    }

    static Map<String, String> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("--env-file " + file + " cannot be read (" + e.getMessage()
                    + "); give a readable file of KEY=value lines");
        }
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                throw new IllegalArgumentException("--env-file " + file + ":" + (i + 1) + " starts with `export`;"
                        + " write plain KEY=value lines (systemd's EnvironmentFile= reads the same file)");
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException("--env-file " + file + ":" + (i + 1) + " is not a KEY=value line;"
                        + " write e.g. POSTGRES_URL=postgres://app@db.example.com:5432/app");
            }
            String where = "--env-file " + file + ":" + (i + 1);
            if (values.put(m.group(1), unquote(m.group(2).strip(), where)) != null) {
                throw new IllegalArgumentException(where + " sets " + m.group(1) + " a second time; keep one line"
                        + " for it (which one was meant cannot be told)");
            }
        }
        return values;
    }

    private static String unquote(String value, String where) {
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                || value.startsWith("'") && value.endsWith("'"))) {
            return value.substring(1, value.length() - 1);
        }
        if (value.startsWith("\"") || value.startsWith("'")) {
            int close = value.indexOf(value.charAt(0), 1);
            throw new IllegalArgumentException(where + (close < 0 ? " opens a quote it does not close"
                    : " has text after its closing quote (" + value.substring(close + 1).strip() + ")")
                    + "; write the value alone, quoted or not, and a comment on a line of its own");
        }
        return value;
    }
}
