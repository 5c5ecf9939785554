package io.camelingestor.dataset;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.camelingestor.coerce.Coercion;
import io.camelingestor.coerce.NumberParser.DecimalMark;
import io.camelingestor.dataset.Mapping.Conflict;
import io.camelingestor.dataset.Mapping.Constraint;
import io.camelingestor.dataset.Mapping.Strategy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one mapping file and checks its shape: unknown keys, unknown coercions and identifiers that are not
 * plain SQL identifiers are errors naming the file, the line and the key. What needs the database (tables
 * and columns) is checked by {@link MappingRegistry}.
 */
public final class MappingLoader {

    private static final Logger log = LoggerFactory.getLogger(MappingLoader.class);
    private static final Pattern MAPPING_NAME = Pattern.compile("[a-z0-9_]+");
    /** The original ingestor keyed rows on its datasource table's id; here the device's external id is the key. */
    private static final String LEGACY_DEVICE_KEY = "datasource_id";
    /**
     * The original's wiki keys its example on {@code [source_batch_id, ts]}: rows of one input never overwrite
     * each other's, while another device's rows stay apart. Here the device keeps them apart: read as device_id.
     */
    private static final String WIKI_BATCH_KEY = "source_batch_id";

    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY);

    /** The mapping name: the file name without {@code .yaml}/{@code .yml}. */
    public static String nameOf(Path file) {
        return file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
    }

    public Mapping load(Path file) throws MappingException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MappingException(file, "cannot be read: " + e.getMessage(), e);
        }
        Document doc;
        try {
            doc = yaml.readValue(text, Document.class);
        } catch (UnrecognizedPropertyException e) {
            // records are built at the end of their block, so Jackson's location is that end: find the key itself
            Integer line = new Checker(file, text).lineOf(e.getPropertyName());
            throw new MappingException(
                    file,
                    line != null ? line : e.getLocation().getLineNr(),
                    e.getPropertyName(),
                    "unknown key (known here: " + e.getKnownPropertyIds() + ")");
        } catch (JsonProcessingException e) {
            String key = e instanceof com.fasterxml.jackson.databind.JsonMappingException m
                            && !m.getPath().isEmpty()
                    ? m.getPathReference().replaceAll(".*\\[\"?([^\"\\]]+)\"?\\]$", "$1")
                    : null;
            throw new MappingException(
                    file, e.getLocation() != null ? e.getLocation().getLineNr() : null, key, e.getOriginalMessage());
        }
        if (doc == null) {
            throw new MappingException(file, null, null, "the file is empty");
        }
        return new Checker(file, text).check(doc);
    }

    /**
     * The line (1-based) of a mapping file that declares or lists {@code key}, searched from the line of the
     * top-level {@code section} when given; null when not found or the file cannot be read. For the checks made
     * against the database, after the file was parsed.
     */
    static Integer lineOf(Path file, String section, String key) {
        try {
            Checker checker = new Checker(file, Files.readString(file, StandardCharsets.UTF_8));
            checker.section = section;
            Integer line = checker.lineOf(key);
            if (line != null) {
                return line;
            }
            // a key inside a flow mapping: conflict_resolution: {strategy: update, on_columns: [ts]}
            Pattern inFlow = Pattern.compile("[\\s{,]" + Pattern.quote(key) + ":");
            for (int i = 0; i < checker.lines.length; i++) {
                if (inFlow.matcher(checker.lines[i]).find()) {
                    return i + 1;
                }
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Semantic checks with line numbers looked up in the text. */
    private static final class Checker {
        private final Path file;
        private final String[] lines;
        /** The block being checked (columns, coercions, ...), where line look-ups start. */
        private String section;

        Checker(Path file, String text) {
            this.file = file;
            this.lines = text.split("\r?\n", -1);
        }

        Mapping check(Document doc) throws MappingException {
            String name = nameOf(file);
            if (!MAPPING_NAME.matcher(name).matches()) {
                throw error(
                        null, "the file name must be lower-case letters, digits and '_' (it names the inbound folder)");
            }
            String dataset = doc.dataset() != null ? doc.dataset() : name;
            if (doc.columns() == null || doc.columns().isEmpty()) {
                throw error("columns", "at least one 'source column: target column' entry is needed");
            }
            section = "columns";
            Map<String, String> columns = new LinkedHashMap<>();
            Set<String> targets = new LinkedHashSet<>();
            for (var entry : doc.columns().entrySet()) {
                String target = identifier(entry.getValue(), entry.getKey());
                if (!targets.add(target)) {
                    throw error(entry.getKey(), "target column '" + target + "' is mapped twice");
                }
                columns.put(entry.getKey(), target);
            }
            section = "coercions";
            Map<String, Coercion> coercions = new LinkedHashMap<>();
            if (doc.coercions() != null) {
                for (var entry : doc.coercions().entrySet()) {
                    String column = identifier(entry.getKey(), entry.getKey());
                    Coercion type = Coercion.byName(entry.getValue())
                            .orElseThrow(() -> error(
                                    entry.getKey(),
                                    "unknown coercion '" + entry.getValue() + "' (known: " + Coercion.names() + ")"));
                    coercions.put(column, type);
                }
            }
            Rules rules = doc.validationRules() != null ? doc.validationRules() : new Rules(null, null);
            List<String> required = new ArrayList<>();
            if (rules.schema() != null && rules.schema().required() != null) {
                for (String column : rules.schema().required()) {
                    section = "required";
                    required.add(identifier(column, column));
                }
            }
            section = "constraints";
            Map<String, Constraint> constraints = new LinkedHashMap<>();
            if (rules.constraints() != null) {
                for (var entry : rules.constraints().entrySet()) {
                    constraints.put(
                            identifier(entry.getKey(), entry.getKey()), constraint(entry.getKey(), entry.getValue()));
                }
            }
            section = null;
            String targetTable = identifier(required(doc.targetTable(), "target_table"), "target_table");
            String stagingTable =
                    doc.stagingTable() != null ? identifier(doc.stagingTable(), "staging_table") : "staging_" + name;
            double minValidRatio = doc.quality() != null && doc.quality().minValidRatio() != null
                    ? doc.quality().minValidRatio()
                    : 0.0;
            if (minValidRatio < 0 || minValidRatio > 1) {
                throw error("min_valid_ratio", "must be between 0 and 1, found " + minValidRatio);
            }
            return new Mapping(
                    file,
                    dataset,
                    doc.granularity(),
                    columns,
                    coercions,
                    required,
                    constraints,
                    conflict(doc.conflictResolution()),
                    targetTable,
                    stagingTable,
                    source(doc.source()),
                    minValidRatio);
        }

        private Conflict conflict(ConflictDoc doc) throws MappingException {
            section = "conflict_resolution";
            if (doc == null) {
                return new Conflict(Strategy.APPEND, List.of(), List.of());
            }
            Strategy strategy;
            try {
                strategy = Strategy.valueOf(
                        required(doc.strategy(), "strategy").trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw error("strategy", "unknown strategy '" + doc.strategy() + "' (known: update|ignore|fail|append)");
            }
            List<String> on = legacyDeviceKey(doc.onColumns(), "on_columns");
            List<String> update = legacyDeviceKey(doc.updateColumns(), "update_columns");
            if ((strategy == Strategy.UPDATE || strategy == Strategy.IGNORE) && on.isEmpty()) {
                throw error("on_columns", "strategy " + doc.strategy() + " needs the columns of a unique key");
            }
            return new Conflict(strategy, on, update);
        }

        private List<String> legacyDeviceKey(List<String> columns, String key) throws MappingException {
            List<String> out = new ArrayList<>();
            if (columns == null) {
                return out;
            }
            for (String column : columns) {
                String id = identifier(column, key);
                if (LEGACY_DEVICE_KEY.equals(id) || WIKI_BATCH_KEY.equals(id)) {
                    log.info(
                            "{}: '{}' in {} is read as device_id (the device's external id keys rows here)",
                            file.getFileName(),
                            id,
                            key);
                    id = "device_id";
                }
                out.add(id);
            }
            return out;
        }

        private Constraint constraint(String column, ConstraintDoc doc) throws MappingException {
            if (doc == null) {
                return new Constraint(null, null, null, null, null, null);
            }
            Pattern pattern = null;
            if (doc.pattern() != null) {
                try {
                    pattern = Pattern.compile(doc.pattern());
                } catch (PatternSyntaxException e) {
                    throw error(column, "pattern is not a valid regular expression: " + e.getDescription());
                }
            }
            List<String> allowed = doc.allowed() != null ? doc.allowed() : doc.allowedValues();
            if (doc.min() != null && doc.max() != null && doc.min() > doc.max()) {
                throw error(column, "min " + doc.min() + " is greater than max " + doc.max());
            }
            return new Constraint(doc.min(), doc.max(), pattern, allowed, doc.minLength(), doc.maxLength());
        }

        private SourceOptions source(SourceDoc doc) throws MappingException {
            section = "source";
            if (doc == null) {
                return SourceOptions.DEFAULTS;
            }
            Character delimiter =
                    switch (doc.delimiter() == null ? "auto" : doc.delimiter()) {
                        case "auto" -> null;
                        case ",", ";", "|" -> doc.delimiter().charAt(0);
                        case "\t", "\\t", "tab" -> '\t';
                        default ->
                            throw error(
                                    "delimiter",
                                    "expected auto, ',', ';', '|' or '\\t', found '" + doc.delimiter() + "'");
                    };
            DecimalMark decimal =
                    switch (doc.decimal() == null ? "auto" : doc.decimal()) {
                        case "auto" -> DecimalMark.AUTO;
                        case "." -> DecimalMark.DOT;
                        case "," -> DecimalMark.COMMA;
                        default -> throw error("decimal", "expected auto, '.' or ',', found '" + doc.decimal() + "'");
                    };
            String encoding = doc.encoding() == null ? "auto" : doc.encoding();
            if (!encoding.equals("auto")) {
                try {
                    java.nio.charset.Charset.forName(encoding);
                } catch (RuntimeException e) {
                    throw error("encoding", "unknown charset '" + encoding + "'");
                }
            }
            List<String> formats = doc.datetimeFormats() != null ? doc.datetimeFormats() : List.of();
            for (String format : formats) {
                try {
                    io.camelingestor.coerce.TemporalParser.formatter(format);
                } catch (IllegalArgumentException e) {
                    throw error("datetime_formats", "'" + format + "' is not a date/time pattern: " + e.getMessage());
                }
            }
            ZoneId zone;
            try {
                zone = doc.timezone() == null ? ZoneId.of("UTC") : ZoneId.of(doc.timezone());
            } catch (DateTimeException e) {
                throw error("timezone", "unknown time zone '" + doc.timezone() + "'");
            }
            Pattern deviceId = null;
            if (doc.deviceIdFromFilename() != null) {
                try {
                    deviceId = Pattern.compile(doc.deviceIdFromFilename());
                } catch (PatternSyntaxException e) {
                    throw error("device_id_from_filename", "not a valid regular expression: " + e.getDescription());
                }
                if (deviceId.matcher("").groupCount() < 1) {
                    throw error("device_id_from_filename", "needs a capturing group around the device id");
                }
            }
            Map<String, Set<String>> skip = new LinkedHashMap<>();
            if (doc.skipRowsWhere() != null) {
                doc.skipRowsWhere().forEach((column, values) -> {
                    Set<String> normalized = new LinkedHashSet<>();
                    values.forEach(v -> normalized.add(v.strip().toUpperCase(Locale.ROOT)));
                    skip.put(column, normalized);
                });
            }
            String recordsPath = null;
            if (doc.recordsPath() != null) {
                try {
                    recordsPath = RecordsPath.validate(doc.recordsPath());
                } catch (IllegalArgumentException e) {
                    throw error("records_path", e.getMessage());
                }
            }
            return new SourceOptions(
                    delimiter,
                    decimal,
                    encoding,
                    formats,
                    zone,
                    deviceId,
                    skip,
                    doc.detectHeaders() != null ? doc.detectHeaders() : List.of(),
                    doc.sheet(),
                    recordsPath);
        }

        private String identifier(String value, String key) throws MappingException {
            if (!SqlIdentifiers.isPlain(value)) {
                throw error(key, "'" + value + "' is not a plain SQL identifier (lower-case letters, digits, '_')");
            }
            return value;
        }

        private String required(String value, String key) throws MappingException {
            if (value == null || value.isBlank()) {
                throw error(key, "is required");
            }
            return value;
        }

        private MappingException error(String key, String problem) {
            return new MappingException(file, key == null ? null : lineOf(key), key, problem);
        }

        /**
         * The first line that declares the key (quoted or not) or lists it, 1-based, searched from the line of
         * the block being checked; null when not found.
         */
        Integer lineOf(String key) {
            int from = 0;
            if (section != null) {
                for (int i = 0; i < lines.length; i++) {
                    if (lines[i].strip().startsWith(section + ":")) {
                        from = i;
                        break;
                    }
                }
            }
            for (int i = from; i < lines.length; i++) {
                String line = lines[i].strip();
                if (line.startsWith(key + ":")
                        || line.startsWith("\"" + key + "\":")
                        || line.startsWith("'" + key + "':")
                        || line.equals("- " + key)
                        || line.contains(": " + key)
                        || line.contains(" " + key + ",")) {
                    return i + 1;
                }
            }
            return null;
        }
    }

    // The file's shape, bound by Jackson with unknown keys refused.

    record Document(
            String dataset,
            String description,
            String granularity,
            LinkedHashMap<String, String> columns,
            LinkedHashMap<String, String> coercions,
            @JsonProperty("primary_key") List<String> primaryKey,
            @JsonProperty("validation_rules") Rules validationRules,
            @JsonProperty("conflict_resolution") ConflictDoc conflictResolution,
            @JsonProperty("target_table") String targetTable,
            @JsonProperty("staging_table") String stagingTable,
            SourceDoc source,
            QualityDoc quality) {}

    record Rules(Schema schema, LinkedHashMap<String, ConstraintDoc> constraints) {}

    record Schema(List<String> required) {}

    record ConstraintDoc(
            Double min,
            Double max,
            String pattern,
            List<String> allowed,
            @JsonProperty("allowed_values") List<String> allowedValues,
            @JsonProperty("min_length") Integer minLength,
            @JsonProperty("max_length") Integer maxLength) {}

    record ConflictDoc(
            String strategy,
            @JsonProperty("on_columns") List<String> onColumns,
            @JsonProperty("update_columns") List<String> updateColumns) {}

    record SourceDoc(
            String delimiter,
            String decimal,
            String encoding,
            @JsonProperty("datetime_formats") List<String> datetimeFormats,
            String timezone,
            @JsonProperty("device_id_from_filename") String deviceIdFromFilename,
            @JsonProperty("skip_rows_where") LinkedHashMap<String, List<String>> skipRowsWhere,
            @JsonProperty("detect_headers") List<String> detectHeaders,
            String sheet,
            @JsonProperty("records_path") String recordsPath) {}

    record QualityDoc(@JsonProperty("min_valid_ratio") Double minValidRatio) {}
}
