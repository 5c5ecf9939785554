package io.camelingestor.source.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.camelingestor.IngestorIntegrationTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A user copies a shipped sample into its inbound folder: every row lands in the dataset's table. */
class SampleFilesLoadTest extends IngestorIntegrationTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "energy_hourly, fact_energy_hourly, 48, 68f1fb6550bcae000b4c2501",
        "energy_daily, fact_energy_daily, 31, 68f1fb6550bcae000b4c2501",
        "environmental_metrics, environmental_metrics, 24, 1236",
        // the original gave dairy files the device "lelyna": conf/datasources.yaml does the same
        "dairy_production, dairy_production, 14, lelyna",
    })
    void sampleIsLoaded(String dataset, String table, long rows, String deviceId) throws IOException {
        Path sample;
        try (Stream<Path> files = Files.list(Path.of("samples", dataset))) {
            sample = files.findFirst().orElseThrow();
        }
        String name = sample.getFileName().toString();
        drop(dataset, name, Files.readAllBytes(sample));

        Map<String, Object> batch = awaitBatch(dataset, name);
        cleanUp(batch);

        assertThat(batch)
                .containsEntry("status", "LOADED")
                .containsEntry("rows_total", rows)
                .containsEntry("rows_valid", rows)
                .containsEntry("rows_invalid", 0L)
                .containsEntry("rows_loaded", rows)
                .containsEntry("device_id", deviceId);
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM " + table + " WHERE batch_id = ?", Long.class, batch.get("id")))
                .isEqualTo(rows);
        assertThat(processed(dataset, name)).exists().hasSameBinaryContentAs(sample);
        assertThat(jdbc.queryForList(
                        "SELECT stage FROM pipeline_execution WHERE batch_id = ? ORDER BY id",
                        String.class,
                        batch.get("id")))
                .containsExactly("stage", "load");
    }
}
