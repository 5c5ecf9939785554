package io.camelingestor.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelingestor.IngestorIntegrationTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Issue 10, low: a batch holding a 20 MB value (one CSV cell) is answered, its value cut short with a marker
 * saying how long it was, not refused with a misleading 503 "database unavailable".
 */
class HugeValuesInAnswersTest extends IngestorIntegrationTest {

    private static final int HUGE = 20_000_001; // one over Jackson's default string length limit

    @LocalServerPort
    int port;

    @Test
    void aBatchWithA20MegabyteValueIsAnsweredWithTheValueCutShort() throws Exception {
        String file = newDeviceId() + "-hourly.csv";
        drop(
                "energy_hourly",
                file,
                "Date and Time,Hourly\n2025-06-01T00:00:00,1.5\n2025-06-01T01:00:00,9" + "9".repeat(HUGE - 2) + "x\n");
        Map<String, Object> batch = awaitBatch("energy_hourly", file);
        cleanUp(batch);

        Http.Response response = new Http(port).get("/api/batches/" + batch.get("id"), Http.VIEWER);
        assertThat(response.status())
                .as(response.body().substring(0, Math.min(500, response.body().length())))
                .isEqualTo(200);
        assertThat(response.body().length()).as("the answer stays small").isLessThan(200_000);
        JsonNode invalid = response.json().path("invalidRows");
        assertThat(invalid).hasSize(1);
        String shown = invalid.get(0).path("raw").path("Hourly").asText();
        assertThat(shown).startsWith("999").contains("truncated").contains(String.valueOf(HUGE));
    }
}
