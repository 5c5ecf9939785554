package io.camelingestor.dataset;

import java.util.ArrayList;
import java.util.List;

/**
 * A mapping's {@code source.records_path}: where a JSON file's array of records is. A deliberately small
 * subset of JSONPath (a chain of object keys from the root, optionally ending in {@code [*]}), parsed here
 * so that the mapping loader can refuse a path the streaming JSON reader cannot follow.
 */
public final class RecordsPath {

    private RecordsPath() {}

    /**
     * Checks a records path at mapping load, so that a mapping with a path this reader cannot follow is
     * refused before any file arrives.
     *
     * @param recordsPath the mapping's records path; null means the root array
     * @return the path in its normal form: {@code $} for the root, dot notation for plain keys, bracket
     *     notation for the others, without a trailing {@code [*]} (the form {@code detected()} reports)
     * @throws IllegalArgumentException naming the path and what in it is not supported
     */
    public static String validate(String recordsPath) {
        return render(parse(recordsPath), -1);
    }

    /** The keys from the root to the records array: empty for the root array itself. */
    public static List<String> parse(String path) {
        if (path == null) {
            return List.of();
        }
        if (!path.startsWith("$")) {
            throw unsupported(path, "it must start with $ (the document's root)");
        }
        List<String> keys = new ArrayList<>();
        int i = 1;
        while (i < path.length()) {
            char c = path.charAt(i);
            if (c == '.') {
                if (path.startsWith("..", i)) {
                    throw unsupported(path, "recursive descent (..) is not supported");
                }
                int end = i + 1;
                while (end < path.length() && path.charAt(end) != '.' && path.charAt(end) != '[') {
                    end++;
                }
                String key = path.substring(i + 1, end);
                if (key.isEmpty()) {
                    throw unsupported(path, "a key is missing after the '.' at position " + (i + 1));
                }
                if (key.equals("*")) {
                    throw unsupported(path, "wildcards (.*) are not supported");
                }
                if (!isPlainKey(key)) {
                    throw unsupported(
                            path, "key '" + key + "' has characters that need bracket notation: ['" + key + "']");
                }
                keys.add(key);
                i = end;
            } else if (c == '[') {
                if (path.startsWith("[*]", i)) {
                    if (i + 3 != path.length()) {
                        throw unsupported(path, "[*] is only supported at the end of the path");
                    }
                    i += 3;
                } else if (i + 1 < path.length() && (path.charAt(i + 1) == '\'' || path.charAt(i + 1) == '"')) {
                    i = quotedKey(path, i, keys);
                } else {
                    throw unsupported(path, describeBracket(path.substring(i)));
                }
            } else {
                throw unsupported(path, "unexpected '" + c + "' at position " + (i + 1));
            }
        }
        return keys;
    }

    /** Reads {@code ['key']} (or double quotes) starting at {@code open}; a backslash escapes the next char. */
    private static int quotedKey(String path, int open, List<String> keys) {
        char quote = path.charAt(open + 1);
        StringBuilder key = new StringBuilder();
        int i = open + 2;
        while (i < path.length() && path.charAt(i) != quote) {
            if (path.charAt(i) == '\\' && i + 1 < path.length()) {
                i++;
            }
            key.append(path.charAt(i++));
        }
        if (i >= path.length()) {
            throw unsupported(path, "the quote opened at position " + (open + 2) + " is not closed");
        }
        if (i + 1 >= path.length() || path.charAt(i + 1) != ']') {
            throw unsupported(
                    path, "expected ] after the quoted key at position " + (i + 2) + " (unions are not supported)");
        }
        keys.add(key.toString());
        return i + 2;
    }

    private static String describeBracket(String rest) {
        if (rest.length() > 1 && (Character.isDigit(rest.charAt(1)) || rest.charAt(1) == '-')) {
            return "array indexes and slices (" + rest + ") are not supported";
        }
        if (rest.startsWith("[?")) {
            return "filters (" + rest + ") are not supported";
        }
        return "'" + rest + "' is not supported";
    }

    private static boolean isPlainKey(String key) {
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '$')) {
                return false;
            }
        }
        return !key.isEmpty();
    }

    private static IllegalArgumentException unsupported(String path, String why) {
        return new IllegalArgumentException("unsupported records path '" + path + "': " + why
                + "; supported: a chain of object keys such as $.result, $.data.items or $['my key'].rows,"
                + " optionally ending in [*] ($ or $[*] for a root array)");
    }

    /** The first {@code count} keys (all of them when negative) as a path in normal form. */
    public static String render(List<String> keys, int count) {
        StringBuilder path = new StringBuilder("$");
        int n = count < 0 ? keys.size() : count;
        for (int i = 0; i < n; i++) {
            String key = keys.get(i);
            if (isPlainKey(key)) {
                path.append('.').append(key);
            } else {
                path.append("['")
                        .append(key.replace("\\", "\\\\").replace("'", "\\'"))
                        .append("']");
            }
        }
        return path.toString();
    }
}
