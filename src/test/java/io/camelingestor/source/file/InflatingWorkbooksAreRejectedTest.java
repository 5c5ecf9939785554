package io.camelingestor.source.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelingestor.TestDataDir;
import io.camelingestor.ingest.read.HandWrittenWorkbooks;
import io.camelingestor.restart.ChildIngestor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Workbooks built to exhaust the service, dropped into a service running in a 256 MB heap (as in a container or
 * the benchmark): one cell that inflates to 400 million characters (a few megabytes on disk, under POI's own
 * zip bomb guard), a sheet that is a zip bomb, a sheet with an XML DOCTYPE. Each ends REJECTED on its first try
 * with a report naming the limit it crossed, nothing is redelivered, and the service goes on loading the next
 * workbook. In a child JVM, because only a heap of its own can show that the huge cell is never held.
 */
class InflatingWorkbooksAreRejectedTest {

    private static final String[] HEADER = {"Date", "Nr. animals", "Day production/cow (kg)"};

    private final Path dataDir = Path.of("target/inflating-workbooks-test/data").toAbsolutePath();
    private final Path work = dataDir.resolveSibling("work");

    @Test
    void eachIsRejectedAtOnceNamingItsLimitAndTheServiceGoesOn() throws Exception {
        TestDataDir.delete(dataDir.getParent());
        Files.createDirectories(work);
        long hugeCell = 400_000_000L;
        Path cell = HandWrittenWorkbooks.write(
                work.resolve("huge-cell.xlsx"),
                HandWrittenWorkbooks.SHEET,
                HandWrittenWorkbooks.sheetWithHugeCell(hugeCell, HEADER),
                HEADER);
        // between 50:1 and 100:1: POI's own guard (100:1) lets it through, only the cell limit can stop it
        assertThat(Files.size(cell)).isBetween(hugeCell / 100, hugeCell / 50);
        Path bomb = HandWrittenWorkbooks.write(
                work.resolve("zip-bomb.xlsx"),
                HandWrittenWorkbooks.SHEET,
                HandWrittenWorkbooks.sheetOfSpace(1_000_000_000L, HEADER),
                HEADER);
        assertThat(Files.size(bomb)).isLessThan(5_000_000);
        Path doctype = HandWrittenWorkbooks.write(
                work.resolve("doctype.xlsx"),
                HandWrittenWorkbooks.SHEET,
                HandWrittenWorkbooks.withDoctype("worksheet"));
        Path fine = fineWorkbook(work.resolve("fine.xlsx"));

        try (ChildIngestor service = ChildIngestor.start(dataDir, "inflating-node", Map.of(), Map.of(), "256m")) {
            JdbcTemplate db = service.database();
            Path inbound = dataDir.resolve("inbound/dairy_production");
            for (Path file : new Path[] {cell, bomb, doctype}) {
                Files.move(file, inbound.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
            }

            assertRejected(
                    db,
                    "huge-cell.xlsx",
                    "XLSX cell A2 in row 2 longer than 32767 characters",
                    "ingestor.xlsx.max-cell-chars");
            assertRejected(
                    db,
                    "zip-bomb.xlsx",
                    "inflates more than 100 times its compressed size: a zip bomb",
                    "zip inflate ratio");
            assertRejected(db, "doctype.xlsx", "has an XML DOCTYPE, refused", "doctype");

            Files.move(fine, inbound.resolve("fine.xlsx"), StandardCopyOption.ATOMIC_MOVE);
            awaitStatus(db, "fine.xlsx", "LOADED");
            // the dead letter channel logs the first try as attempt 0; a redelivery would be attempt 1 and up
            String log = service.log();
            assertThat(log).contains("On delivery attempt: 0").doesNotContain("OutOfMemoryError");
            assertThat(Pattern.compile("On delivery attempt: [1-9]")
                            .matcher(log)
                            .find())
                    .as("a redelivery in the log")
                    .isFalse();
        }
    }

    private void assertRejected(JdbcTemplate db, String name, String reason, String limit) throws IOException {
        awaitStatus(db, name, "REJECTED");
        assertThat(db.queryForList("SELECT error FROM ingest_batch WHERE input_id LIKE ?", String.class, name + ":%"))
                .as("one batch, never retried")
                .singleElement()
                .asString()
                .contains(reason);
        // the dead letter is written by the dead-letter route just after the batch ended: waited for, not raced
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(db.queryForList(
                        "SELECT error_class FROM dead_letter d JOIN ingest_batch b ON b.id = d.batch_id"
                                + " WHERE b.input_id LIKE ?",
                        String.class,
                        name + ":%"))
                .containsExactly("io.camelingestor.core.InputRejectedException"));
        Path rejected = dataDir.resolve("rejected/dairy_production");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(rejected.resolve(name)).exists();
            assertThat(rejected.resolve(name + ".error.json")).exists();
        });
        JsonNode report = new ObjectMapper()
                .readTree(rejected.resolve(name + ".error.json").toFile());
        assertThat(report.get("status").asText()).isEqualTo("REJECTED");
        assertThat(report.get("reason").asText()).contains(reason);
        assertThat(report.at("/details/limit").asText()).isEqualTo(limit);
    }

    private static void awaitStatus(JdbcTemplate db, String name, String status) {
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    String now = ChildIngestor.latestStatus(db, name);
                    assertThat(now).as(name).isNotIn("FAILED", "LOADED".equals(status) ? "REJECTED" : "LOADED");
                    return status.equals(now);
                });
    }

    private static Path fineWorkbook(Path file) throws IOException {
        try (XSSFWorkbook book = new XSSFWorkbook();
                OutputStream out = Files.newOutputStream(file)) {
            Sheet sheet = book.createSheet("Production");
            CellStyle date = book.createCellStyle();
            date.setDataFormat(book.getCreationHelper().createDataFormat().getFormat("dd/mm/yyyy"));
            Row header = sheet.createRow(0);
            for (int i = 0; i < HEADER.length; i++) {
                header.createCell(i).setCellValue(HEADER[i]);
            }
            Row row = sheet.createRow(1);
            row.createCell(0).setCellValue(LocalDateTime.of(2019, 6, 1, 0, 0));
            row.getCell(0).setCellStyle(date);
            row.createCell(1).setCellValue(120);
            row.createCell(2).setCellValue(30.5);
            book.write(out);
        }
        return file;
    }
}
