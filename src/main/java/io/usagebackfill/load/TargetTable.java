package io.usagebackfill.load;

import java.util.regex.Pattern;

/**
 * The table rows are loaded into, {@code token_usage} unless {@code --table} names another, optionally
 * schema-qualified. Names are validated and always quoted in SQL, so an option can never inject SQL. Immutable.
 */
public record TargetTable(String schema, String name) {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,62}");

    public static final TargetTable DEFAULT = new TargetTable(null, "token_usage");

    /**
     * @throws IllegalArgumentException naming the option when the name is not a plain SQL identifier
     */
    public static TargetTable parse(String qualified) {
        String[] parts = qualified.split("\\.", -1);
        if (parts.length > 2) {
            throw invalid(qualified);
        }
        for (String part : parts) {
            if (!IDENTIFIER.matcher(part).matches()) {
                throw invalid(qualified);
            }
        }
        return parts.length == 2 ? new TargetTable(parts[0], parts[1]) : new TargetTable(null, parts[0]);
    }

    /** The quoted, possibly schema-qualified name to put in SQL. */
    public String sql() {
        return schema == null ? quote(name) : quote(schema) + "." + quote(name);
    }

    /** How people write it: unquoted. */
    public String display() {
        return schema == null ? name : schema + "." + name;
    }

    /** As SQL a person would type it: a name quoted only where it must be (capitals, which SQL folds unquoted). */
    public String typed() {
        return schema == null ? typed(name) : typed(schema) + "." + typed(name);
    }

    /** {@link #typed} of one identifier, such as the schema alone. */
    public static String typed(String identifier) {
        return identifier.equals(identifier.toLowerCase(java.util.Locale.ROOT)) ? identifier : quote(identifier);
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private static IllegalArgumentException invalid(String qualified) {
        return new IllegalArgumentException("--table " + qualified
                + " is not a table name; use letters, digits and underscores, optionally as schema.table");
    }
}
