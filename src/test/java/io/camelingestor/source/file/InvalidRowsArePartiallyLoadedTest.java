package io.camelingestor.source.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.camelingestor.IngestorIntegrationTest;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Valid rows are loaded; each invalid row stays in staging with every rule it failed. */
class InvalidRowsArePartiallyLoadedTest extends IngestorIntegrationTest {

    @Test
    void validRowsLoadedInvalidRowsKeptWithErrors() throws Exception {
        String device = newDeviceId();
        String name = device + "-hourly.csv";
        drop(
                "energy_hourly",
                name,
                """
                Date and Time,Hourly
                2025-02-01T00:00:00,1.5
                2025-02-01T01:00:00,20000
                2025-02-01T02:00:00,abc
                2025-02-01T03:00:00,
                not a date,-1
                2025-02-01T05:00:00,"2,5"
                """);

        Map<String, Object> batch = awaitBatch("energy_hourly", name);
        cleanUp(batch);

        assertThat(batch)
                .containsEntry("status", "PARTIAL")
                .containsEntry("rows_total", 6L)
                .containsEntry("rows_valid", 2L)
                .containsEntry("rows_invalid", 4L)
                .containsEntry("rows_loaded", 2L)
                .containsEntry("quality_score", new BigDecimal("33.33"));
        assertThat(jdbc.queryForList(
                        "SELECT energy_kwh FROM fact_energy_hourly WHERE device_id = ? ORDER BY ts",
                        Double.class,
                        device))
                .containsExactly(1.5, 2.5);

        List<Map<String, Object>> invalid = jdbc.queryForList(
                "SELECT row_number, errors::text AS errors FROM staging_energy_hourly WHERE batch_id = ? AND NOT valid ORDER BY row_number",
                batch.get("id"));
        assertThat(invalid).extracting(r -> r.get("row_number")).containsExactly(3L, 4L, 5L, 6L);
        assertThat((String) invalid.get(0).get("errors"))
                .contains("\"rule\": \"max\"", "\"column\": \"Hourly\"", "\"value\": \"20000\"");
        assertThat((String) invalid.get(1).get("errors")).contains("\"rule\": \"type\"", "\"value\": \"abc\"");
        assertThat((String) invalid.get(2).get("errors")).contains("\"rule\": \"required\"");
        // a row failing two rules keeps both
        assertThat((String) invalid.get(3).get("errors"))
                .contains("\"column\": \"Date and Time\"", "\"column\": \"Hourly\"", "\"rule\": \"min\"");
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM staging_energy_hourly s JOIN ingest_batch b ON b.id = s.batch_id"
                                + " WHERE s.batch_id = ? AND s.valid AND b.status IN ('LOADED', 'PARTIAL')",
                        Long.class,
                        batch.get("id")))
                .isEqualTo(2L);

        assertThat(jdbc.queryForList(
                        "SELECT check_type || ':' || column_name || ':' || failed_count || '/' || total_count FROM data_quality_check WHERE batch_id = ?",
                        String.class,
                        batch.get("id")))
                .containsExactlyInAnyOrder(
                        "max:Hourly:1/6",
                        "type:Hourly:1/6",
                        "required:Hourly:1/6",
                        "type:Date and Time:1/6",
                        "min:Hourly:1/6");
        assertThat(processed("energy_hourly", name)).exists();
    }
}
