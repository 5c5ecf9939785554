package io.camelingestor.datasource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The datasource registry: {@code <conf-dir>/datasources.yaml} (CEI-InOE's {@code conf/datasources.yaml}), read
 * at start and again when it changes, mirrored into the {@code datasource} table, which also holds the devices
 * of an imported device CSV and the devices met in inputs that the registry did not know.
 *
 * <p>It answers which datasource a file belongs to ({@link #forFile}), which devices a kind of HTTP source
 * fetches ({@link #ofKind}), and registers an unknown device ({@link #ensure}). A broken edit of the file is
 * refused (logged, shown by {@link #error()}) and the previous registry stays in force.
 */
@Component("datasources")
public class DatasourceRegistry {

    private static final Logger log = LoggerFactory.getLogger(DatasourceRegistry.class);

    public static final String FILE_NAME = "datasources.yaml";

    /** Statuses whose datasources HTTP sources leave out (the original fetched only {@code online} ones). */
    static final Set<String> NOT_FETCHED = Set.of("offline", "disabled", "inactive", "removed");

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Set<String> KEYS = Set.of(
            "external_id",
            "id",
            "device_id",
            "kind",
            "type",
            "device_type",
            "alias",
            "name",
            "client",
            "site",
            "description",
            "timezone",
            "status",
            "metadata",
            "credentials",
            "files");

    private final JdbcTemplate jdbc;
    private final Path file;
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    private final ObjectMapper json = new ObjectMapper();

    private volatile List<Datasource> fromFile = List.of();
    private volatile String error;
    private FileTime seen;

    public DatasourceRegistry(JdbcTemplate jdbc, @Value("${ingestor.conf-dir:./conf}") Path confDir) {
        this.jdbc = jdbc;
        this.file = confDir.toAbsolutePath().normalize().resolve(FILE_NAME);
        refresh();
    }

    /** The registry file. */
    public Path file() {
        return file;
    }

    /** Why the file's latest edit is not in force, or null. */
    public String error() {
        return error;
    }

    /** The datasources the file defines, in its order. */
    public List<Datasource> fromFile() {
        refresh();
        return fromFile;
    }

    /**
     * Reads the file again when it changed since it was last read (called by the {@code datasources-watch} route
     * and before each look-up): a good edit is in force at once and mirrored into the table, a broken one is
     * refused and the previous registry stays.
     */
    public synchronized void refresh() {
        FileTime modified;
        try {
            modified = Files.isRegularFile(file) ? Files.getLastModifiedTime(file) : null;
        } catch (IOException e) {
            return;
        }
        if (seenOnce && java.util.Objects.equals(modified, seen)) {
            return;
        }
        seenOnce = true;
        seen = modified;
        if (modified == null) {
            if (!fromFile.isEmpty()) {
                log.warn(
                        "Datasource registry {} is gone: its datasources stay in the table, none is file-defined now",
                        file);
            }
            fromFile = List.of();
            error = null;
            return;
        }
        try {
            List<Datasource> read = parse(Files.readString(file));
            store(read);
            fromFile = List.copyOf(read);
            error = null;
            log.info("Datasource registry {} loaded: {} datasources", file, read.size());
        } catch (IOException | IllegalArgumentException e) {
            error = file.getFileName() + ": " + e.getMessage();
            log.error(
                    "Datasource registry refused: {}{}",
                    error,
                    fromFile.isEmpty() ? "" : " (the previous version stays in force)");
        }
    }

    private boolean seenOnce;

    /**
     * The datasource a file belongs to: the first in the file whose {@code files} (name pattern and/or dataset)
     * match it.
     */
    public Optional<Datasource> forFile(String fileName, String dataset) {
        return fromFile().stream().filter(d -> d.owns(fileName, dataset)).findFirst();
    }

    /**
     * The datasources of a kind that are fetched (status not offline, disabled, inactive or removed), from the
     * file and from an imported device CSV, ordered by external id.
     */
    public List<Datasource> ofKind(String kind) {
        refresh();
        return jdbc.query(
                """
                SELECT external_id, kind, alias, client, site, description, timezone, status, metadata::text,
                       credentials::text
                FROM datasource WHERE kind = ? AND origin <> 'unregistered' AND lower(status) <> ALL (?)
                ORDER BY external_id
                """,
                (rs, n) -> new Datasource(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getString(7),
                        rs.getString(8),
                        readMap(rs.getString(9)),
                        stringMap(readMap(rs.getString(10))),
                        null,
                        null),
                kind,
                NOT_FETCHED.toArray(String[]::new));
    }

    /**
     * Makes sure a device met in an input is in the table, so that its batch can reference it: an unknown one is
     * registered with kind {@code unknown} and origin {@code unregistered} (one WARN line), to be described in the
     * registry file later.
     */
    public void ensure(String externalId, String sourceId) {
        if (externalId == null || externalId.isEmpty()) {
            return;
        }
        int added = jdbc.update(
                """
                INSERT INTO datasource (external_id, kind, status, origin, metadata)
                VALUES (?, 'unknown', 'unknown', 'unregistered', jsonb_build_object('firstSource', ?::text))
                ON CONFLICT (external_id) DO NOTHING
                """,
                externalId,
                sourceId);
        if (added > 0) {
            registeredAsUnknown(externalId, sourceId);
        }
    }

    /**
     * The statement {@link #ensure} runs, for a caller that runs it inside a statement of its own (the batch's
     * registration, one round trip): its parameters are the external id twice and the source id; it returns
     * a row when it registered the device.
     */
    public static final String ENSURE_SQL =
            """
            INSERT INTO datasource (external_id, kind, status, origin, metadata)
            SELECT ?::text, 'unknown', 'unknown', 'unregistered', jsonb_build_object('firstSource', ?::text)
            WHERE ?::text <> ''
            ON CONFLICT (external_id) DO NOTHING
            RETURNING external_id""";

    /** The WARN line of a device registered as unknown by {@link #ENSURE_SQL} run elsewhere. */
    public void registeredAsUnknown(String externalId, String sourceId) {
        log.warn(
                "Device '{}' (from {}) is not in the datasource registry: registered as unknown; describe it in {}",
                externalId,
                sourceId,
                file);
    }

    /** Every datasource of the table, for {@code GET /api/datasources}. */
    public List<Map<String, Object>> list() {
        refresh();
        return jdbc.query(
                """
                SELECT external_id, kind, alias, client, site, description, timezone, status, metadata::text,
                       credentials::text, files::text, origin, created_at, updated_at
                FROM datasource ORDER BY external_id
                """,
                (rs, n) -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("externalId", rs.getString(1));
                    row.put("kind", rs.getString(2));
                    row.put("alias", rs.getString(3));
                    row.put("client", rs.getString(4));
                    row.put("site", rs.getString(5));
                    row.put("description", rs.getString(6));
                    row.put("timezone", rs.getString(7));
                    row.put("status", rs.getString(8));
                    row.put("metadata", readMap(rs.getString(9)));
                    row.put("credentials", readMap(rs.getString(10))); // names of environment variables only
                    row.put("files", rs.getString(11) == null ? null : readMap(rs.getString(11)));
                    row.put("origin", rs.getString(12));
                    row.put("createdAt", rs.getTimestamp(13).toInstant());
                    row.put("updatedAt", rs.getTimestamp(14).toInstant());
                    return row;
                });
    }

    /** Upserts the file's datasources; those it no longer lists (origin registry) are marked removed. */
    private void store(List<Datasource> read) {
        for (Datasource d : read) {
            Map<String, Object> files = new LinkedHashMap<>();
            if (d.filePattern() != null) {
                files.put("pattern", d.filePattern().pattern());
            }
            if (d.fileDataset() != null) {
                files.put("dataset", d.fileDataset());
            }
            jdbc.update(
                    """
                    INSERT INTO datasource (external_id, kind, alias, client, site, description, timezone, status,
                                            metadata, credentials, files, origin, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, 'registry', now())
                    ON CONFLICT (external_id) DO UPDATE SET kind = EXCLUDED.kind, alias = EXCLUDED.alias,
                        client = EXCLUDED.client, site = EXCLUDED.site, description = EXCLUDED.description,
                        timezone = EXCLUDED.timezone, status = EXCLUDED.status, metadata = EXCLUDED.metadata,
                        credentials = EXCLUDED.credentials, files = EXCLUDED.files, origin = 'registry',
                        updated_at = now()
                    """,
                    d.externalId(),
                    d.kind(),
                    d.alias(),
                    d.client(),
                    d.site(),
                    d.description(),
                    d.timezone(),
                    d.status(),
                    write(d.metadata()),
                    write(d.credentials()),
                    files.isEmpty() ? null : write(files));
        }
        jdbc.update(
                "UPDATE datasource SET status = 'removed', updated_at = now() WHERE origin = 'registry' AND status <> 'removed'"
                        + " AND NOT (external_id = ANY (?))",
                (Object) read.stream().map(Datasource::externalId).toArray(String[]::new));
    }

    /**
     * Reads the registry file: {@code datasources:} (or a top-level list) of entries with {@code external_id}
     * (or {@code id}, {@code device_id}), {@code kind} (or {@code type}), {@code alias}, {@code client},
     * {@code site}, {@code description}, {@code timezone}, {@code status}, {@code metadata}, {@code credentials}
     * (environment variable names) and {@code files: {pattern, dataset}}.
     */
    List<Datasource> parse(String text) throws JsonProcessingException {
        JsonNode root = yaml.readTree(text);
        JsonNode list = root == null || root.isMissingNode() || root.isNull()
                ? json.createArrayNode()
                : root.isArray() ? root : root.path("datasources");
        if (!list.isArray()) {
            throw new IllegalArgumentException("expected 'datasources:' with a list of datasources");
        }
        List<Datasource> out = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        int index = 0;
        for (JsonNode entry : list) {
            index++;
            String where = "datasource #" + index;
            if (!entry.isObject()) {
                throw new IllegalArgumentException(where + ": expected a mapping of keys");
            }
            for (Iterator<String> it = entry.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!KEYS.contains(key)) {
                    throw new IllegalArgumentException(where + ": unknown key '" + key + "' (known: " + KEYS + ")");
                }
            }
            String id = text(entry, "external_id", "id", "device_id");
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException(where + ": needs an external_id");
            }
            where = "datasource '" + id + "'";
            if (!ids.add(id)) {
                throw new IllegalArgumentException(where + " is listed twice");
            }
            String timezone = text(entry, "timezone");
            if (timezone != null) {
                try {
                    ZoneId.of(timezone);
                } catch (DateTimeException e) {
                    throw new IllegalArgumentException(where + ": unknown timezone '" + timezone + "'");
                }
            }
            Map<String, String> credentials = new LinkedHashMap<>();
            JsonNode creds = entry.path("credentials");
            if (!creds.isMissingNode() && !creds.isNull()) {
                if (!creds.isObject()) {
                    throw new IllegalArgumentException(
                            where + ": credentials must map a name to an environment variable");
                }
                for (var field : (Iterable<Map.Entry<String, JsonNode>>) creds::fields) {
                    String value = field.getValue().asText();
                    var ref = ENV_REFERENCE.matcher(value);
                    String name = ref.matches() ? ref.group(1) : value;
                    if (!ENV_NAME.matcher(name).matches()) {
                        // never echo the value: it may be the secret itself
                        throw new IllegalArgumentException(
                                where + ": credentials." + field.getKey()
                                        + " must be the name of an environment variable (such as TAGO_TOKEN_BARN), not the secret");
                    }
                    credentials.put(field.getKey(), name);
                }
            }
            Pattern pattern = null;
            String dataset = null;
            JsonNode files = entry.path("files");
            if (!files.isMissingNode() && !files.isNull()) {
                if (files.isTextual()) {
                    pattern = pattern(where, files.asText());
                } else {
                    pattern = files.hasNonNull("pattern")
                            ? pattern(where, files.get("pattern").asText())
                            : null;
                    dataset = files.hasNonNull("dataset") ? files.get("dataset").asText() : null;
                }
            }
            Map<String, Object> metadata = Map.of();
            if (entry.hasNonNull("metadata")) {
                if (!entry.get("metadata").isObject()) {
                    throw new IllegalArgumentException(where + ": metadata must be a mapping");
                }
                metadata = json.convertValue(entry.get("metadata"), Map.class);
            }
            String kind = text(entry, "kind", "type", "device_type");
            out.add(new Datasource(
                    id,
                    kind == null
                            ? (pattern != null || dataset != null ? "file" : "unknown")
                            : kind.toLowerCase(Locale.ROOT),
                    text(entry, "alias", "name"),
                    text(entry, "client"),
                    text(entry, "site"),
                    text(entry, "description"),
                    timezone,
                    text(entry, "status"),
                    metadata,
                    credentials,
                    pattern,
                    dataset));
        }
        return out;
    }

    private static Pattern pattern(String where, String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(
                    where + ": files pattern is not a regular expression: " + e.getDescription());
        }
    }

    private static String text(JsonNode entry, String... keys) {
        for (String key : keys) {
            if (entry.hasNonNull(key)) {
                return entry.get(key).asText();
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> readMap(String text) {
        try {
            return text == null ? Map.of() : json.readValue(text, Map.class);
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }

    private static Map<String, String> stringMap(Map<String, Object> map) {
        Map<String, String> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
