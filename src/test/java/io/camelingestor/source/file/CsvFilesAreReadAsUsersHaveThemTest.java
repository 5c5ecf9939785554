package io.camelingestor.source.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.camelingestor.IngestorIntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real-world CSV shapes (fixtures in {@code src/test/resources/files/csv/}) dropped into the inbound folders:
 * delimiters, quoting, line ends, encodings, stray columns and blank lines, summary rows, sloppy headers.
 */
class CsvFilesAreReadAsUsersHaveThemTest extends IngestorIntegrationTest {

    private static final Path FIXTURES = Path.of("src/test/resources/files/csv");

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "semicolon-decimal-comma.csv",
                "tab-delimited.csv",
                "quoted-crlf.csv",
                "utf8-bom.csv",
                "utf16le-bom.csv",
                "utf16be-bom.csv",
                "trailing-columns-blank-lines.csv",
                "tolerant-header.csv",
                "us-ampm.csv"
            })
    void energyFileIsLoaded(String fixture) throws Exception {
        String device = newDeviceId();
        String name = device + "-" + fixture;
        drop("energy_hourly", name, Files.readAllBytes(FIXTURES.resolve(fixture)));

        Map<String, Object> batch = awaitBatch("energy_hourly", name);
        cleanUp(batch);

        assertThat(batch)
                .as(String.valueOf(batch.get("error")))
                .containsEntry("status", "LOADED")
                .containsEntry("rows_total", 3L);
        assertThat(jdbc.queryForList(
                        "SELECT to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') || ' ' || energy_kwh FROM fact_energy_hourly WHERE device_id = ? ORDER BY ts",
                        String.class,
                        device))
                .containsExactly("2025-04-01 00:00 1.5", "2025-04-01 01:00 2.25", "2025-04-01 02:00 1234.5");
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource({
        "ambiguous-decided-by-comma.csv, 1.234, comma",
        "ambiguous-decided-by-dot.csv, 1234.0, dot"
    })
    void anAmbiguousNumberIsReadLikeTheRestOfTheFile(String fixture, double first, String mark) throws Exception {
        String device = newDeviceId();
        String name = device + "-" + fixture;
        drop("energy_hourly", name, Files.readAllBytes(FIXTURES.resolve(fixture)));
        Map<String, Object> batch = awaitBatch("energy_hourly", name);
        cleanUp(batch);

        assertThat(batch).containsEntry("status", "LOADED");
        assertThat(jdbc.queryForList(
                        "SELECT energy_kwh FROM fact_energy_hourly WHERE device_id = ? ORDER BY ts",
                        Double.class,
                        device))
                .containsExactly(first, 12.5);
        assertThat(jdbc.queryForObject(
                        "SELECT metadata #>> '{detected,decimalMark}' FROM ingest_batch WHERE id = ?",
                        String.class,
                        batch.get("id")))
                .isEqualTo(mark);
    }

    @Test
    void anAmbiguousNumberInAFileWritingDecimalsBothWaysIsAnError() throws Exception {
        String device = newDeviceId();
        String name = device + "-contradicting-decimal-marks.csv";
        drop("energy_hourly", name, Files.readAllBytes(FIXTURES.resolve("contradicting-decimal-marks.csv")));
        Map<String, Object> batch = awaitBatch("energy_hourly", name);
        cleanUp(batch);

        assertThat(batch).containsEntry("status", "PARTIAL").containsEntry("rows_invalid", 1L);
        assertThat(jdbc.queryForList(
                        "SELECT energy_kwh FROM fact_energy_hourly WHERE device_id = ? ORDER BY ts",
                        Double.class,
                        device))
                .containsExactly(12.5, 3.25);
        assertThat(jdbc.queryForObject(
                        "SELECT errors->0->>'message' FROM staging_energy_hourly WHERE batch_id = ? AND NOT valid",
                        String.class,
                        batch.get("id")))
                .isEqualTo(
                        "'1,234' is ambiguous and this input writes decimals both ways (row 2 column 'Hourly' '12,5' has"
                                + " a decimal comma, row 3 column 'Hourly' '3.25' a decimal dot); set source.decimal in the mapping");
    }

    @Test
    void extraColumnsAreKeptInTheRawStagingData() throws Exception {
        String name = newDeviceId() + "-tolerant-header.csv";
        drop("energy_hourly", name, Files.readAllBytes(FIXTURES.resolve("tolerant-header.csv")));
        Map<String, Object> batch = awaitBatch("energy_hourly", name);
        cleanUp(batch);

        assertThat(jdbc.queryForObject(
                        "SELECT staging_object(b.metadata->'detected'->'header', s.raw)->>'Extra column' FROM staging_energy_hourly s JOIN ingest_batch b ON b.id = s.batch_id"
                                + " WHERE s.batch_id = ? AND s.row_number = 2",
                        String.class,
                        batch.get("id")))
                .isEqualTo("kept in raw");
    }

    @Test
    void rowNumbersAreTheRowsASpreadsheetShowsBlankLinesIncluded() throws Exception {
        String name = newDeviceId() + "-trailing-columns-blank-lines.csv";
        drop("energy_hourly", name, Files.readAllBytes(FIXTURES.resolve("trailing-columns-blank-lines.csv")));
        Map<String, Object> batch = awaitBatch("energy_hourly", name);
        cleanUp(batch);

        assertThat(jdbc.queryForList(
                        "SELECT row_number FROM staging_energy_hourly WHERE batch_id = ? ORDER BY row_number",
                        Long.class,
                        batch.get("id")))
                .containsExactly(3L, 4L, 7L);
    }

    @Test
    void windows1252IsDetectedForUnitsInTheHeader() throws Exception {
        String name = "station_" + newDeviceId() + "_w1252.csv";
        drop("environmental_metrics", name, Files.readAllBytes(FIXTURES.resolve("windows-1252-environmental.csv")));

        Map<String, Object> batch = awaitBatch("environmental_metrics", name);
        cleanUp(batch);

        assertThat(batch)
                .as(String.valueOf(batch.get("error")))
                .containsEntry("status", "LOADED")
                .containsEntry("rows_total", 2L);
        assertThat(jdbc.queryForObject(
                        "SELECT metadata #>> '{detected,charset}' FROM ingest_batch WHERE id = ?",
                        String.class,
                        batch.get("id")))
                .isEqualTo("windows-1252");
        assertThat(jdbc.queryForList(
                        "SELECT temperature || '/' || pm10 FROM environmental_metrics WHERE batch_id = ? ORDER BY \"timestamp\"",
                        String.class,
                        batch.get("id")))
                .containsExactly("12.50/15.50", "12.10/16.00");
    }

    @Test
    void quotedMultilineFieldsAndSummaryRows() throws Exception {
        String name = "farm-" + newDeviceId() + ".csv";
        drop("dairy_production", name, Files.readAllBytes(FIXTURES.resolve("quoted-multiline-dairy.csv")));

        Map<String, Object> batch = awaitBatch("dairy_production", name);
        cleanUp(batch);

        assertThat(batch)
                .as(String.valueOf(batch.get("error")))
                .containsEntry("status", "LOADED")
                .containsEntry("rows_total", 3L);
        assertThat(jdbc.queryForObject(
                        "SELECT metadata ->> 'rowsSkipped' FROM ingest_batch WHERE id = ?",
                        String.class,
                        batch.get("id")))
                .isEqualTo("2");
        List<String> rows = jdbc.queryForList(
                "SELECT production_date || ' ' || number_of_animals || ' ' || day_production_per_cow_kg FROM dairy_production WHERE batch_id = ? ORDER BY production_date",
                String.class,
                batch.get("id"));
        assertThat(rows).containsExactly("2025-04-01 120 28.50", "2025-04-02 121 29.00", "2025-04-03 119 27.50");
        assertThat(jdbc.queryForObject(
                        "SELECT staging_object(b.metadata->'detected'->'header', s.raw)->>'Notes' FROM staging_dairy_production s JOIN ingest_batch b ON b.id = s.batch_id"
                                + " WHERE s.batch_id = ? AND s.row_number = 3",
                        String.class,
                        batch.get("id")))
                .isEqualTo("vet visit, \"routine\"\nsecond line");
    }
}
