package io.camelingestor.dataset;

import io.camelingestor.coerce.NumberParser.DecimalMark;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The mapping's optional {@code source:} block: how files of this dataset are read.
 *
 * @param delimiter the CSV delimiter, or null to detect it
 * @param skipRowsWhere source column to values (compared trimmed, case-insensitively) marking summary rows
 * @param sheet the XLSX sheet to read, or null for the first
 * @param recordsPath where a JSON file holds its array of records ({@code $.result}), or null for the root
 */
public record SourceOptions(
        Character delimiter,
        DecimalMark decimal,
        String encoding,
        List<String> datetimeFormats,
        ZoneId timezone,
        Pattern deviceIdFromFilename,
        Map<String, Set<String>> skipRowsWhere,
        List<String> detectHeaders,
        String sheet,
        String recordsPath) {

    public static final SourceOptions DEFAULTS = new SourceOptions(
            null, DecimalMark.AUTO, "auto", List.of(), ZoneId.of("UTC"), null, Map.of(), List.of(), null, null);

    /** The mapping's charset, or null when it is detected per file ({@code encoding: auto}). */
    public java.nio.charset.Charset charset() {
        return "auto".equalsIgnoreCase(encoding) ? null : java.nio.charset.Charset.forName(encoding);
    }

    public SourceOptions {
        datetimeFormats = List.copyOf(datetimeFormats);
        skipRowsWhere = Map.copyOf(skipRowsWhere);
        detectHeaders = List.copyOf(detectHeaders);
    }
}
