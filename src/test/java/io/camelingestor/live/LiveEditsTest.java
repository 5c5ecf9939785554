package io.camelingestor.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.camelingestor.TestDataDir;
import io.camelingestor.restart.ChildIngestor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
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
        TestDataDir.delete(root);
        copy(Path.of("mappings"), mappings);
        copy(Path.of("routes"), routes);
        try (ChildIngestor child = ChildIngestor.start(
                dataDir,
                "live-node",
                Map.of("INGESTOR_SECURITY_PASSWORD", ADMIN_PASSWORD),
                Map.of(
                        "ingestor.mappings-dir",
                        mappings.toString(),
                        "ingestor.routes-dir",
                        routes.toString(),
                        "ingestor.routes.reload",
                        "true",
                        "ingestor.mappings-watch-period",
                        "300"))) {
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
        Path inbound = dataDir.resolve("inbound/energy_hourly");
        Files.writeString(inbound.resolve(name + ".tmp"), content);
        Files.move(inbound.resolve(name + ".tmp"), inbound.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    /** The status the file's batch ends with (each file here is dropped once). */
    private static String awaitStatus(JdbcTemplate db, String file) {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    String status = ChildIngestor.latestStatus(db, file);
                    return status != null && !"RUNNING".equals(status);
                });
        return ChildIngestor.latestStatus(db, file);
    }

    private static String health(int port) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health"))
                                .header(
                                        "Authorization",
                                        "Basic "
                                                + java.util.Base64.getEncoder()
                                                        .encodeToString(("admin:" + ADMIN_PASSWORD).getBytes()))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }
}
