package io.camelingestor.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.camelingestor.restart.ChildIngestor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Mapping and route files edited while the service runs (copies of the project's, in a temporary folder):
 * a good edit is in force for the next input, a broken one is refused with file and line while everything
 * keeps working as before.
 */
class LiveEditsTest {

    // health details (the mapping errors) are shown to a logged-in user only
    private static final String ADMIN_PASSWORD = "live-edits-admin-secret";

    private final Path root = Path.of("target/live-edits").toAbsolutePath();
    private final Path mappings = root.resolve("mappings");
    private final Path routes = root.resolve("routes");
    private final Path dataDir = root.resolve("data");

    @Test
    void editsTakeEffectAndBrokenEditsAreRefused() throws Exception {
        try (ChildIngestor child = EditableService.start(root, "live-node", ADMIN_PASSWORD)) {
            JdbcTemplate db = child.database();

            // a valid mapping edit is in force for the next input, without a restart
            Path mapping = mappings.resolve("energy_hourly.yaml");
            String original = Files.readString(mapping);
            Files.writeString(mapping, original.replace("max: 10000", "max: 5"));
            drop(
                    "aaaaaaaaaaaaaaaaaaaaaaaa-hourly.csv",
                    "Date and Time,Hourly\n2025-05-01T00:00:00,1\n2025-05-01T01:00:00,7\n");
            assertThat(awaitStatus(db, "aaaaaaaaaaaaaaaaaaaaaaaa-hourly.csv")).isEqualTo("PARTIAL");

            // a broken mapping edit is refused with file, line and key; the previous mapping stays in force
            Files.writeString(
                    mapping,
                    original.replace("max: 10000", "max: 5").replace("target_table:", "colums: {}\ntarget_table:"));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> child.log().contains("Mapping refused: energy_hourly.yaml line"));
            assertThat(child.log()).contains("key 'colums'");
            assertThat(health(child.port())).contains("\"errors\":{\"energy_hourly\":\"energy_hourly.yaml line");
            drop(
                    "bbbbbbbbbbbbbbbbbbbbbbbb-hourly.csv",
                    "Date and Time,Hourly\n2025-05-02T00:00:00,1\n2025-05-02T01:00:00,7\n");
            assertThat(awaitStatus(db, "bbbbbbbbbbbbbbbbbbbbbbbb-hourly.csv")).isEqualTo("PARTIAL");

            // a broken route file is refused with its line; the running routes keep running
            Path deadLetter = routes.resolve("dead-letter.yaml");
            String route = Files.readString(deadLetter);
            Files.writeString(
                    deadLetter,
                    route.replace(
                            "        - bean:\n            id: record-dead-letter",
                            "        - bogusStep:\n            id: record-dead-letter"));
            await().atMost(Duration.ofSeconds(30)).until(() -> child.log().contains("dead-letter.yaml"));
            assertThat(child.log()).containsPattern("(?s)dead-letter\\.yaml.*line");
            drop("cccccccccccccccccccccccc-hourly.csv", "Date and Time,Hourly\n2025-05-03T00:00:00,1\n");
            assertThat(awaitStatus(db, "cccccccccccccccccccccccc-hourly.csv")).isEqualTo("LOADED");
            drop("dddddddddddddddddddddddd-hourly.csv", "Wrong,Header\n1,2\n");
            assertThat(awaitStatus(db, "dddddddddddddddddddddddd-hourly.csv"))
                    .as("the dead-letter route still runs")
                    .isEqualTo("REJECTED");

            // the fixed file is taken again
            Files.writeString(deadLetter, route);
            await().atMost(Duration.ofSeconds(30)).until(() -> child.log().contains("Routes reloaded summary"));
            drop("eeeeeeeeeeeeeeeeeeeeeeee-hourly.csv", "Wrong,Header\n1,2\n");
            assertThat(awaitStatus(db, "eeeeeeeeeeeeeeeeeeeeeeee-hourly.csv")).isEqualTo("REJECTED");

            // a quality threshold: under it, nothing of the input is loaded
            Files.writeString(mapping, original + "\nquality:\n  min_valid_ratio: 0.9\n");
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> child.log().contains("Mapping energy_hourly reloaded")
                            && !health(child.port()).contains("\"energy_hourly\":\"energy_hourly.yaml"));
            drop(
                    "ffffffffffffffffffffffff-hourly.csv",
                    "Date and Time,Hourly\n2025-05-04T00:00:00,1\n2025-05-04T01:00:00,-1\n");
            assertThat(awaitStatus(db, "ffffffffffffffffffffffff-hourly.csv")).isEqualTo("REJECTED");
            assertThat(db.queryForObject("SELECT error FROM ingest_batch WHERE input_id LIKE 'ffff%'", String.class))
                    .isEqualTo("quality below threshold: 1 of 2 rows valid, the mapping requires a ratio of 0.9");
            assertThat(db.queryForObject(
                            "SELECT count(*) FROM fact_energy_hourly WHERE device_id = 'ffffffffffffffffffffffff'",
                            Long.class))
                    .isZero();
        }
    }

    private void drop(String name, String content) throws IOException {
        EditableService.drop(dataDir.resolve("inbound/energy_hourly"), name, content);
    }

    private static String awaitStatus(JdbcTemplate db, String file) {
        return EditableService.awaitStatus(db, file);
    }

    private static String health(int port) throws Exception {
        return EditableService.getAsAdmin(port, "/actuator/health", ADMIN_PASSWORD);
    }
}
