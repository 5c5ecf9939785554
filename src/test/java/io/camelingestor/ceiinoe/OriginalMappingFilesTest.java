package io.camelingestor.ceiinoe;

import static org.assertj.core.api.Assertions.assertThat;

import io.camelingestor.dataset.MappingRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The original's mapping files, verbatim, do what they did: every one loads, the device is always part of the
 * key, a file's device comes from its name or the registry (or the file is rejected naming why), and the
 * watch folder finds a file's dataset by the original's header rules.
 */
class OriginalMappingFilesTest extends CeiInoeTest {

    @Autowired
    MappingRegistry mappings;

    @Test
    void everyOriginalMappingFileAndTheWikiExampleLoadUnchanged() throws IOException {
        List<String> originals;
        try (Stream<Path> files = Files.list(ORIGINAL_MAPPINGS)) {
            originals = files.map(f -> f.getFileName().toString().replace(".yaml", ""))
                    .sorted()
                    .toList();
        }
        assertThat(originals).contains("energy_hourly", "energy_daily", "environmental_metrics", "dairy_production");
        mappings.refreshAll();

        assertThat(properties.mappingsDir()).isEqualTo(MAPPINGS.toAbsolutePath()); // MAPPINGS_DIR
        assertThat(mappings.errors()).isEmpty();
        assertThat(mappings.names()).containsAll(originals).contains("wiki_energy_hourly");
        // for (1) a file's bytes are the original's: nothing was rewritten on the way
        for (String name : originals) {
            assertThat(MAPPINGS.resolve(name + ".yaml"))
                    .hasSameBinaryContentAs(ORIGINAL_MAPPINGS.resolve(name + ".yaml"));
        }
    }

    @Test
    void keysThatLeaveTheDeviceOutAreKeyedPerDevice() {
        assertThat(onColumns("environmental_metrics")).containsExactly("device_id", "timestamp");
        assertThat(onColumns("dairy_production")).containsExactly("device_id", "production_date");
        assertThat(onColumns("api_environmental_metrics")).containsExactly("device_id", "timestamp");
        assertThat(onColumns("energy_hourly")).containsExactly("device_id", "ts");
        // the wiki's [source_batch_id, ts]
        assertThat(onColumns("wiki_energy_hourly")).containsExactly("device_id", "ts");
    }

    @Test
    void twoMetersWithTheSameHoursKeepTheirOwnRows() throws Exception {
        String a = newDeviceId();
        String b = newDeviceId();
        StringBuilder day = new StringBuilder("Date and Time,Hourly\n");
        for (int h = 0; h < 24; h++) {
            day.append("2025-02-03T%02d:00:00,%d.5\n".formatted(h, h));
        }
        drop("energy_hourly", a + "-hourly.csv", day.toString());
        drop("energy_hourly", b + "-hourly.csv", day.toString().replace(".5\n", ".25\n"));

        Map<String, Object> first = awaitBatch("energy_hourly", a + "-hourly.csv");
        Map<String, Object> second = awaitBatch("energy_hourly", b + "-hourly.csv");
        cleanUp(first);
        cleanUp(second);

        assertThat(first).containsEntry("status", "LOADED").containsEntry("device_id", a);
        assertThat(second).containsEntry("status", "LOADED").containsEntry("device_id", b);
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM fact_energy_hourly WHERE device_id IN (?, ?)", Long.class, a, b))
                .isEqualTo(48L);
        assertThat(jdbc.queryForObject(
                        "SELECT sum(energy_kwh) FROM fact_energy_hourly WHERE device_id = ?", Double.class, b))
                .isEqualTo(282.0); // 0.25 + 1.25 + ... + 23.25: b's own values, not a's
        // the mapping's granularity is kept with the batch
        assertThat(first).containsEntry("granularity", "hourly");
    }

    @Test
    void environmentalFilesTakeTheirDeviceFromTheRegistryAndNeverOverwriteAnotherStation() throws Exception {
        String header = "timestamp,atm_pressure (hPa),noise_level_db (dB),temperature (°C),humidity (%),pm10 (µg/m³),"
                + "wind_speed (m/s),wind_direction (sectors),wind_angle (°),pm2p5 (µg/m³)\n";
        String north = "north-" + newDeviceId() + ".csv";
        String south = "south-" + newDeviceId() + ".csv";
        drop("environmental_metrics", north, header + "2024-03-01T10:00:00,1012,40,11.5,70,12,3,4,180,6\n");
        drop("environmental_metrics", south, header + "2024-03-01T10:00:00,1009,35,14.0,60,10,2,2,90,5\n");

        Map<String, Object> n = awaitBatch("environmental_metrics", north);
        Map<String, Object> s = awaitBatch("environmental_metrics", south);
        cleanUp(n);
        cleanUp(s);

        assertThat(n).containsEntry("status", "LOADED").containsEntry("device_id", "station-north");
        assertThat(s).containsEntry("status", "LOADED").containsEntry("device_id", "station-south");
        assertThat(jdbc.queryForList(
                        "SELECT device_id || ' ' || temperature FROM environmental_metrics"
                                + " WHERE \"timestamp\" = '2024-03-01T10:00:00Z' AND batch_id IN (?, ?) ORDER BY device_id",
                        String.class,
                        n.get("id"),
                        s.get("id")))
                .containsExactly("station-north 11.50", "station-south 14.00");
        assertThat(n).containsEntry("granularity", "raw");
    }

    @Test
    void aFileWithoutDeviceIsRejectedNamingWhatWasTried() throws Exception {
        String name = "farm-export-" + newDeviceId() + ".csv";
        drop("dairy_production", name, "Date,Nr. animals\n2024-05-01,120\n");

        Map<String, Object> batch = awaitBatch("dairy_production", name);
        cleanUp(batch);

        assertThat(batch).containsEntry("status", "REJECTED");
        assertThat((String) batch.get("error"))
                .contains("no device for this file")
                .contains("device_id_from_filename")
                .contains("conf/datasources.yaml");
        assertThat(rejected("dairy_production", name + ".error.json")).content().contains("no device for this file");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM dairy_production WHERE device_id IS NULL", Long.class))
                .isZero();
    }

    @Test
    void aRegisteredHerdLoadsItsDairyFile() throws Exception {
        String name = "herd-a-" + newDeviceId() + ".csv";
        drop("dairy_production", name, "Date,Nr. animals,Feed efficiency\n2024-05-01,120,1.4\n2024-05-02,121,1.5\n");

        Map<String, Object> batch = awaitBatch("dairy_production", name);
        cleanUp(batch);

        assertThat(batch)
                .containsEntry("status", "LOADED")
                .containsEntry("device_id", "herd-a")
                .containsEntry("granularity", "daily");
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM dairy_production WHERE batch_id = ? AND device_id = 'herd-a'",
                        Long.class,
                        batch.get("id")))
                .isEqualTo(2L);
    }

    @Test
    void theWatchFolderFindsTheDatasetByTheOriginalsHeaderRules() throws Exception {
        // the original's mappings have no detect_headers: the 2-column energy files split by the second column
        String hourly = newDeviceId() + "-export.csv";
        String daily = newDeviceId() + "-export.csv";
        drop("auto", hourly, "Date and Time,Hourly\n2025-04-01T00:00:00,1.5\n");
        drop("auto", daily, "DATE AND TIME,Daily\n2025-04-01,30\n"); // names compared lower-cased

        Map<String, Object> h = awaitBatch("energy_hourly", hourly, "auto");
        Map<String, Object> d = awaitBatch("energy_daily", daily, "auto");
        cleanUp(h);
        cleanUp(d);

        assertThat(h).containsEntry("status", "LOADED");
        assertThat(d).containsEntry("status", "LOADED").containsEntry("granularity", "daily");
        assertThat(jdbc.queryForObject(
                        "SELECT metadata->>'detection' FROM ingest_batch WHERE id = ?", String.class, h.get("id")))
                .isEqualTo("detected as energy_hourly by its header (the original's rules)");
    }

    @Test
    void theWatchFolderSendsUnitHeadersToEnvironmentalMetrics() throws Exception {
        String name = "north-auto-" + newDeviceId() + ".csv";
        drop(
                "auto",
                name,
                "timestamp,atm_pressure (hPa),temperature (°C),humidity (%)\n2024-03-02T10:00:00,1012,11.5,70\n");

        Map<String, Object> batch = awaitBatch("environmental_metrics", name, "auto");
        cleanUp(batch);

        assertThat(batch).containsEntry("status", "LOADED").containsEntry("device_id", "station-north");
    }

    @Test
    void pipeDelimitedFilesAreDetected() throws Exception {
        String name = newDeviceId() + "-pipes.csv";
        drop("energy_hourly", name, "Date and Time|Hourly\n2025-05-01T00:00:00|1.5\n2025-05-01T01:00:00|2.5\n");

        Map<String, Object> batch = awaitBatch("energy_hourly", name);
        cleanUp(batch);

        assertThat(batch).containsEntry("status", "LOADED").containsEntry("rows_loaded", 2L);
        assertThat(jdbc.queryForObject(
                        "SELECT metadata->'detected'->>'delimiter' FROM ingest_batch WHERE id = ?",
                        String.class,
                        batch.get("id")))
                .isEqualTo("|");
    }

    private List<String> onColumns(String name) {
        return mappings.find(name).orElseThrow().mapping().conflict().onColumns();
    }
}
