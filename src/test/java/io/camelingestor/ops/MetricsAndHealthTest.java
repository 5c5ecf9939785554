package io.camelingestor.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelingestor.IngestorIntegrationTest;
import io.camelingestor.web.Http;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** {@code /actuator/prometheus} after an input is ingested, and the health groups an operator reads. */
class MetricsAndHealthTest extends IngestorIntegrationTest {

    @LocalServerPort
    int port;

    @Test
    void ingestingAFileMovesTheIngestorMetrics() throws Exception {
        Http http = new Http(port);
        String before = http.get("/actuator/prometheus", Http.VIEWER).body();
        String file = newDeviceId() + "-hourly.csv";
        drop(
                "energy_hourly",
                file,
                "Date and Time,Hourly\n2025-08-01T00:00:00,1\n2025-08-01T01:00:00,2\n2025-08-01T02:00:00,3\n"
                        + "2025-08-01T03:00:00,-9\n");
        Map<String, Object> batch = awaitBatch("energy_hourly", file);
        cleanUp(batch);
        assertThat(batch.get("status")).isEqualTo("PARTIAL");
        String after = http.get("/actuator/prometheus", Http.VIEWER).body();

        String loaded =
                "ingestor_records_total{application=\"camel-ingestor\",dataset=\"energy_hourly\",node=\"it-node\",outcome=\"loaded\"}";
        String valid =
                "ingestor_records_total{application=\"camel-ingestor\",dataset=\"energy_hourly\",node=\"it-node\",outcome=\"valid\"}";
        String invalid =
                "ingestor_records_total{application=\"camel-ingestor\",dataset=\"energy_hourly\",node=\"it-node\",outcome=\"invalid\"}";
        String partial =
                "ingestor_batches_total{application=\"camel-ingestor\",dataset=\"energy_hourly\",node=\"it-node\",status=\"PARTIAL\"}";
        String durations =
                "ingestor_batch_duration_seconds_count{application=\"camel-ingestor\",dataset=\"energy_hourly\",node=\"it-node\",status=\"PARTIAL\"}";
        assertThat(value(after, loaded) - value(before, loaded)).isEqualTo(3.0);
        assertThat(value(after, valid) - value(before, valid)).isEqualTo(3.0);
        assertThat(value(after, invalid) - value(before, invalid)).isEqualTo(1.0);
        assertThat(value(after, partial) - value(before, partial)).isEqualTo(1.0);
        assertThat(value(after, durations) - value(before, durations)).isEqualTo(1.0);
        assertThat(after).contains("ingestor_batch_duration_seconds_bucket{");
        assertThat(after)
                .contains(
                        "ingestor_files_waiting{application=\"camel-ingestor\",folder=\"energy_hourly\",node=\"it-node\"}");
        assertThat(value(after, "ingestor_dead_letters_open{application=\"camel-ingestor\",node=\"it-node\"}"))
                .isEqualTo(jdbc.queryForObject("SELECT count(*) FROM dead_letter WHERE replayed_at IS NULL", Long.class)
                        .doubleValue());
        assertThat(after).containsPattern("camel_exchanges_total\\{[^}]*routeId=\"pipeline\"");
    }

    @Test
    void filesWaitingAreCountedPerFolder() throws Exception {
        Http http = new Http(port);
        // a file the source never takes (hidden, temporary) is not waiting; health and metrics agree
        java.nio.file.Path hidden = properties.inbound("energy_hourly").resolve(".being-written.csv");
        java.nio.file.Path partial = properties.inbound("energy_hourly").resolve("upload.csv.part");
        java.nio.file.Files.writeString(hidden, "x");
        java.nio.file.Files.writeString(partial, "x");
        try {
            JsonNode inbound = http.get("/actuator/health/inbound", Http.VIEWER).json();
            assertThat(inbound.path("status").asText()).isEqualTo("UP");
            JsonNode folders = inbound.path("components").path("inboundFolders").path("components");
            JsonNode hourly = folders.path("energy_hourly");
            assertThat(hourly.path("status").asText()).isEqualTo("UP");
            assertThat(hourly.path("details").path("path").asText()).isEqualTo("inbound/energy_hourly");
            assertThat(hourly.path("details").path("filesWaiting").asLong()).isZero();
            assertThat(hourly.path("details").has("oldestWaitingSince")).isFalse();
            assertThat(folders.has("auto")).isTrue();
            assertThat(
                            value(
                                    http.get("/actuator/prometheus", Http.VIEWER)
                                            .body(),
                                    "ingestor_files_waiting{application=\"camel-ingestor\",folder=\"energy_hourly\",node=\"it-node\"}"))
                    .isZero();
        } finally {
            java.nio.file.Files.delete(hidden);
            java.nio.file.Files.delete(partial);
        }
    }

    @Test
    void healthGroupsAnswerForTheDatabaseMappingsAndSources() throws Exception {
        Http http = new Http(port);
        assertThat(http.get("/actuator/health/readiness", null)
                        .json()
                        .path("status")
                        .asText())
                .isEqualTo("UP");
        assertThat(http.get("/actuator/health/liveness", null)
                        .json()
                        .path("status")
                        .asText())
                .isEqualTo("UP");
        JsonNode database = http.get("/actuator/health/database", Http.VIEWER).json();
        assertThat(database.path("components")
                        .path("db")
                        .path("details")
                        .path("database")
                        .asText())
                .isEqualTo("PostgreSQL");
        JsonNode mappings = http.get("/actuator/health/mappings", Http.VIEWER).json();
        assertThat(mappings.path("components")
                        .path("mappings-health")
                        .path("details")
                        .path("loaded")
                        .toString())
                .contains("energy_hourly", "energy_daily", "environmental_metrics", "dairy_production");
        String file = newDeviceId() + "-hourly.csv";
        drop("energy_hourly", file, "Wrong,Header\n1,2\n");
        cleanUp(awaitBatch("energy_hourly", file));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode sources =
                    http.get("/actuator/health/source-routes", Http.VIEWER).json();
            JsonNode hourly = sources.path("components")
                    .path("sourceRoutes")
                    .path("components")
                    .path("files.energy_hourly");
            assertThat(hourly.path("details").path("state").asText()).isEqualTo("Started");
            assertThat(hourly.path("details").path("lastError").path("message").asText())
                    .contains("Wrong");
            assertThat(hourly.path("details").path("consecutiveFailures").asLong())
                    .isPositive();
        });
    }

    private static double value(String prometheus, String series) {
        Matcher m =
                Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(prometheus);
        return m.find() ? Double.parseDouble(m.group(1)) : 0.0;
    }
}
