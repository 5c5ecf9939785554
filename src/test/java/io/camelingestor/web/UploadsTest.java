package io.camelingestor.web;

import static io.camelingestor.web.BatchesApiTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelingestor.IngestorIntegrationTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** {@code POST /api/datasets/{dataset}/files}: the file lands in the inbound folder and is ingested. */
class UploadsTest extends IngestorIntegrationTest {

    @LocalServerPort
    int port;

    @Test
    void anUploadIsIngestedAndTheAnswerNamesItsBatch() throws Exception {
        String file = newDeviceId() + "-hourly.csv";
        Http.Response response =
                new Http(port).upload("/api/datasets/energy_hourly/files", Http.ADMIN, file, csv("2025-07-01"));
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        JsonNode body = response.json();
        assertThat(body.path("file").asText()).isEqualTo(file);
        Map<String, Object> batch = awaitBatch("energy_hourly", file);
        cleanUp(batch);
        assertThat(body.path("batchId").asText()).isEqualTo(batch.get("id").toString());
        assertThat(body.path("inputId").asText()).isEqualTo(batch.get("input_id"));
        assertThat(batch.get("status")).isEqualTo("LOADED");
        assertThat(processed("energy_hourly", file)).exists();
    }

    @Test
    void aPathTraversalNameIsStoredInsideTheInboundFolder() throws Exception {
        String file = newDeviceId() + "-hourly.csv";
        Http.Response response = new Http(port)
                .upload("/api/datasets/energy_hourly/files", Http.ADMIN, "../../../" + file, csv("2025-07-02"));
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        assertThat(response.json().path("file").asText()).isEqualTo(file);
        Map<String, Object> batch = awaitBatch("energy_hourly", file);
        cleanUp(batch);
        assertThat((String) batch.get("source_uri"))
                .startsWith(properties.inbound("energy_hourly").toString());
        assertThat(properties.dataDir().getParent().resolve(file)).doesNotExist();
        assertThat(properties.dataDir().resolve(file)).doesNotExist();
    }

    @Test
    void aHiddenNameIsMadeVisible() throws Exception {
        String file = newDeviceId() + "-hourly.csv";
        Http.Response response =
                new Http(port).upload("/api/datasets/energy_hourly/files", Http.ADMIN, ".." + file, csv("2025-07-03"));
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        assertThat(response.json().path("file").asText()).isEqualTo(file);
        cleanUp(awaitBatch("energy_hourly", file));
    }

    @Test
    void aFileWaitingUnderTheSameNameIsNeverOverwritten() throws Exception {
        String file = newDeviceId() + "-hourly.csv";
        byte[] waiting = csv("2025-07-04");
        // written in place, so that it waits its second of stability (a renamed file is taken at once)
        Files.write(properties.inbound("energy_hourly").resolve(file), waiting);
        Http.Response response =
                new Http(port).upload("/api/datasets/energy_hourly/files", Http.ADMIN, file, csv("2025-07-05"));
        Map<String, Object> batch = awaitBatch("energy_hourly", file);
        cleanUp(batch);
        assertError(response, 409, "file in the way");
        assertThat(Files.readAllBytes(processed("energy_hourly", file))).isEqualTo(waiting);
        assertThat(batches("energy_hourly", file)).hasSize(1);
    }

    @Test
    void anOversizedFileAnUnknownDatasetAndAnIgnoredNameAreRefused() throws Exception {
        Http http = new Http(port);
        byte[] large = new byte[(int) (1.5 * 1024 * 1024)]; // the test profile allows 1 MB
        java.util.Arrays.fill(large, (byte) 'x');
        assertError(
                http.upload("/api/datasets/energy_hourly/files", Http.ADMIN, "large.csv", large),
                413,
                "file too large");
        assertThat(properties.inbound("energy_hourly").resolve("large.csv")).doesNotExist();
        assertError(
                http.upload("/api/datasets/no_such_dataset/files", Http.ADMIN, "a.csv", csv("2025-07-06")),
                404,
                "unknown dataset");
        assertError(
                http.upload("/api/datasets/energy_hourly/files", Http.ADMIN, "data.tmp", csv("2025-07-06")),
                400,
                "bad file name");
        assertError(
                http.upload("/api/datasets/energy_hourly/files", Http.ADMIN, "../..", csv("2025-07-06")),
                400,
                "bad file name");
    }

    private static byte[] csv(String day) {
        return ("Date and Time,Hourly\n" + day + "T00:00:00,1.25\n" + day + "T01:00:00,2.5\n")
                .getBytes(StandardCharsets.UTF_8);
    }
}
