package io.camelingestor.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelingestor.batch.BatchStatus;
import io.camelingestor.core.CeiInoeSettings;
import io.camelingestor.datasource.Datasource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The one-shot import of an existing CEI-InOE database into this service's schema: its devices
 * ({@code generic_device}, {@code device}) into {@code datasource}, its inputs ({@code ingest_file}) into
 * {@code ingest_batch} (same ids), its dataset rows, its pipeline stages and quality checks, and its API cursors.
 * Idempotent: rows already there are left alone, so a second run adds nothing. Started by
 * {@code ingestor.ceiinoe-import.dsn} (a {@code postgres://} DSN, as {@code DB_DSN}, or a JDBC URL); with
 * {@code ingestor.ceiinoe-import.exit=true} the service stops when the import is done.
 *
 * <p>Not imported: staging rows (they describe inputs already loaded) and device tokens (secrets live in the
 * environment; see the datasource registry). Naive timestamps of the original ({@code fact_energy_hourly.ts})
 * are read as UTC, as the original's mappings are read here.
 */
@Component
public class CeiInoeImport implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(CeiInoeImport.class);

    public static final String SOURCE_ID = "ceiinoe-import";

    /** The original's dataset tables and the dataset (mapping) each holds. */
    private static final Map<String, String> DATASET_OF_TABLE = Map.of(
            "fact_energy_hourly", "energy_hourly",
            "fact_energy_daily", "energy_daily",
            "environmental_metrics", "environmental_metrics",
            "dairy_production", "dairy_production");

    private static final int CHUNK = 1000;

    private final JdbcTemplate jdbc;
    private final String dsn;
    private final boolean exit;
    private final ConfigurableApplicationContext context;
    private final ObjectMapper json = new ObjectMapper();

    public CeiInoeImport(
            JdbcTemplate jdbc,
            ConfigurableApplicationContext context,
            @Value("${ingestor.ceiinoe-import.dsn:}") String dsn,
            @Value("${ingestor.ceiinoe-import.exit:false}") boolean exit) {
        this.jdbc = jdbc;
        this.context = context;
        this.dsn = dsn;
        this.exit = exit;
    }

    @Override
    public void run(ApplicationArguments args) throws SQLException {
        if (dsn == null || dsn.isBlank()) {
            return;
        }
        Map<String, Long> counts;
        try (Connection source = connect(dsn)) {
            counts = importFrom(source);
        }
        log.info("CEI-InOE database imported (rows added per table; 0 where it was imported before): {}", counts);
        if (exit) {
            int code = SpringApplication.exit(context, () -> 0);
            System.exit(code);
        }
    }

    /** Connects to the original's database, read-only; the DSN's password never reaches a log or an error. */
    public static Connection connect(String dsn) throws SQLException {
        String url;
        String user = null;
        String password = null;
        if (dsn.startsWith("jdbc:")) {
            url = dsn;
        } else {
            Map<String, Object> settings = CeiInoeSettings.dataSource(dsn);
            url = (String) settings.get("spring.datasource.url");
            user = (String) settings.get("spring.datasource.username");
            password = (String) settings.get("spring.datasource.password");
        }
        Connection connection = DriverManager.getConnection(url, user, password);
        connection.setReadOnly(true);
        connection.setAutoCommit(false); // a cursor (fetch size) streams large tables
        return connection;
    }

    /**
     * Imports everything the original database holds; returns the rows added per table of this service.
     */
    public Map<String, Long> importFrom(Connection source) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        Map<Integer, String> deviceIds = new HashMap<>();
        counts.put("datasource", importDevices(source, deviceIds));
        Map<UUID, String> datasetOfFile = datasetsOfFiles(source);
        counts.put("ingest_batch", importFiles(source, deviceIds, datasetOfFile));
        counts.put("fact_energy_hourly", importFacts(source, "fact_energy_hourly", deviceIds));
        counts.put("fact_energy_daily", importFacts(source, "fact_energy_daily", deviceIds));
        counts.put("environmental_metrics", importFacts(source, "environmental_metrics", deviceIds));
        counts.put("dairy_production", importFacts(source, "dairy_production", deviceIds));
        counts.put("pipeline_execution", importStages(source));
        counts.put("data_quality_check", importQualityChecks(source));
        counts.put("api_fetch_cursor", importCursors(source));
        source.rollback(); // read only: ends the read transaction
        return counts;
    }

    private long importDevices(Connection source, Map<Integer, String> ids) throws SQLException {
        long added = 0;
        // generic_device (V008) first: the dataset rows reference its ids; then the older device table
        if (exists(source, "generic_device")) {
            try (PreparedStatement s = source.prepareStatement(
                            "SELECT id, device_id, device_type, alias, client, description, status, timezone,"
                                    + " metadata::text FROM generic_device ORDER BY id");
                    ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String external = rs.getString(2);
                    ids.put(rs.getInt(1), external);
                    Map<String, Object> metadata = new LinkedHashMap<>();
                    boolean token = false;
                    if (rs.getString(9) != null) {
                        try {
                            for (var field : (Iterable<Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>>)
                                    json.readTree(rs.getString(9))::fields) {
                                if (Datasource.isSecretKey(field.getKey())) {
                                    token = true; // a secret: never copied
                                } else {
                                    metadata.put(field.getKey(), json.convertValue(field.getValue(), Object.class));
                                }
                            }
                        } catch (JsonProcessingException e) {
                            throw new IllegalStateException("generic_device " + external + ": metadata is not JSON", e);
                        }
                    }
                    metadata.put("device_type", rs.getString(3));
                    added += insertDatasource(
                            external,
                            kind(rs.getString(3), token),
                            rs.getString(4),
                            rs.getString(5),
                            rs.getString(6),
                            rs.getString(8),
                            rs.getString(7),
                            metadata,
                            token);
                }
            }
        }
        if (exists(source, "device")) {
            try (PreparedStatement s = source.prepareStatement("SELECT * FROM device ORDER BY id");
                    ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String external = rs.getString("device_id");
                    ids.putIfAbsent(rs.getInt("id"), external);
                    Map<String, Object> metadata = new LinkedHashMap<>();
                    String name = column(rs, "device_name");
                    if (name != null) {
                        metadata.put("name", name);
                    }
                    String type = column(rs, "device_type");
                    if (type != null) {
                        metadata.put("device_type", type);
                    }
                    boolean token = column(rs, "device_token") != null;
                    added += insertDatasource(
                            external,
                            kind(type, token),
                            column(rs, "alias"),
                            column(rs, "client"),
                            null,
                            null,
                            column(rs, "status"),
                            metadata,
                            token);
                }
            }
        }
        return added;
    }

    private int insertDatasource(
            String external,
            String kind,
            String alias,
            String client,
            String description,
            String timezone,
            String status,
            Map<String, Object> metadata,
            boolean hadToken)
            throws SQLException {
        Map<String, String> credentials =
                hadToken ? Map.of("token", Datasource.tokenVariable(kind, external)) : Map.of();
        try {
            return jdbc.update(
                    """
                    INSERT INTO datasource (external_id, kind, alias, client, description, timezone, status, metadata,
                                            credentials, origin)
                    VALUES (?, ?, ?, ?, ?, coalesce(?, 'UTC'), coalesce(?, 'unknown'), ?::jsonb, ?::jsonb, 'import')
                    ON CONFLICT (external_id) DO NOTHING
                    """,
                    external,
                    kind,
                    alias,
                    client,
                    description,
                    timezone,
                    status,
                    json.writeValueAsString(metadata),
                    json.writeValueAsString(credentials));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String kind(String type, boolean hasToken) {
        return Datasource.kindOfOriginalType(type, hasToken);
    }

    /** Which dataset each input loaded, from the dataset tables that name it. */
    private Map<UUID, String> datasetsOfFiles(Connection source) throws SQLException {
        Map<UUID, String> out = new HashMap<>();
        for (var table : DATASET_OF_TABLE.entrySet()) {
            if (exists(source, table.getKey()) && hasColumn(source, table.getKey(), "source_file")) {
                try (PreparedStatement s = source.prepareStatement("SELECT DISTINCT source_file FROM " + table.getKey()
                                + " WHERE source_file IS NOT NULL");
                        ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        out.putIfAbsent(rs.getObject(1, UUID.class), table.getValue());
                    }
                }
            }
        }
        return out;
    }

    private long importFiles(Connection source, Map<Integer, String> deviceIds, Map<UUID, String> datasetOfFile)
            throws SQLException {
        if (!exists(source, "ingest_file")) {
            return 0;
        }
        long added = 0;
        try (PreparedStatement s = source.prepareStatement("SELECT * FROM ingest_file ORDER BY ingested_at")) {
            s.setFetchSize(CHUNK);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject("file_id", UUID.class);
                    String fileName = rs.getString("file_name");
                    String device = device(rs.getString("device_id"), deviceIds);
                    if (device != null) {
                        jdbc.update(
                                "INSERT INTO datasource (external_id, origin) VALUES (?, 'import') ON CONFLICT DO NOTHING",
                                device);
                    }
                    String validation = column(rs, "validation_status");
                    BatchStatus status = validation == null
                            ? BatchStatus.LOADED
                            : switch (validation.toLowerCase(Locale.ROOT)) {
                                case "partial" -> BatchStatus.PARTIAL;
                                case "failed" -> BatchStatus.REJECTED;
                                default -> BatchStatus.LOADED;
                            };
                    Map<String, Object> metadata = new LinkedHashMap<>();
                    metadata.put("importedFrom", "ceiinoe");
                    metadata.put("fileName", fileName);
                    metadata.put("startDate", rs.getString("start_date"));
                    metadata.put("endDate", rs.getString("end_date"));
                    metadata.put("executionTimeMs", column(rs, "execution_time_ms"));
                    Timestamp at = rs.getTimestamp("ingested_at");
                    String lower = fileName.toLowerCase(Locale.ROOT);
                    try {
                        added += jdbc.update(
                                """
                                INSERT INTO ingest_batch (id, source_id, dataset, input_id, sha256, source_uri, device_id,
                                    content_type, status, node_id, metadata, started_at, finished_at, quality_score,
                                    granularity)
                                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, coalesce(?::timestamptz, now()), coalesce(?::timestamptz, now()),
                                        ?::numeric, ?)
                                ON CONFLICT DO NOTHING
                                """,
                                id,
                                SOURCE_ID,
                                datasetOfFile.getOrDefault(id, "unknown"),
                                fileName + ":" + rs.getString("sha256"),
                                rs.getString("sha256"),
                                fileName,
                                device,
                                lower.endsWith(".xlsx") || lower.endsWith(".xls") ? "xlsx" : "csv",
                                status.name(),
                                SOURCE_ID,
                                json.writeValueAsString(metadata),
                                at,
                                at,
                                column(rs, "quality_score"),
                                rs.getString("granularity"));
                    } catch (JsonProcessingException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return added;
    }

    /** An original device reference (an id of its device tables, or an external id) as an external id. */
    private static String device(String value, Map<Integer, String> deviceIds) {
        if (value == null || value.isBlank() || value.equals("None") || value.equals("unknown")) {
            return null;
        }
        if (value.matches("\\d+") && deviceIds.containsKey(Integer.parseInt(value))) {
            return deviceIds.get(Integer.parseInt(value));
        }
        return value;
    }

    private long importFacts(Connection source, String table, Map<Integer, String> deviceIds) throws SQLException {
        if (!exists(source, table)) {
            return 0;
        }
        List<String> values =
                switch (table) {
                    case "fact_energy_hourly", "fact_energy_daily" -> List.of("ts", "energy_kwh");
                    case "environmental_metrics" ->
                        List.of(
                                "timestamp",
                                "atm_pressure",
                                "noise_level_db",
                                "temperature",
                                "humidity",
                                "pm10",
                                "wind_speed",
                                "wind_direction_sectors",
                                "wind_angle",
                                "pm2p5");
                    default ->
                        List.of(
                                "production_date",
                                "day_production_per_cow_kg",
                                "number_of_animals",
                                "average_lactation_days",
                                "fed_per_cow_total_kg",
                                "fed_per_cow_water_kg",
                                "feed_efficiency",
                                "rumination_minutes");
                };
        boolean energy = table.startsWith("fact_energy");
        boolean hasSourceFile = hasColumn(source, table, "source_file");
        boolean hasSourceDevice = hasColumn(source, table, "source_device_id");
        StringBuilder select = new StringBuilder("SELECT ");
        select.append(energy ? "device_id::text" : hasSourceDevice ? "source_device_id" : "NULL::text")
                .append(", ")
                .append(hasSourceFile ? "source_file" : "NULL::uuid");
        for (String column : values) {
            select.append(", \"").append(column).append("\"::text");
        }
        select.append(" FROM ").append(table);
        // the target's types, so that each text is cast as its column wants it (naive ts read as UTC)
        StringBuilder insert = new StringBuilder("INSERT INTO ").append(table).append(" (device_id, batch_id");
        values.forEach(c -> insert.append(", \"").append(c).append('"'));
        insert.append(") SELECT ?, (SELECT b.id FROM ingest_batch b WHERE b.id = ?::uuid)");
        for (String column : values) {
            String type = jdbc.queryForObject(
                    "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = ?::regclass AND attname = ?",
                    String.class,
                    table,
                    column);
            insert.append(", ?::")
                    .append(type.equals("timestamp with time zone") && energy ? "timestamp AT TIME ZONE 'UTC'" : type);
        }
        insert.append(" ON CONFLICT DO NOTHING");
        long added = 0;
        List<Object[]> chunk = new ArrayList<>();
        try (PreparedStatement s = source.prepareStatement(select.toString())) {
            s.setFetchSize(CHUNK);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Object[] row = new Object[values.size() + 2];
                    String device = energy ? device(rs.getString(1), deviceIds) : rs.getString(1);
                    UUID file = rs.getObject(2, UUID.class);
                    if (device == null && file != null) {
                        device = batchDevice(file);
                    }
                    if (device != null) {
                        jdbc.update(
                                "INSERT INTO datasource (external_id, origin) VALUES (?, 'import') ON CONFLICT DO NOTHING",
                                device);
                    }
                    row[0] = device;
                    row[1] = file == null ? null : file.toString();
                    for (int i = 0; i < values.size(); i++) {
                        row[i + 2] = rs.getString(i + 3);
                    }
                    chunk.add(row);
                    if (chunk.size() == CHUNK) {
                        added += flush(insert.toString(), chunk);
                    }
                }
            }
        }
        return added + flush(insert.toString(), chunk);
    }

    private String batchDevice(UUID file) {
        return jdbc.query("SELECT device_id FROM ingest_batch WHERE id = ?", (rs, n) -> rs.getString(1), file).stream()
                .filter(java.util.Objects::nonNull)
                .findFirst()
                .orElse(null);
    }

    private long flush(String sql, List<Object[]> chunk) {
        long added = 0;
        if (!chunk.isEmpty()) {
            for (int n : jdbc.batchUpdate(sql, chunk)) {
                added += Math.max(n, 0);
            }
            chunk.clear();
        }
        return added;
    }

    private long importStages(Connection source) throws SQLException {
        if (!exists(source, "pipeline_execution")) {
            return 0;
        }
        String sql =
                """
                INSERT INTO pipeline_execution (batch_id, stage, started_at, finished_at, status, records_in, records_out,
                                                error)
                SELECT b.id, ?, ?::timestamptz, coalesce(?::timestamptz, ?::timestamptz), ?, coalesce(?::bigint, 0),
                       coalesce(?::bigint, 0), ?
                FROM ingest_batch b
                WHERE b.id = ?::uuid
                  AND NOT EXISTS (SELECT 1 FROM pipeline_execution p WHERE p.batch_id = b.id AND p.stage = ?
                                  AND p.started_at = ?::timestamptz)
                """;
        List<Object[]> chunk = new ArrayList<>();
        long added = 0;
        try (PreparedStatement s = source.prepareStatement(
                "SELECT file_id, stage, started_at, completed_at, status, records_in, records_out, error_message"
                        + " FROM pipeline_execution WHERE file_id IS NOT NULL ORDER BY id")) {
            s.setFetchSize(CHUNK);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Timestamp started = rs.getTimestamp(3);
                    chunk.add(new Object[] {
                        rs.getString(2),
                        started,
                        rs.getTimestamp(4),
                        started,
                        rs.getString(5),
                        rs.getObject(6),
                        rs.getObject(7),
                        rs.getString(8),
                        rs.getObject(1, UUID.class),
                        rs.getString(2),
                        started
                    });
                    if (chunk.size() == CHUNK) {
                        added += flush(sql, chunk);
                    }
                }
            }
        }
        return added + flush(sql, chunk);
    }

    private long importQualityChecks(Connection source) throws SQLException {
        if (!exists(source, "data_quality_checks")) {
            return 0;
        }
        String sql =
                """
                INSERT INTO data_quality_check (batch_id, dataset, check_type, column_name, failed_count, total_count,
                                                sample_failures, checked_at)
                SELECT b.id, ?, ?, ?, coalesce(?::bigint, 0), coalesce(?::bigint, 0), coalesce(?::jsonb, '[]'),
                       coalesce(?::timestamptz, now())
                FROM ingest_batch b
                WHERE b.id = ?::uuid
                  AND NOT EXISTS (SELECT 1 FROM data_quality_check q WHERE q.batch_id = b.id AND q.check_type = ?
                                  AND q.column_name IS NOT DISTINCT FROM ?::text AND q.checked_at = ?::timestamptz)
                """;
        List<Object[]> chunk = new ArrayList<>();
        long added = 0;
        try (PreparedStatement s = source.prepareStatement(
                "SELECT file_id, dataset, check_type, check_name, failed_count, total_count, sample_failures::text,"
                        + " checked_at FROM data_quality_checks WHERE file_id IS NOT NULL ORDER BY id")) {
            s.setFetchSize(CHUNK);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    chunk.add(new Object[] {
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getObject(5),
                        rs.getObject(6),
                        rs.getString(7),
                        rs.getTimestamp(8),
                        rs.getObject(1, UUID.class),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getTimestamp(8)
                    });
                    if (chunk.size() == CHUNK) {
                        added += flush(sql, chunk);
                    }
                }
            }
        }
        return added + flush(sql, chunk);
    }

    /**
     * The original's cursors ({@code connector_id, endpoint_id, device_id}) under this service's source ids:
     * {@code tago}/{@code fusionsolar} with an endpoint naming hourly, daily or monthly become
     * {@code tago.hourly}, ...; Airbeld's become {@code airbeld}; others {@code <connector>.<endpoint>}. A cursor
     * only moves forward.
     */
    private long importCursors(Connection source) throws SQLException {
        if (!exists(source, "api_fetch_cursor")) {
            return 0;
        }
        long added = 0;
        try (PreparedStatement s = source.prepareStatement(
                        "SELECT connector_id, endpoint_id, device_id, last_fetch_timestamp FROM api_fetch_cursor");
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                added += jdbc.update(
                        """
                        INSERT INTO api_fetch_cursor (source_id, device_id, last_ts) VALUES (?, ?, ?::timestamptz)
                        ON CONFLICT (source_id, device_id) DO UPDATE SET last_ts = EXCLUDED.last_ts, updated_at = now()
                        WHERE api_fetch_cursor.last_ts < EXCLUDED.last_ts
                        """,
                        sourceId(rs.getString(1), rs.getString(2)),
                        rs.getString(3),
                        rs.getTimestamp(4));
            }
        }
        return added;
    }

    static String sourceId(String connector, String endpoint) {
        String c = connector.toLowerCase(Locale.ROOT);
        String e = endpoint == null ? "" : endpoint.toLowerCase(Locale.ROOT);
        if (c.startsWith("airbeld")) {
            return "airbeld";
        }
        for (String kind : List.of("tago", "fusionsolar")) {
            if (c.startsWith(kind)) {
                for (String granularity : List.of("hourly", "daily", "monthly")) {
                    if (e.contains(granularity) || c.contains(granularity)) {
                        return kind + "." + granularity;
                    }
                }
            }
        }
        return e.isEmpty() ? connector : connector + "." + endpoint;
    }

    private static boolean exists(Connection source, String table) throws SQLException {
        try (PreparedStatement s = source.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            s.setString(1, table);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static boolean hasColumn(Connection source, String table, String column) throws SQLException {
        try (PreparedStatement s = source.prepareStatement(
                "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?"
                        + " AND column_name = ?")) {
            s.setString(1, table);
            s.setString(2, column);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** A column's text, or null when the result has no such column (older versions of the original schema). */
    private static String column(ResultSet rs, String name) throws SQLException {
        try {
            rs.findColumn(name);
        } catch (SQLException e) {
            return null;
        }
        return rs.getString(name);
    }
}
