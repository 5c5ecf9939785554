package io.camelingestor.source.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.camelingestor.IngestorIntegrationTest;
import java.io.ByteArrayOutputStream;
import java.time.LocalDateTime;
import java.util.Map;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

/** XLSX workbooks and JSON files go through the same folders, mappings and pipeline as CSV. */
class ExcelAndJsonFilesAreLoadedTest extends IngestorIntegrationTest {

    @Test
    void workbookWithDateCellsSerialNumbersAndTextDates() throws Exception {
        String name = "herd-" + newDeviceId() + ".xlsx";
        drop("dairy_production", name, workbook());

        Map<String, Object> batch = awaitBatch("dairy_production", name);
        cleanUp(batch);

        assertThat(batch)
                .as(String.valueOf(batch.get("error")))
                .containsEntry("status", "PARTIAL")
                .containsEntry("rows_total", 4L)
                .containsEntry("rows_valid", 3L);
        assertThat(jdbc.queryForList(
                        "SELECT production_date || ' ' || number_of_animals || ' ' || day_production_per_cow_kg FROM dairy_production WHERE batch_id = ? ORDER BY production_date",
                        String.class,
                        batch.get("id")))
                .containsExactly("2025-01-01 150 28.40", "2025-01-02 151 28.90", "2025-01-03 149 27.10");
        assertThat(jdbc.queryForObject(
                        "SELECT errors::text FROM staging_dairy_production WHERE batch_id = ? AND NOT valid",
                        String.class,
                        batch.get("id")))
                .contains("\"row\": 5", "\"column\": \"Nr. animals\"", "\"rule\": \"type\"");
        assertThat(processed("dairy_production", name)).exists();
    }

    @Test
    void jsonArrayOfRecords() throws Exception {
        String device = newDeviceId();
        String name = device + "-hourly.json";
        drop(
                "energy_hourly",
                name,
                """
                [
                  {"Date and Time": "2025-07-01T00:00:00", "Hourly": 1.5, "note": {"source": "meter"}},
                  {"Date and Time": "2025-07-01T01:00:00", "Hourly": "2,5"},
                  {"Date and Time": "2025-07-01T02:00:00"}
                ]
                """);

        Map<String, Object> batch = awaitBatch("energy_hourly", name);
        cleanUp(batch);

        assertThat(batch)
                .containsEntry("status", "PARTIAL")
                .containsEntry("rows_valid", 2L)
                .containsEntry("rows_invalid", 1L);
        assertThat(jdbc.queryForList(
                        "SELECT energy_kwh FROM fact_energy_hourly WHERE device_id = ? ORDER BY ts",
                        Double.class,
                        device))
                .containsExactly(1.5, 2.5);
        assertThat(jdbc.queryForObject(
                        "SELECT staging_object(b.metadata->'detected'->'header', s.raw)->>'note' FROM staging_energy_hourly s JOIN ingest_batch b ON b.id = s.batch_id"
                                + " WHERE s.batch_id = ? AND s.row_number = 2",
                        String.class,
                        batch.get("id")))
                .isEqualTo("{\"source\":\"meter\"}");
    }

    /** Dates as date cells, as Excel serial numbers in plain cells, and as text; one unreadable count. */
    private static byte[] workbook() throws Exception {
        try (XSSFWorkbook book = new XSSFWorkbook();
                ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            Sheet sheet = book.createSheet("Production");
            CellStyle dateStyle = book.createCellStyle();
            dateStyle.setDataFormat(book.getCreationHelper().createDataFormat().getFormat("dd/mm/yyyy"));
            Row header = sheet.createRow(0);
            header.createCell(0).setCellValue("Date");
            header.createCell(1).setCellValue("Nr. animals");
            header.createCell(2).setCellValue("Day production/cow (kg)");
            Row r1 = sheet.createRow(1);
            r1.createCell(0).setCellValue(LocalDateTime.of(2025, 1, 1, 0, 0));
            r1.getCell(0).setCellStyle(dateStyle);
            r1.createCell(1).setCellValue(150);
            r1.createCell(2).setCellValue(28.4);
            Row r2 = sheet.createRow(2);
            r2.createCell(0).setCellValue(45659); // 2025-01-02 as a serial number in a plain cell
            r2.createCell(1).setCellValue(151);
            r2.createCell(2).setCellValue(28.9);
            Row r3 = sheet.createRow(3);
            r3.createCell(0).setCellValue("2025-01-03");
            r3.createCell(1).setCellValue("149");
            r3.createCell(2).setCellValue("27,1");
            Row r4 = sheet.createRow(4);
            r4.createCell(0).setCellValue("2025-01-04");
            r4.createCell(1).setCellValue("many");
            book.write(out);
            return out.toByteArray();
        }
    }
}
