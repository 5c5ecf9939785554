package io.camelingestor.source.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.camelingestor.IngestorIntegrationTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The same content dropped again, under any name, is recorded as DUPLICATE and changes no row. */
class DuplicateFileIsNotLoadedTwiceTest extends IngestorIntegrationTest {

    @Test
    void secondCopyIsDuplicateAndGoesToProcessed() throws Exception {
        String device = newDeviceId();
        String content = "Date and Time,Hourly\n2025-01-01T00:00:00,1.5\n2025-01-01T01:00:00,2.5\n";
        String first = device + "-hourly.csv";
        drop("energy_hourly", first, content);
        Map<String, Object> loaded = awaitBatch("energy_hourly", first);
        cleanUp(loaded);
        assertThat(loaded).containsEntry("status", "LOADED").containsEntry("rows_loaded", 2L);
        List<Map<String, Object>> before = rows(device);

        String second = device + "-hourly-copy.csv";
        drop("energy_hourly", second, content);
        Map<String, Object> duplicate = awaitBatch("energy_hourly", second);
        cleanUp(duplicate);

        assertThat(duplicate)
                .containsEntry("status", "DUPLICATE")
                .containsEntry("duplicate_of", loaded.get("id"))
                .containsEntry("rows_loaded", 0L);
        assertThat(rows(device)).isEqualTo(before);
        assertThat(processed("energy_hourly", second)).exists();
        assertThat(rejected("energy_hourly", second)).doesNotExist();
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM dead_letter WHERE batch_id = ?", Long.class, duplicate.get("id")))
                .isZero();
    }

    private List<Map<String, Object>> rows(String device) {
        return jdbc.queryForList(
                "SELECT ts, energy_kwh, batch_id, ingested_at FROM fact_energy_hourly WHERE device_id = ? ORDER BY ts",
                device);
    }
}
