package io.camelingestor.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelingestor.IngestorIntegrationTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** "What happened to my file": batches, datasets and sources through the API, and its errors. */
class BatchesApiTest extends IngestorIntegrationTest {

    @LocalServerPort
    int port;

    @Test
    void aBatchShowsItsStagesQualityChecksAndInvalidRows() throws Exception {
        String device = newDeviceId();
        String file = device + "-hourly.csv";
        drop("energy_hourly", file, "Date and Time,Hourly\n2025-06-01T00:00:00,1.5\n2025-06-01T01:00:00,-4\n");
        Map<String, Object> batch = awaitBatch("energy_hourly", file);
        cleanUp(batch);
        Http http = new Http(port);

        JsonNode list = http.get("/api/batches?dataset=energy_hourly&inputId=" + batch.get("input_id"), Http.VIEWER)
                .json();
        assertThat(list.path("total").asLong()).isEqualTo(1);
        assertThat(list.path("items").get(0).path("id").asText())
                .isEqualTo(batch.get("id").toString());
        assertThat(list.path("items").get(0).path("status").asText()).isEqualTo("PARTIAL");

        JsonNode detail =
                http.get("/api/batches/" + batch.get("id"), Http.VIEWER).json();
        assertThat(detail.path("status").asText()).isEqualTo("PARTIAL");
        assertThat(detail.path("rowsTotal").asLong()).isEqualTo(2);
        assertThat(detail.path("rowsLoaded").asLong()).isEqualTo(1);
        assertThat(detail.path("startedAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        List<String> stages = new ArrayList<>();
        detail.path("stages").forEach(s -> stages.add(s.path("stage").asText()));
        assertThat(stages).contains("stage", "load");
        assertThat(detail.path("qualityChecks").get(0).path("column").asText()).isEqualTo("Hourly");
        assertThat(detail.path("qualityChecks").get(0).path("failedCount").asLong())
                .isEqualTo(1);
        JsonNode invalid = detail.path("invalidRows");
        assertThat(invalid).hasSize(1);
        assertThat(invalid.get(0).path("raw").path("Hourly").asText()).isEqualTo("-4");
        assertThat(invalid.get(0).path("errors").toString()).contains("Hourly");
        assertThat(detail.path("deadLetters")).isEmpty();
    }

    @Test
    void listsArePaged() throws Exception {
        String device = newDeviceId();
        for (String day : List.of("02", "03")) {
            String file = device + "-" + day + "-hourly.csv";
            drop("energy_hourly", file, "Date and Time,Hourly\n2025-06-" + day + "T00:00:00,1\n");
            cleanUp(awaitBatch("energy_hourly", file));
        }
        Http http = new Http(port);
        JsonNode first = http.get("/api/batches?dataset=energy_hourly&limit=1&offset=0", Http.VIEWER)
                .json();
        JsonNode second = http.get("/api/batches?dataset=energy_hourly&limit=1&offset=1", Http.VIEWER)
                .json();
        assertThat(first.path("total").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(first.path("items")).hasSize(1);
        assertThat(first.path("limit").asInt()).isEqualTo(1);
        assertThat(second.path("offset").asLong()).isEqualTo(1);
        assertThat(second.path("items").get(0).path("id"))
                .isNotEqualTo(first.path("items").get(0).path("id"));
    }

    @Test
    void badIdsParametersAndUnknownDatasetsAreClearJsonErrors() throws Exception {
        Http http = new Http(port);
        assertError(http.get("/api/batches/not-a-uuid", Http.VIEWER), 400, "bad id");
        assertError(http.get("/api/batches/" + UUID.randomUUID(), Http.VIEWER), 404, "not found");
        assertError(http.get("/api/batches?status=DONE", Http.VIEWER), 400, "bad parameter");
        assertError(http.get("/api/batches?limit=0", Http.VIEWER), 400, "bad parameter");
        assertError(http.get("/api/batches?limit=many", Http.VIEWER), 400, "bad parameter");
        assertError(http.get("/api/batches?offset=-1", Http.VIEWER), 400, "bad parameter");
        assertError(http.get("/api/batches?dataset=no_such_dataset", Http.VIEWER), 404, "unknown dataset");
        assertError(http.get("/api/dead-letters?dataset=no_such_dataset", Http.VIEWER), 404, "unknown dataset");
        assertError(http.get("/api/dead-letters/abc", Http.VIEWER), 400, "bad id");
        assertError(http.get("/api/dead-letters?open=perhaps", Http.VIEWER), 400, "bad parameter");
        assertError(http.get("/api/sources/no.such.source", Http.VIEWER), 404, "not found");
    }

    @Test
    void datasetsAndSourcesAreListed() throws Exception {
        String file = newDeviceId() + "-hourly.csv";
        drop("energy_hourly", file, "Date and Time,Hourly\n2025-06-04T00:00:00,1\n");
        cleanUp(awaitBatch("energy_hourly", file));
        Http http = new Http(port);

        JsonNode datasets = http.get("/api/datasets", Http.VIEWER).json();
        JsonNode hourly = find(datasets, "name", "energy_hourly");
        assertThat(hourly.path("loaded").asBoolean()).isTrue();
        assertThat(hourly.path("targetTable").asText()).isEqualTo("fact_energy_hourly");
        assertThat(hourly.path("error").isNull()).isTrue();

        JsonNode sources = http.get("/api/sources", Http.VIEWER).json();
        JsonNode source = find(sources, "id", "files.energy_hourly");
        assertThat(source.path("state").asText()).isEqualTo("Started");
        assertThat(source.path("kind").asText()).isEqualTo("files");
        assertThat(source.path("schedule").asText()).isEqualTo("delay=100");
        // its template's parameters filled in, as for every source made from a template
        assertThat(source.path("description").asText()).isEqualTo("Files dropped into inbound/energy_hourly/");
        // a timer's period, not its first run's delay (Camel sorts the options: delay comes first)
        JsonNode airbeld = find(sources, "id", "airbeld");
        assertThat(airbeld.path("endpoint").asText()).contains("delay=").contains("period=43200000");
        assertThat(airbeld.path("schedule").asText()).isEqualTo("period=43200000");
        assertThat(find(sources, "id", "tago.daily").path("description").asText())
                .isEqualTo("Tago.io daily_consumption into tago_energy_daily");
        assertThat(source.path("lastRun").isNull()).isFalse();
        assertThat(source.path("lastSuccess").isNull()).isFalse();
        assertThat(find(sources, "id", "files.auto")).isNotNull();
        assertThat(sources.findValuesAsText("id")).doesNotContain("pipeline", "mappings-watch");

        assertError(http.post("/api/sources/files.energy_hourly/run", Http.ADMIN), 409, "not runnable on demand");
        assertError(http.post("/api/sources/no.such.source/run", Http.ADMIN), 404, "not found");
    }

    @Test
    void theOpenApiDocumentDescribesEveryEndpoint() throws Exception {
        JsonNode doc = new Http(port).get("/api/openapi.json", Http.VIEWER).json();
        assertThat(doc.path("openapi").asText()).startsWith("3.");
        List<String> paths = new ArrayList<>();
        doc.path("paths").fieldNames().forEachRemaining(paths::add);
        assertThat(paths)
                .contains(
                        "/api/batches",
                        "/api/batches/{id}",
                        "/api/dead-letters",
                        "/api/dead-letters/{id}/replay",
                        "/api/sources",
                        "/api/sources/{id}/run",
                        "/api/datasets",
                        "/api/datasets/{dataset}/files");
    }

    static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode item : array) {
            if (value.equals(item.path(field).asText())) {
                return item;
            }
        }
        throw new AssertionError("no " + field + "=" + value + " in " + array);
    }

    static void assertError(Http.Response response, int status, String error) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.json().path("error").asText()).isEqualTo(error);
        assertThat(response.json().path("detail").asText()).isNotBlank();
    }
}
