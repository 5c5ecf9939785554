package io.camelingestor.web;

import static io.camelingestor.web.BatchesApiTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelingestor.IngestorIntegrationTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Dead letters listed and replayed: the rejected file goes back into its inbound folder, linked to the new batch. */
class DeadLettersApiTest extends IngestorIntegrationTest {

    @LocalServerPort
    int port;

    @Test
    void aRejectedFileIsReplayedAndLinkedToItsNewBatch() throws Exception {
        String file = newDeviceId() + "-hourly.csv";
        drop("energy_hourly", file, "Wrong,Header\n1,2\n");
        Map<String, Object> rejected = awaitBatch("energy_hourly", file);
        cleanUp(rejected);
        assertThat(rejected.get("status")).isEqualTo("REJECTED");
        Http http = new Http(port);

        JsonNode open = http.get("/api/dead-letters?open=true&dataset=energy_hourly&limit=500", Http.VIEWER)
                .json();
        JsonNode letter = BatchesApiTest.find(
                open.path("items"), "batchId", rejected.get("id").toString());
        long id = letter.path("id").asLong();
        // paths are shown relative to the data folder, never absolute (issue 10, low)
        assertThat(letter.path("payloadRef").asText())
                .isEqualTo(properties
                        .dataDir()
                        .relativize(rejected("energy_hourly", file))
                        .toString());
        String dataDir = properties.dataDir().toString();
        for (String path : List.of(
                "/api/dead-letters/" + id,
                "/api/batches/" + rejected.get("id"),
                "/api/batches?dataset=energy_hourly",
                "/api/datasets",
                "/actuator/health",
                "/actuator/health/inbound")) {
            for (String who : List.of(Http.VIEWER, Http.ADMIN)) {
                Http.Response answer = http.get(path, who);
                assertThat(answer.status()).as(path).isIn(200, 503);
                assertThat(answer.body()).as(path).doesNotContain(dataDir);
            }
        }
        assertThat(http.get("/api/dead-letters/" + id, Http.VIEWER)
                        .json()
                        .path("inputId")
                        .asText())
                .isEqualTo(rejected.get("input_id"));

        Http.Response replay = http.post("/api/dead-letters/" + id + "/replay", Http.ADMIN);
        assertThat(replay.status()).as(replay.body()).isEqualTo(202);
        assertThat(replay.json().path("resubmittedTo").asText()).isEqualTo("inbound/energy_hourly/" + file);
        await().atMost(INGEST_TIMEOUT)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> batches("energy_hourly", file).size() == 2
                        && !"RUNNING"
                                .equals(batches("energy_hourly", file).get(0).get("status"))
                        && rejected("energy_hourly", file).toFile().exists());
        Map<String, Object> again = batches("energy_hourly", file).get(0);
        cleanUp(again);
        assertThat(again.get("input_id")).isEqualTo(rejected.get("input_id"));
        assertThat(replay.json().path("batchId").asText())
                .isEqualTo(again.get("id").toString());
        JsonNode replayed = http.get("/api/dead-letters/" + id, Http.VIEWER).json();
        assertThat(replayed.path("replayedAt").isNull()).isFalse();
        assertThat(replayed.path("replayBatchId").asText())
                .isEqualTo(again.get("id").toString());

        assertError(http.post("/api/dead-letters/" + id + "/replay", Http.ADMIN), 409, "already replayed");
        assertError(http.post("/api/dead-letters/987654321/replay", Http.ADMIN), 404, "not found");
        assertError(http.post("/api/dead-letters/abc/replay", Http.ADMIN), 400, "bad id");
    }

    @Test
    void aDeadLetterWithoutAFileCannotBeReplayedYet() throws Exception {
        UUID batch = UUID.randomUUID();
        jdbc.update(
                """
                INSERT INTO ingest_batch (id, source_id, dataset, input_id, source_uri, content_type, status, node_id)
                VALUES (?, 'http.test-api', 'energy_hourly', 'http.test-api:dev:window', 'https://api.example/data',
                        'records', 'FAILED', 'it-node')
                """,
                batch);
        cleanUp(Map.of("id", batch));
        long id = jdbc.queryForObject(
                """
                INSERT INTO dead_letter (batch_id, source_id, input_id, route_id, error_class, error_message)
                VALUES (?, 'http.test-api', 'http.test-api:dev:window', 'http.test-api', 'java.io.IOException', 'HTTP 503')
                RETURNING id
                """,
                Long.class,
                batch);
        assertError(new Http(port).post("/api/dead-letters/" + id + "/replay", Http.ADMIN), 422, "cannot replay");
        assertThat(jdbc.queryForObject("SELECT replayed_at FROM dead_letter WHERE id = ?", Object.class, id))
                .isNull();
    }
}
