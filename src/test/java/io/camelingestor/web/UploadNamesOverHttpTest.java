package io.camelingestor.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.camelingestor.IngestorIntegrationTest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Issue 10, low: upload names too long for a file name are refused as such (400, not 413 "file too large"),
 * and names in other scripts keep their letters, so that two different names never become one file.
 */
class UploadNamesOverHttpTest extends IngestorIntegrationTest {

    private static final String UPLOAD = "/api/datasets/energy_hourly/files";

    @LocalServerPort
    int port;

    @Test
    void aNameTooLongIsRefusedAsSuchWhateverItsLength() throws Exception {
        Http http = new Http(port);
        for (int bytes : new int[] {201, 300, 440, 600, 5_000, 20_000}) {
            String name = "n".repeat(bytes - 4) + ".csv";
            Http.Response response = http.upload(UPLOAD, Http.ADMIN, name, csv("2025-08-01"));
            assertThat(response.status())
                    .as(bytes + " bytes: " + response.body())
                    .isEqualTo(400);
            assertThat(response.json().path("detail").asText()).contains("name too long (max 200 bytes)");
        }
        // counted in bytes: 99 Greek letters and ".csv" are 103 characters, 202 bytes in UTF-8
        Http.Response greek = http.upload(UPLOAD, Http.ADMIN, "α".repeat(99) + ".csv", csv("2025-08-01"));
        assertThat(greek.status()).as(greek.body()).isEqualTo(400);
        assertThat(greek.json().path("detail").asText()).contains("name too long (max 200 bytes)");
    }

    @Test
    void namesInOtherScriptsKeepTheirLettersAndNeverCollide() throws Exception {
        String device = newDeviceId();
        Http http = new Http(port);
        String first = device + "-hourly-αβγ.csv";
        String second = device + "-hourly-δεζ.csv";
        String decomposed = device + "-hourly-cafe\u0301.csv"; // "é" as e + combining acute (macOS writes names so)
        Http.Response a = http.upload(UPLOAD, Http.ADMIN, first, csv("2025-08-02"));
        Http.Response b = http.upload(UPLOAD, Http.ADMIN, second, csv("2025-08-03"));
        Http.Response c = http.upload(UPLOAD, Http.ADMIN, decomposed, csv("2025-08-04"));
        for (Http.Response response : new Http.Response[] {a, b, c}) {
            assertThat(response.status()).as(response.body()).isEqualTo(202);
        }
        assertThat(a.json().path("file").asText()).isEqualTo(first);
        assertThat(b.json().path("file").asText()).isEqualTo(second);
        assertThat(c.json().path("file").asText()).isEqualTo(device + "-hourly-caf\u00e9.csv");
        for (Http.Response response : new Http.Response[] {a, b, c}) {
            Map<String, Object> batch =
                    awaitBatch("energy_hourly", response.json().path("file").asText());
            cleanUp(batch);
        }
    }

    private static byte[] csv(String day) {
        return ("Date and Time,Hourly\n" + day + "T00:00:00,1.25\n").getBytes(StandardCharsets.UTF_8);
    }
}
