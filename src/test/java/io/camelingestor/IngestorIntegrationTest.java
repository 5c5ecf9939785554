package io.camelingestor;

import static org.awaitility.Awaitility.await;

import io.camelingestor.core.IngestorProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

/**
 * Base of the tests that drive the real application: real routes from {@code routes/}, real mappings from
 * {@code mappings/}, files dropped into real inbound folders, an embedded PostgreSQL. Each test uses its own
 * file names and device ids and removes the rows of its batches afterwards, so the order never matters.
 */
@CamelSpringBootTest
@AutoConfigureObservability(tracing = false) // metrics exported at /actuator/prometheus as in production
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
public abstract class IngestorIntegrationTest {

    static {
        TestDataDir.cleanOnce();
    }

    protected static final Duration INGEST_TIMEOUT = Duration.ofSeconds(60);

    @Autowired
    protected JdbcTemplate jdbc;

    @Autowired
    protected IngestorProperties properties;

    /** A device id of the shape the energy mappings take from file names, unique per call. */
    protected static String newDeviceId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }

    /** Drops a file as writers should: written under a temporary name, then renamed into the folder. */
    protected Path drop(String dataset, String fileName, String content) throws IOException {
        return drop(dataset, fileName, content.getBytes(StandardCharsets.UTF_8));
    }

    protected Path drop(String dataset, String fileName, byte[] content) throws IOException {
        Path inbound = properties.inbound(dataset);
        Files.createDirectories(inbound);
        Path tmp = inbound.resolve(fileName + ".tmp");
        Files.write(tmp, content);
        return Files.move(tmp, inbound.resolve(fileName), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Waits until the file, dropped into its dataset's folder, has left it with an ended batch; returns the batch. */
    protected Map<String, Object> awaitBatch(String dataset, String fileName) {
        return awaitBatch(dataset, fileName, dataset);
    }

    /**
     * The same for a file dropped into another folder ({@code auto}) than the dataset its batch ends up with.
     *
     * @return the newest batch of the file
     */
    protected Map<String, Object> awaitBatch(String dataset, String fileName, String droppedInto) {
        await().atMost(INGEST_TIMEOUT)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> batches(dataset, fileName).stream().anyMatch(b -> !"RUNNING".equals(b.get("status")))
                        && !Files.exists(properties.inbound(droppedInto).resolve(fileName)));
        return batches(dataset, fileName).get(0);
    }

    protected List<Map<String, Object>> batches(String dataset, String fileName) {
        return jdbc.queryForList(
                "SELECT * FROM ingest_batch WHERE dataset = ? AND input_id LIKE ? ORDER BY started_at DESC",
                dataset,
                fileName.replace("_", "\\_") + ":%");
    }

    protected Path processed(String dataset, String fileName) {
        return properties.processed(dataset).resolve(LocalDate.now().toString()).resolve(fileName);
    }

    protected Path rejected(String dataset, String fileName) {
        return properties.rejected(dataset).resolve(fileName);
    }

    private final List<UUID> batchesToRemove = new java.util.ArrayList<>();

    /** Rows of these batches are removed after the test. */
    protected void cleanUp(Map<String, Object> batch) {
        batchesToRemove.add((UUID) batch.get("id"));
    }

    @AfterEach
    protected void removeRowsOfThisTest() {
        for (UUID batch : batchesToRemove) {
            for (String table : List.of(
                    "fact_energy_hourly",
                    "fact_energy_daily",
                    "environmental_metrics",
                    "dairy_production",
                    "staging_energy_hourly",
                    "staging_energy_daily",
                    "staging_environmental_metrics",
                    "staging_dairy_production",
                    "pipeline_execution",
                    "data_quality_check",
                    "dead_letter")) {
                jdbc.update("DELETE FROM " + table + " WHERE batch_id = ?", batch);
            }
            jdbc.update("UPDATE ingest_batch SET duplicate_of = NULL WHERE duplicate_of = ?", batch);
            jdbc.update("DELETE FROM ingest_batch WHERE id = ?", batch);
        }
        batchesToRemove.clear();
    }
}
