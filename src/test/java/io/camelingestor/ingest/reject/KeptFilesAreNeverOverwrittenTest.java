package io.camelingestor.ingest.reject;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.camelingestor.IngestorIntegrationTest;
import io.camelingestor.web.Http;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Issue 10, finding 8: two files of the same name rejected (or loaded) one after the other are both kept, and
 * replaying the first one's dead letter sends the first one's bytes, checked by their SHA-256.
 */
class KeptFilesAreNeverOverwrittenTest extends IngestorIntegrationTest {

    private static final String DATASET = "energy_hourly";

    @LocalServerPort
    int port;

    @Test
    void sameNameRejectedTwiceKeepsBothAndReplaysTheFirst() throws Exception {
        String name = newDeviceId() + "-clash-hourly.csv";
        String first = "Wrong,Header\nfirst,1\n";
        String second = "Other,Columns\nsecond,2\n";
        drop(DATASET, name, first);
        Map<String, Object> firstBatch = awaitBatch(DATASET, name);
        cleanUp(firstBatch);
        drop(DATASET, name, second);
        awaitBatches(name, 2);

        Path dir = properties.rejected(DATASET);
        String secondName = name.replace(".csv", ".1.csv");
        await().atMost(INGEST_TIMEOUT).until(() -> Files.exists(dir.resolve(secondName)));
        assertThat(Files.readString(dir.resolve(name))).isEqualTo(first);
        assertThat(Files.readString(dir.resolve(secondName))).isEqualTo(second);
        assertThat(dir.resolve(name + ".error.json")).exists();
        assertThat(Files.readString(dir.resolve(secondName + ".error.json"), StandardCharsets.UTF_8))
                .contains("\"keptAs\" : \"" + secondName + "\"");

        Long letter =
                jdbc.queryForObject("SELECT id FROM dead_letter WHERE batch_id = ?", Long.class, firstBatch.get("id"));
        Http http = new Http(port);
        // a kept file whose bytes changed (no longer those of its input id) is not replayed
        Files.writeString(dir.resolve(name), "Date and Time,Hourly\n2025-03-01T00:00:00,9\n");
        Http.Response refused = http.post("/api/dead-letters/" + letter + "/replay", Http.ADMIN);
        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.body()).contains("payload changed");
        // restored: replayed under its own name, and the new batch read exactly the first file's bytes
        Files.writeString(dir.resolve(name), first);
        Http.Response replay = http.post("/api/dead-letters/" + letter + "/replay", Http.ADMIN);
        assertThat(replay.status()).as(replay.body()).isEqualTo(202);
        List<Map<String, Object>> all = awaitBatches(name, 3);
        assertThat(all.get(0).get("input_id")).isEqualTo(firstBatch.get("input_id"));
        assertThat(Files.readString(dir.resolve(secondName))).isEqualTo(second);
    }

    @Test
    void sameNameLoadedTwiceTheSameDayKeepsBoth() throws Exception {
        String name = newDeviceId() + "-twice-hourly.csv";
        String first = "Date and Time,Hourly\n2025-03-01T00:00:00,1.5\n";
        String second = "Date and Time,Hourly\n2025-03-01T01:00:00,2.5\n";
        drop(DATASET, name, first);
        cleanUp(awaitBatch(DATASET, name));
        drop(DATASET, name, second);
        awaitBatches(name, 2);
        Path kept = processed(DATASET, name);
        Path keptSecond = kept.resolveSibling(name.replace(".csv", ".1.csv"));
        await().atMost(INGEST_TIMEOUT).until(() -> Files.exists(keptSecond));
        assertThat(Files.readString(kept)).isEqualTo(first);
        assertThat(Files.readString(keptSecond)).isEqualTo(second);
    }

    /** Issue 10, finding 9: the FAILED report of an attempt whose dead letter was lost does not outlive the load. */
    @Test
    void aStaleFailedReportGoesWhenTheFileLoads() throws Exception {
        String name = newDeviceId() + "-stale-hourly.csv";
        Path report = Files.createDirectories(properties.rejected(DATASET)).resolve(name + ".error.json");
        Files.writeString(report, "{\"file\":\"" + name + "\",\"status\":\"FAILED\"}");
        drop(DATASET, name, "Date and Time,Hourly\n2025-03-01T00:00:00,1.5\n");
        Map<String, Object> batch = awaitBatch(DATASET, name);
        cleanUp(batch);
        assertThat(batch).containsEntry("status", "LOADED");
        assertThat(report).doesNotExist();
        assertThat(processed(DATASET, name)).exists();
    }

    private List<Map<String, Object>> awaitBatches(String name, int count) {
        await().atMost(INGEST_TIMEOUT)
                .until(() -> batches(DATASET, name).size() == count
                        && batches(DATASET, name).stream().noneMatch(b -> "RUNNING".equals(b.get("status")))
                        && !Files.exists(properties.inbound(DATASET).resolve(name)));
        List<Map<String, Object>> all = batches(DATASET, name);
        all.forEach(this::cleanUp);
        return all;
    }
}
