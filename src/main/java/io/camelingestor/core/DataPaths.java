package io.camelingestor.core;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Paths as API answers and health details show them: relative to the data folder ({@code
 * rejected/energy_hourly/x.csv}), never the absolute path, which tells a caller how the host is laid out
 * (user names, mount points). A path outside the data folder is shown by its file name only.
 */
public final class DataPaths {

    private final Path dataDir;
    private final Pattern prefix;

    public DataPaths(Path dataDir) {
        this.dataDir = dataDir.toAbsolutePath().normalize();
        // texts may name the folder with "." segments: with the default ingestor.data-dir=./data Camel's file
        // consumer names files /app/./data/inbound/..., which is what ingest_batch.source_uri keeps
        StringBuilder regex = new StringBuilder();
        for (Path part : this.dataDir) {
            regex.append("(?:/\\.)*/").append(Pattern.quote(part.toString()));
        }
        this.prefix = Pattern.compile(regex.append("(?:/\\.)*/").toString());
    }

    /** The path relative to the data folder, or its file name when it lies outside. */
    public String shown(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        if (absolute.startsWith(dataDir)) {
            return absolute.equals(dataDir) ? "." : dataDir.relativize(absolute).toString();
        }
        Path name = absolute.getFileName();
        return name == null ? "" : name.toString();
    }

    /** Free text (an error message, a payload reference) with each absolute path into the data folder made relative. */
    public String shown(String text) {
        return text == null ? null : prefix.matcher(text).replaceAll(Matcher.quoteReplacement(""));
    }

    /**
     * A copy of an answer (maps, lists and strings, as the API's queries return them) with every string passed
     * through {@link #shown(String)}.
     */
    @SuppressWarnings("unchecked")
    public <T> T shownIn(T value) {
        return (T) shownInAny(value);
    }

    private Object shownInAny(Object value) {
        if (value instanceof String text) {
            return shown(text);
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new java.util.LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(k, shownInAny(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(this::shownInAny).toList();
        }
        return value;
    }
}
