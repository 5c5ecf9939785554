package io.camelingestor.datasource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Imports CEI-InOE's device CSV into the {@code datasource} table, at start when
 * {@code ingestor.datasources.import-csv} names the file (idempotent: a second run changes nothing).
 *
 * <p>Both of the original's shapes are read: {@code generic_device} ({@code device_id, device_type, alias,
 * client, description, status, timezone, metadata}, as its compose file seeds it) and the older {@code device}
 * ({@code device_id, device_token, device_name, client, alias}). The original's device types become kinds of
 * the HTTP sources that fetch them ({@code energy} → {@code tago}, {@code weather} → {@code airbeld},
 * {@code pv} → {@code fusionsolar}, {@code dairy} → {@code file}); the type is kept as
 * {@code metadata.device_type}. A token is never stored: the datasource's {@code credentials.token} names the
 * environment variable to put it in ({@code TAGO_TOKEN_<ID>}), and tokens found in metadata are dropped.
 * Datasources defined in {@code datasources.yaml} are left as the file says.
 */
@Component
public class DeviceCsvImport implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DeviceCsvImport.class);

    private final JdbcTemplate jdbc;
    private final DatasourceRegistry registry;
    private final String csv;
    private final ObjectMapper json = new ObjectMapper();

    public DeviceCsvImport(
            JdbcTemplate jdbc, DatasourceRegistry registry, @Value("${ingestor.datasources.import-csv:}") String csv) {
        this.jdbc = jdbc;
        this.registry = registry;
        this.csv = csv;
    }

    @Override
    public void run(ApplicationArguments args) throws IOException {
        if (csv != null && !csv.isBlank()) {
            int rows = importCsv(Path.of(csv));
            log.info("Device CSV {} imported: {} devices (datasources.yaml entries left as the file says)", csv, rows);
        }
    }

    /** Imports the file; returns the number of device rows read. */
    public int importCsv(Path file) throws IOException {
        registry.refresh(); // the file's datasources first: they win over the CSV
        int rows = 0;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVParser parser = CSVFormat.DEFAULT
                        .builder()
                        .setHeader()
                        .setSkipHeaderRecord(true)
                        .setIgnoreSurroundingSpaces(true)
                        .setIgnoreEmptyLines(true)
                        .get()
                        .parse(in)) {
            Map<String, String> columns = new LinkedHashMap<>();
            parser.getHeaderNames()
                    .forEach(h -> columns.put(h.replace("\uFEFF", "").strip().toLowerCase(Locale.ROOT), h));
            if (!columns.containsKey("device_id")) {
                throw new IllegalArgumentException(
                        file + ": a device CSV needs a device_id column (found " + parser.getHeaderNames() + ")");
            }
            for (CSVRecord record : parser) {
                String id = value(record, columns, "device_id");
                if (id == null) {
                    continue;
                }
                rows++;
                String type = value(record, columns, "device_type");
                Map<String, Object> metadata = metadata(value(record, columns, "metadata"), id);
                if (type != null) {
                    metadata.put("device_type", type);
                }
                if (value(record, columns, "device_name") != null) {
                    metadata.put("name", value(record, columns, "device_name"));
                }
                String kind = Datasource.kindOfOriginalType(type, columns.containsKey("device_token"));
                Map<String, String> credentials = new LinkedHashMap<>();
                if (value(record, columns, "device_token") != null || hadToken) {
                    String env = Datasource.tokenVariable(kind, id);
                    credentials.put("token", env);
                    log.warn("Device {}: its token is not stored here; set the environment variable {} to it", id, env);
                }
                jdbc.update(
                        """
                        INSERT INTO datasource (external_id, kind, alias, client, description, timezone, status,
                                                metadata, credentials, origin, updated_at)
                        VALUES (?, ?, ?, ?, ?, coalesce(?, 'UTC'), coalesce(?, 'unknown'), ?::jsonb, ?::jsonb, 'csv', now())
                        ON CONFLICT (external_id) DO UPDATE SET kind = EXCLUDED.kind, alias = EXCLUDED.alias,
                            client = EXCLUDED.client, description = EXCLUDED.description, timezone = EXCLUDED.timezone,
                            status = EXCLUDED.status, metadata = EXCLUDED.metadata, credentials = EXCLUDED.credentials,
                            origin = 'csv', updated_at = now()
                        WHERE datasource.origin <> 'registry'
                          AND (datasource.kind, datasource.alias, datasource.client, datasource.description,
                               datasource.timezone, datasource.status, datasource.metadata, datasource.credentials,
                               datasource.origin)
                              IS DISTINCT FROM (EXCLUDED.kind, EXCLUDED.alias, EXCLUDED.client, EXCLUDED.description,
                               EXCLUDED.timezone, EXCLUDED.status, EXCLUDED.metadata, EXCLUDED.credentials, 'csv')
                        """,
                        id,
                        kind,
                        value(record, columns, "alias"),
                        value(record, columns, "client"),
                        value(record, columns, "description"),
                        value(record, columns, "timezone"),
                        value(record, columns, "status"),
                        json.writeValueAsString(metadata),
                        json.writeValueAsString(credentials));
                hadToken = false;
            }
        }
        return rows;
    }

    /** Set by {@link #metadata} when it dropped a token from the row's metadata. */
    private boolean hadToken;

    private Map<String, Object> metadata(String text, String id) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        if (text != null && !text.isBlank()) {
            try {
                json.readTree(text).fields().forEachRemaining(f -> {
                    if (Datasource.isSecretKey(f.getKey())) {
                        hadToken = true; // a secret: never copied
                    } else {
                        metadata.put(f.getKey(), json.convertValue(f.getValue(), Object.class));
                    }
                });
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("device " + id + ": metadata is not JSON", e);
            }
        }
        return metadata;
    }

    private static String value(CSVRecord record, Map<String, String> columns, String column) {
        String header = columns.get(column);
        if (header == null || !record.isMapped(header) || !record.isSet(header)) {
            return null;
        }
        String value = record.get(header).strip();
        return value.isEmpty() ? null : value;
    }
}
