package io.camelingestor.source.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.camelingestor.IngestorIntegrationTest;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A database failure is transient: the step is redelivered with back-off (1, 2, 4, 8 s), and only when every
 * attempt failed does the input end FAILED in the dead letter. The staging table is renamed away to make
 * the database fail for real.
 */
class DatabaseFailuresAreRetriedTest extends IngestorIntegrationTest {

    @AfterEach
    void restoreTable() {
        jdbc.execute("ALTER TABLE IF EXISTS staging_dairy_production_away RENAME TO staging_dairy_production");
    }

    @Test
    void aFailureThatPassesIsRetriedAndTheFileLoaded() throws Exception {
        jdbc.execute("ALTER TABLE staging_dairy_production RENAME TO staging_dairy_production_away");
        String name = "retry-" + newDeviceId() + ".csv";
        drop("dairy_production", name, "Date,Nr. animals\n2024-05-01,120\n2024-05-02,121\n");

        await().atMost(Duration.ofSeconds(30))
                .until(() -> !batches("dairy_production", name).isEmpty());
        Thread.sleep(1500); // at least one attempt has failed
        assertThat(batches("dairy_production", name).get(0)).containsEntry("status", "RUNNING");
        jdbc.execute("ALTER TABLE staging_dairy_production_away RENAME TO staging_dairy_production");

        Map<String, Object> batch = awaitBatch("dairy_production", name);
        cleanUp(batch);
        assertThat(batch).containsEntry("status", "LOADED").containsEntry("rows_loaded", 2L);
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM dead_letter WHERE batch_id = ?", Long.class, batch.get("id")))
                .isZero();
    }

    @Test
    void aFailureThatLastsEndsFailedWithADeadLetter() throws Exception {
        jdbc.execute("ALTER TABLE staging_dairy_production RENAME TO staging_dairy_production_away");
        String name = "failing-" + newDeviceId() + ".csv";
        drop("dairy_production", name, "Date,Nr. animals\n2024-06-01,120\n");

        Map<String, Object> batch = awaitBatch("dairy_production", name);
        cleanUp(batch);

        assertThat(batch).containsEntry("status", "FAILED");
        assertThat((String) batch.get("error"))
                .startsWith("failed after retries:")
                .contains("staging_dairy_production\" does not exist");
        Map<String, Object> deadLetter =
                jdbc.queryForMap("SELECT * FROM dead_letter WHERE batch_id = ?", batch.get("id"));
        assertThat(deadLetter)
                .containsEntry("route_id", "stage")
                .containsEntry("payload_ref", rejected("dairy_production", name).toString());
        assertThat(rejected("dairy_production", name)).exists();
        assertThat(Files.readString(rejected("dairy_production", name + ".error.json")))
                .contains("\"status\" : \"FAILED\"");
    }
}
