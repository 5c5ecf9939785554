package io.camelingestor.ceiinoe;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.camelingestor.ops.CeiInoeImport;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * An existing CEI-InOE database carries over: built from the original's migrations with rows in every table,
 * imported twice; the second import adds nothing.
 */
class CeiInoeImportTest extends CeiInoeTest {

    @Autowired
    DataSource dataSource;

    @Autowired
    CeiInoeImport importer;

    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String scratch = "ceiinoe_import_" + suffix;
    private Connection original;

    @AfterEach
    void dropTheOriginal() throws Exception {
        jdbc.update("DELETE FROM api_fetch_cursor WHERE device_id LIKE ?", "%-" + suffix);
        for (Map<String, Object> batch :
                jdbc.queryForList("SELECT id FROM ingest_batch WHERE device_id LIKE ?", "%-" + suffix)) {
            cleanUp(batch);
        }
        removeRowsOfThisTest();
        jdbc.update("DELETE FROM datasource WHERE external_id LIKE ?", "%-" + suffix);
        dropDatabase(original, scratch);
    }

    @Test
    void everyTableCarriesOverOnceEvenWhenImportedTwice() throws Exception {
        original = createOriginalDatabase(dataSource, scratch);
        String meter = "meter-" + suffix;
        String station = "station-" + suffix;
        String herd = "herd-" + suffix;
        UUID hourly = UUID.randomUUID();
        UUID daily = UUID.randomUUID();
        UUID env = UUID.randomUUID();
        UUID dairy = UUID.randomUUID();
        try (Statement s = original.createStatement()) {
            s.execute("INSERT INTO device (id, device_id, device_token, device_name, client, alias) VALUES" + " (1, '"
                    + meter + "', 'orig-token-5ecret', 'Barn', 'Farm A', 'Barn meter')");
            s.execute(
                    "INSERT INTO generic_device (id, device_id, device_type, alias, client, description, status, timezone, metadata) VALUES"
                            + " (1, '" + meter + "', 'energy', 'Barn meter', 'Farm A', NULL, 'online', 'Europe/Athens',"
                            + "  '{\"name\": \"Barn\", \"device_token\": \"orig-token-5ecret\"}'),"
                            + " (2, '" + station
                            + "', 'weather', 'Yard', 'Farm A', 'Yard station', 'online', 'UTC', '{\"location\": \"yard\"}'),"
                            + " (3, '" + herd + "', 'dairy', 'Herd', 'Farm A', NULL, 'online', 'UTC', '{}')");
            s.execute(
                    "INSERT INTO ingest_file (file_id, file_name, device_id, granularity, start_date, end_date, sha256,"
                            + " validation_status, quality_score, execution_time_ms) VALUES"
                            + " ('" + hourly
                            + "', 'barn-hourly.csv', '1', 'hourly', '2018-01-01', '2018-01-01', 'sha-h-" + suffix
                            + "', 'passed', 100, 12),"
                            + " ('" + daily + "', 'barn-daily.csv', '1', 'daily', '2018-01-01', '2018-01-01', 'sha-d-"
                            + suffix + "', 'passed', 100, 9),"
                            + " ('" + env + "', 'yard.csv', '2', 'hourly', '2018-01-01', '2018-01-01', 'sha-e-" + suffix
                            + "', 'passed', 100, 7),"
                            + " ('" + dairy + "', 'herd.xlsx', '3', 'daily', '2018-01-01', '2018-01-02', 'sha-p-"
                            + suffix + "', 'partial', 50, 30)");
            s.execute("INSERT INTO fact_energy_hourly (device_id, ts, energy_kwh, source_file) VALUES"
                    + " (1, '2018-01-01 00:00:00', 1.5, '" + hourly + "'), (1, '2018-01-01 01:00:00', 2.5, '" + hourly
                    + "')");
            s.execute(
                    "INSERT INTO fact_energy_daily (device_id, ts, energy_kwh, source_file) VALUES (1, '2018-01-01', 30, '"
                            + daily + "')");
            s.execute("INSERT INTO environmental_metrics (timestamp, temperature, humidity, pm10, source_file) VALUES"
                    + " ('2018-01-01T10:00:00Z', 10.5, 80, 20, '" + env + "')");
            s.execute(
                    "INSERT INTO dairy_production (production_date, day_production_per_cow_kg, number_of_animals, source_file)"
                            + " VALUES ('2018-01-01', 30.5, 100, '" + dairy + "')");
            s.execute(
                    "INSERT INTO pipeline_execution (file_id, pipeline_name, stage, started_at, completed_at, status, records_in, records_out)"
                            + " VALUES ('" + hourly
                            + "', 'energy_hourly', 'load', '2018-01-02T00:00:00Z', '2018-01-02T00:00:01Z', 'success', 2, 2)");
            s.execute(
                    "INSERT INTO data_quality_checks (file_id, dataset, check_type, check_name, passed, failed_count, total_count,"
                            + " failure_rate, sample_failures, checked_at) VALUES ('" + dairy
                            + "', 'dairy_production', 'range',"
                            + " 'number_of_animals', false, 1, 2, 50, '[{\"row\": 3}]', '2018-01-02T00:00:00Z')");
            for (String staging : List.of(
                    "staging_environmental_metrics",
                    "staging_energy_hourly",
                    "staging_energy_daily",
                    "staging_dairy_production")) {
                s.execute(
                        "INSERT INTO " + staging + " (file_id, row_number, raw_data, is_valid, loaded_to_final) VALUES"
                                + " ('" + dairy + "', 1, '{}', true, true)");
            }
            s.execute("INSERT INTO api_fetch_cursor (connector_id, endpoint_id, device_id, last_fetch_timestamp) VALUES"
                    + " ('airbeld_environmental', 'readings', '" + station + "', '2018-02-01T00:00:00Z'),"
                    + " ('tago', 'hourly', '" + meter + "', '2018-02-02T00:00:00Z')");
        }
        // the test covers every table of the original schema
        List<String> empty = new ArrayList<>();
        try (Statement s = original.createStatement();
                ResultSet tables = s.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")) {
            List<String> names = new ArrayList<>();
            while (tables.next()) {
                names.add(tables.getString(1));
            }
            for (String table : names) {
                try (Statement c = original.createStatement();
                        ResultSet rs = c.executeQuery("SELECT count(*) FROM " + table)) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        empty.add(table);
                    }
                }
            }
        }
        assertThat(empty).as("tables of the original left empty").isEmpty();
        // a JDBC URL as a user gives it to the import, with its credentials (the embedded database needs its password)
        String url = url((HikariDataSource) dataSource, scratch) + "&password="
                + URLEncoder.encode(((HikariDataSource) dataSource).getPassword(), StandardCharsets.UTF_8);

        Map<String, Long> first;
        try (Connection source = CeiInoeImport.connect(url)) {
            first = importer.importFrom(source);
        }
        Map<String, Long> second;
        try (Connection source = CeiInoeImport.connect(url)) {
            second = importer.importFrom(source);
        }

        assertThat(first)
                .containsEntry("datasource", 3L)
                .containsEntry("ingest_batch", 4L)
                .containsEntry("fact_energy_hourly", 2L)
                .containsEntry("fact_energy_daily", 1L)
                .containsEntry("environmental_metrics", 1L)
                .containsEntry("dairy_production", 1L)
                .containsEntry("pipeline_execution", 1L)
                .containsEntry("data_quality_check", 1L)
                .containsEntry("api_fetch_cursor", 2L);
        assertThat(second.values())
                .as("a second import adds nothing: %s", second)
                .containsOnly(0L);

        assertThat(jdbc.queryForMap(
                        "SELECT kind, alias, client, timezone, credentials->>'token' AS token, origin FROM datasource WHERE external_id = ?",
                        meter))
                .containsEntry("kind", "tago")
                .containsEntry("alias", "Barn meter")
                .containsEntry("timezone", "Europe/Athens")
                .containsEntry("token", "TAGO_TOKEN_" + meter.toUpperCase().replace('-', '_'))
                .containsEntry("origin", "import");
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM datasource WHERE datasource::text LIKE '%5ecret%'", Long.class))
                .isZero();
        assertThat(jdbc.queryForMap(
                        "SELECT dataset, status, device_id, granularity, quality_score::text AS q, content_type FROM ingest_batch WHERE id = ?",
                        dairy))
                .containsEntry("dataset", "dairy_production")
                .containsEntry("status", "PARTIAL")
                .containsEntry("device_id", herd)
                .containsEntry("granularity", "daily")
                .containsEntry("q", "50.00")
                .containsEntry("content_type", "xlsx");
        assertThat(jdbc.queryForList(
                        "SELECT to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') || ' ' || energy_kwh FROM fact_energy_hourly"
                                + " WHERE device_id = ? AND batch_id = ? ORDER BY ts",
                        String.class,
                        meter,
                        hourly))
                .containsExactly("2018-01-01 00:00 1.5", "2018-01-01 01:00 2.5");
        assertThat(jdbc.queryForObject(
                        "SELECT device_id FROM environmental_metrics WHERE batch_id = ?", String.class, env))
                .isEqualTo(station);
        assertThat(jdbc.queryForObject(
                        "SELECT device_id || ' ' || number_of_animals FROM dairy_production WHERE batch_id = ?",
                        String.class,
                        dairy))
                .isEqualTo(herd + " 100");
        assertThat(jdbc.queryForObject(
                        "SELECT stage || ' ' || records_out FROM pipeline_execution WHERE batch_id = ?",
                        String.class,
                        hourly))
                .isEqualTo("load 2");
        assertThat(jdbc.queryForObject(
                        "SELECT column_name || ' ' || failed_count || '/' || total_count FROM data_quality_check WHERE batch_id = ?",
                        String.class,
                        dairy))
                .isEqualTo("number_of_animals 1/2");
        assertThat(jdbc.queryForList(
                        "SELECT source_id || ' ' || device_id FROM api_fetch_cursor WHERE device_id IN (?, ?) ORDER BY source_id",
                        String.class,
                        meter,
                        station))
                .containsExactly("airbeld " + station, "tago.hourly " + meter);
    }
}
