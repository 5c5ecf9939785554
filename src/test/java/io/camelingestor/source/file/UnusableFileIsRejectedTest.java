package io.camelingestor.source.file;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelingestor.IngestorIntegrationTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** An input that cannot be ingested at all: nothing loaded, the file and a report in rejected/, a dead letter. */
class UnusableFileIsRejectedTest extends IngestorIntegrationTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void headerWithoutRequiredColumnsNamesThem() throws Exception {
        String name = newDeviceId() + "-hourly.csv";
        drop("energy_hourly", name, "Date and Time,Energy\n2025-03-01T00:00:00,1.0\n");

        JsonNode report = rejectedWithReport("energy_hourly", name, "the header lacks required column(s) 'Hourly'");
        assertThat(report.at("/details/missingColumns").toString()).isEqualTo("[\"Hourly\"]");
        assertThat(report.at("/details/expectedColumns").toString()).isEqualTo("[\"Date and Time\",\"Hourly\"]");
        assertThat(report.at("/details/foundColumns").toString()).isEqualTo("[\"Date and Time\",\"Energy\"]");
    }

    /** Issue 10 (low): a header of thousands of columns is not copied whole into the report. */
    @Test
    void aHugeHeaderIsCutInTheReport() throws Exception {
        String name = newDeviceId() + "-wide-hourly.csv";
        String header = java.util.stream.IntStream.range(0, 3000)
                .mapToObj(i -> "column-" + i + "-" + "x".repeat(150))
                .collect(java.util.stream.Collectors.joining(","));
        drop("energy_hourly", name, header + "\n" + "1,".repeat(2999) + "1\n");

        JsonNode report = rejectedWithReport("energy_hourly", name, "the header lacks required column(s)");
        assertThat(report.at("/details/foundColumns").size()).isEqualTo(50);
        assertThat(report.at("/details/foundColumnsTotal").asInt()).isEqualTo(3000);
        assertThat(report.at("/details/foundColumns/0").asText()).hasSizeLessThanOrEqualTo(103);
        assertThat(report.toString()).doesNotContain("column-2999");
    }

    @Test
    void emptyFile() throws Exception {
        String name = newDeviceId() + "-empty-hourly.csv";
        drop("energy_hourly", name, "");

        rejectedWithReport("energy_hourly", name, "empty file");
    }

    @Test
    void headerOnly() throws Exception {
        String name = newDeviceId() + "-header-hourly.csv";
        drop("energy_hourly", name, "Date and Time,Hourly\n");

        rejectedWithReport("energy_hourly", name, "no data rows");
    }

    @Test
    void notCsvAtAll() throws Exception {
        String name = newDeviceId() + "-binary-hourly.csv";
        byte[] bytes = new byte[4096];
        new Random(42).nextBytes(bytes);
        bytes[10] = 0; // a NUL byte must not break the database writes of the report
        drop("energy_hourly", name, bytes);

        // random bytes whose first line break comes before the NUL: read as a (wrong) header
        JsonNode report = rejectedWithReport("energy_hourly", name, "the header lacks required column(s)");
        assertThat(report.at("/details/missingColumns").toString()).isEqualTo("[\"Date and Time\",\"Hourly\"]");
    }

    @Test
    void aWorkbookUnderACsvName() throws Exception {
        String name = newDeviceId() + "-renamed-hourly.csv";
        // the first bytes of any .xlsx: a ZIP local file header
        byte[] bytes = "PK\u0003\u0004\u0014\u0000\u0006\u0000\b\u0000\u0000\u0000!\u0000[Content_Types].xml"
                .getBytes(StandardCharsets.ISO_8859_1);
        drop("energy_hourly", name, bytes);

        // README "Dropping a file": "not CSV" is REJECTED with a report that says so, not with binary "columns"
        JsonNode report =
                rejectedWithReport("energy_hourly", name, "not a CSV text file: its first line holds NUL bytes");
        assertThat(report.at("/details/foundColumns").isMissingNode()).isTrue();
    }

    @Test
    void everyRowInvalid() throws Exception {
        String name = newDeviceId() + "-allbad-hourly.csv";
        drop("energy_hourly", name, "Date and Time,Hourly\n2025-03-01T00:00:00,-5\n2025-03-01T01:00:00,x\n");

        JsonNode report = rejectedWithReport("energy_hourly", name, "no valid rows");
        assertThat(report.at("/rows/invalid").asLong()).isEqualTo(2);
        assertThat(report.at("/invalidRows/0/row").asLong()).isEqualTo(2);
        assertThat(report.at("/invalidRows/0/column").asText()).isEqualTo("Hourly");
        assertThat(report.at("/invalidRows/0/value").asText()).isEqualTo("-5");
        assertThat(report.at("/invalidRows/0/rule").asText()).isEqualTo("min");
    }

    private JsonNode rejectedWithReport(String dataset, String name, String reason) throws Exception {
        Map<String, Object> batch = awaitBatch(dataset, name);
        cleanUp(batch);
        assertThat(batch).containsEntry("status", "REJECTED").containsEntry("rows_loaded", 0L);
        assertThat((String) batch.get("error")).contains(reason);
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM fact_energy_hourly WHERE batch_id = ?", Long.class, batch.get("id")))
                .isZero();

        assertThat(rejected(dataset, name)).exists();
        assertThat(processed(dataset, name)).doesNotExist();
        JsonNode report =
                json.readTree(Files.readString(rejected(dataset, name + ".error.json"), StandardCharsets.UTF_8));
        assertThat(report.get("file").asText()).isEqualTo(name);
        assertThat(report.get("status").asText()).isEqualTo("REJECTED");
        assertThat(report.get("reason").asText()).contains(reason);
        assertThat(report.get("batchId").asText()).isEqualTo(batch.get("id").toString());

        Map<String, Object> deadLetter =
                jdbc.queryForMap("SELECT * FROM dead_letter WHERE batch_id = ?", batch.get("id"));
        assertThat(deadLetter)
                .containsEntry("error_class", "io.camelingestor.core.InputRejectedException")
                .containsEntry("payload_ref", rejected(dataset, name).toString());
        assertThat((String) deadLetter.get("error_message")).contains(reason);
        return report;
    }
}
