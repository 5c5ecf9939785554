package io.camelingestor.dataset;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The one place where identifiers that come from mapping files become SQL. Only plain lower-case
 * identifiers are accepted (letters, digits, underscores, at most 63 characters, not starting with a
 * digit), and they are always double-quoted, so a mapping can never inject SQL.
 */
public final class SqlIdentifiers {

    private static final Pattern PLAIN = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private SqlIdentifiers() {}

    public static boolean isPlain(String identifier) {
        return identifier != null && PLAIN.matcher(identifier).matches();
    }

    /** Quotes a plain identifier; anything else is a programming error (mappings are checked on load). */
    public static String quote(String identifier) {
        if (!isPlain(identifier)) {
            throw new IllegalArgumentException("not a plain SQL identifier: '" + identifier + "'");
        }
        return '"' + identifier + '"';
    }

    public static String quoteAll(List<String> identifiers) {
        return identifiers.stream().map(SqlIdentifiers::quote).collect(Collectors.joining(", "));
    }

    public static String quoteAll(String prefix, List<String> identifiers) {
        return identifiers.stream().map(i -> prefix + quote(i)).collect(Collectors.joining(", "));
    }
}
