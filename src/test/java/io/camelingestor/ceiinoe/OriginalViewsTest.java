package io.camelingestor.ceiinoe;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The original's views exist here with its names, column names and column types: the original's schema is built
 * in a scratch database from its own migrations ({@code ../shared/original/db/migrations/}), every view's columns
 * are compared, and the same readings (loaded here through files, inserted there) give the same rows.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OriginalViewsTest extends CeiInoeTest {

    static final List<String> VIEWS = List.of(
            "v_energy_hourly",
            "v_energy_daily",
            "v_energy_monthly",
            "v_dairy_production_daily",
            "v_feed_efficiency_analysis",
            "v_production_summary",
            "v_environmental_metrics_daily",
            "v_air_quality_analysis",
            "v_environmental_summary",
            "v_pipeline_health",
            "v_data_quality_summary",
            "v_source_comparison",
            "device_energy",
            "device_weather");

    @Autowired
    DataSource dataSource;

    private String scratchDb;
    private Connection original;

    @BeforeAll
    void buildTheOriginalSchema() throws Exception {
        scratchDb =
                "ceiinoe_views_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        original = createOriginalDatabase(dataSource, scratchDb);
    }

    @AfterAll
    void dropTheScratchDatabase() throws Exception {
        dropDatabase(original, scratchDb);
    }

    @Test
    void everyViewHasTheOriginalsColumnNamesAndTypes() throws Exception {
        for (String view : VIEWS) {
            List<String> theirs = columns(original, view);
            List<String> ours;
            try (Connection connection = dataSource.getConnection()) {
                ours = columns(connection, view);
            }
            assertThat(theirs).as("the original's %s", view).isNotEmpty();
            assertThat(ours).as("view %s (name:type, in order)", view).isEqualTo(theirs);
        }
    }

    @Test
    void theSameReadingsGiveTheSameRows() throws Exception {
        // here: files through the pipeline
        String meter = newDeviceId();
        String hourly = meter + "-views-hourly.csv";
        String daily = meter + "-views-daily.csv";
        String env = "north-views-" + newDeviceId() + ".csv";
        String dairy = "herd-a-views-" + newDeviceId() + ".csv";
        drop("energy_hourly", hourly, "Date and Time,Hourly\n2019-08-01T00:00:00,1.5\n2019-08-01T01:00:00,2.25\n");
        drop("energy_daily", daily, "Date and Time,Daily\n2019-08-01,30.5\n2019-08-02,12\n2019-09-01,7\n");
        drop(
                "environmental_metrics",
                env,
                "timestamp,atm_pressure (hPa),noise_level_db (dB),temperature (°C),humidity (%),pm10 (µg/m³),"
                        + "wind_speed (m/s),wind_direction (sectors),wind_angle (°),pm2p5 (µg/m³)\n"
                        + "2019-06-01T10:00:00Z,1012.5,40,11.5,70,45,3,4,180,6\n"
                        + "2019-06-01T11:00:00Z,1011.0,42,12.5,65,55,5,2,90,14\n"
                        + "2019-06-02T10:00:00Z,1009.0,35,14.0,60,130,2,1,45,40\n");
        drop(
                "dairy_production",
                dairy,
                "Date,Day production/cow (kg),Nr. animals,Average lactation days,Fed per cow (kg) - Total,"
                        + "Fed per cow (kg) - Water,Feed efficiency,Rumination minutes\n"
                        + "2019-07-01,31.5,120,180,22.5,80,1.4,510\n"
                        + "2019-07-02,32.0,121,181,23.0,82,0,505\n");
        for (var batch : List.of(
                awaitBatch("energy_hourly", hourly),
                awaitBatch("energy_daily", daily),
                awaitBatch("environmental_metrics", env),
                awaitBatch("dairy_production", dairy))) {
            cleanUp(batch);
            assertThat(batch).containsEntry("status", "LOADED");
        }
        // there: the same readings inserted into the original's tables
        try (Statement s = original.createStatement()) {
            s.execute("INSERT INTO device (id, device_id, device_token, device_name) VALUES (1, '" + meter
                    + "', 'token-of-the-original', 'meter')");
            s.execute("INSERT INTO generic_device (id, device_id, device_type, client) VALUES (1, '" + meter
                    + "', 'energy', 'Unknown')");
            s.execute("INSERT INTO fact_energy_hourly (device_id, ts, energy_kwh) VALUES"
                    + " (1, '2019-08-01T00:00:00', 1.5), (1, '2019-08-01T01:00:00', 2.25)");
            s.execute("INSERT INTO fact_energy_daily (device_id, ts, energy_kwh) VALUES"
                    + " (1, '2019-08-01', 30.5), (1, '2019-08-02', 12), (1, '2019-09-01', 7)");
            s.execute(
                    """
                    INSERT INTO environmental_metrics (timestamp, atm_pressure, noise_level_db, temperature, humidity,
                        pm10, wind_speed, wind_direction_sectors, wind_angle, pm2p5) VALUES
                      ('2019-06-01T10:00:00Z', 1012.5, 40, 11.5, 70, 45, 3, 4, 180, 6),
                      ('2019-06-01T11:00:00Z', 1011.0, 42, 12.5, 65, 55, 5, 2, 90, 14),
                      ('2019-06-02T10:00:00Z', 1009.0, 35, 14.0, 60, 130, 2, 1, 45, 40)
                    """);
            s.execute(
                    """
                    INSERT INTO dairy_production (production_date, day_production_per_cow_kg, number_of_animals,
                        average_lactation_days, fed_per_cow_total_kg, fed_per_cow_water_kg, feed_efficiency,
                        rumination_minutes) VALUES
                      ('2019-07-01', 31.5, 120, 180, 22.5, 80, 1.4, 510),
                      ('2019-07-02', 32.0, 121, 181, 23.0, 82, 0, 505)
                    """);
        }
        String energy = " WHERE ts >= '2019-08-01' AND ts < '2019-10-01' ORDER BY ts";
        // device_token holds the external id here (no token is stored): compared without it
        assertSameRows(
                "SELECT client, alias, ts, energy_kwh, granularity FROM v_energy_hourly" + energy,
                "SELECT client, alias, ts, energy_kwh, granularity FROM v_energy_hourly WHERE device_token = '" + meter
                        + "' ORDER BY ts");
        assertSameRows(
                "SELECT client, alias, ts, energy_kwh, granularity FROM v_energy_daily" + energy,
                "SELECT client, alias, ts, energy_kwh, granularity FROM v_energy_daily WHERE device_token = '" + meter
                        + "' ORDER BY ts");
        assertSameRows(
                "SELECT client, alias, month, total_energy_kwh, data_points FROM v_energy_monthly ORDER BY month",
                "SELECT client, alias, month, total_energy_kwh, data_points FROM v_energy_monthly WHERE device_token = '"
                        + meter + "' ORDER BY month");
        String envDays = " WHERE measurement_date BETWEEN '2019-06-01' AND '2019-06-02'";
        assertSameRows("SELECT * FROM v_environmental_metrics_daily" + envDays);
        assertSameRows("SELECT * FROM v_air_quality_analysis" + envDays);
        assertSameRows("SELECT * FROM v_environmental_summary WHERE month = '2019-06-01'");
        String dairyDays = " WHERE production_date BETWEEN '2019-07-01' AND '2019-07-31'";
        assertSameRows("SELECT * FROM v_dairy_production_daily" + dairyDays);
        assertSameRows("SELECT * FROM v_feed_efficiency_analysis" + dairyDays);
        assertSameRows("SELECT * FROM v_production_summary WHERE month = '2019-07-01'");
        assertThat(rows(original, "SELECT * FROM v_air_quality_analysis" + envDays))
                .as("the rows compared are there")
                .hasSize(2);
    }

    @Test
    void theDeviceViewsShowTheRegistry() throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            assertThat(rows(
                            connection,
                            "SELECT device_id, device_token FROM device_energy WHERE device_id = 'reg-tago-1'"))
                    .containsExactly("reg-tago-1|null");
            assertThat(
                            rows(
                                    connection,
                                    "SELECT device_id, display_name, status FROM device_weather WHERE device_id = 'reg-airbeld-1'"))
                    .containsExactly("reg-airbeld-1|Registry station|online");
        }
    }

    private void assertSameRows(String sql) throws Exception {
        assertSameRows(sql, sql);
    }

    private void assertSameRows(String theirs, String ours) throws Exception {
        List<String> expected = rows(original, theirs);
        List<String> actual;
        try (Connection connection = dataSource.getConnection()) {
            actual = rows(connection, ours);
        }
        assertThat(expected).as(theirs).isNotEmpty();
        assertThat(actual).as(ours).isEqualTo(expected);
    }

    private static List<String> rows(Connection connection, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.append(i == 1 ? "" : "|").append(rs.getString(i));
                }
                out.add(row.toString());
            }
        }
        return out;
    }

    /** A view's columns as {@code name:type} in order, types as {@code format_type} prints them. */
    private static List<String> columns(Connection connection, String view) throws Exception {
        List<String> out = new ArrayList<>();
        try (var s = connection.prepareStatement(
                """
                SELECT a.attname, format_type(a.atttypid, a.atttypmod)
                FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                WHERE c.relname = ? AND c.relkind = 'v' AND c.relnamespace = 'public'::regnamespace
                  AND a.attnum > 0 AND NOT a.attisdropped
                ORDER BY a.attnum
                """)) {
            s.setString(1, view);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1) + ":" + rs.getString(2));
                }
            }
        }
        return out;
    }
}
