package io.camelingestor.ingest.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camelingestor.core.InputRejectedException;
import io.camelingestor.core.RawRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.poi.hssf.usermodel.HSSFWorkbook;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.FormulaError;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How an XLSX sheet becomes a header and raw records. Workbooks are written with POI in each test, so what a
 * test reads is visible next to what it asserts; the cell texts must be those a CSV export of the same sheet
 * would hold, because the transformer's coercions are shared by both readers.
 */
class XlsxRecordReaderTest {

    private static final int BIG_ROWS = 200_000;

    @TempDir
    Path dir;

    @Test
    void readsTheHeaderAndEachKindOfCellAsText() throws IOException {
        Path file = write("kinds.xlsx", wb -> {
            Sheet sheet = wb.createSheet("Readings");
            CellStyle date = style(wb, "yyyy-mm-dd");
            CellStyle dateTime = style(wb, "yyyy-mm-dd hh:mm:ss");
            row(sheet, 0, "id", "name", "amount", "day", "at", "ok", "double", "label", "broken", "missing");
            Row r = sheet.createRow(1);
            r.createCell(0).setCellValue(12.0);
            r.createCell(1).setCellValue("  Alpha, Inc.  ");
            r.createCell(2).setCellValue(1234.5);
            r.createCell(3).setCellValue(LocalDate.of(2024, 3, 1));
            r.getCell(3).setCellStyle(date);
            r.createCell(4).setCellValue(LocalDateTime.of(2024, 3, 1, 13, 45, 30));
            r.getCell(4).setCellStyle(dateTime);
            r.createCell(5).setCellValue(true);
            r.createCell(6).setCellFormula("A2*2");
            r.createCell(7).setCellFormula("B2&\"!\"");
            r.createCell(8).setCellFormula("1/0");
            r.createCell(9).setCellErrorValue(FormulaError.NA.getCode());
            wb.getCreationHelper().createFormulaEvaluator().evaluateAll(); // the cached results Excel would save
        });

        try (RecordStream records = XlsxRecordReader.open(file, null)) {
            assertThat(records.header())
                    .containsExactly("id", "name", "amount", "day", "at", "ok", "double", "label", "broken", "missing");
            assertThat(records.detected()).containsEntry("format", "xlsx").containsEntry("sheet", "Readings");
            RawRecord record = records.next();
            assertThat(record.row()).isEqualTo(2);
            assertThat(record.values())
                    .containsExactly(
                            "12",
                            "  Alpha, Inc.  ",
                            "1234.5",
                            "2024-03-01",
                            "2024-03-01T13:45:30",
                            "true",
                            "24",
                            "  Alpha, Inc.  !",
                            "#DIV/0!",
                            "#N/A");
            assertThat(records.hasNext()).isFalse();
        }
    }

    @Test
    void numbersArePlainDecimalsWithoutExponentGroupingOrTrailingZeros() throws IOException {
        double[] numbers = {12.0, 1234.5, 0.1, -3.25, 0.0, 1e20, 1.5e-7, 1234567.891, 100.0};
        Path file = write("numbers.xlsx", wb -> {
            Sheet sheet = wb.createSheet("n");
            row(sheet, 0, "n");
            for (int i = 0; i < numbers.length; i++) {
                sheet.createRow(i + 1).createCell(0).setCellValue(numbers[i]);
            }
        });

        assertThat(readAll(file, null).stream().map(r -> r.value(0)))
                .containsExactly(
                        "12",
                        "1234.5",
                        "0.1",
                        "-3.25",
                        "0",
                        "100000000000000000000",
                        "0.00000015",
                        "1234567.891",
                        "100");
    }

    @Test
    void aDateTimeFormatKeepsMidnightAndADateFormatKeepsATimeOfDay() throws IOException {
        Path file = write("dates.xlsx", wb -> {
            Sheet sheet = wb.createSheet("d");
            row(sheet, 0, "date at midnight", "date-time at midnight", "date with a time", "time only");
            Row r = sheet.createRow(1);
            r.createCell(0).setCellValue(LocalDateTime.of(2024, 12, 31, 0, 0));
            r.getCell(0).setCellStyle(style(wb, "dd/mm/yyyy"));
            r.createCell(1).setCellValue(LocalDateTime.of(2024, 12, 31, 0, 0));
            r.getCell(1).setCellStyle(style(wb, "[$-409]m/d/yy h:mm AM/PM"));
            r.createCell(2).setCellValue(LocalDateTime.of(2024, 12, 31, 8, 30));
            r.getCell(2).setCellStyle(style(wb, "d-mmm-yy"));
            // 13:45 as Excel stores it, a fraction of a day that is not exact in binary: rounded to the second
            r.createCell(3).setCellValue(13.75 / 24);
            r.getCell(3).setCellStyle(style(wb, "hh:mm"));
        });

        assertThat(readAll(file, null).get(0).values())
                .containsExactly("2024-12-31", "2024-12-31T00:00:00", "2024-12-31T08:30:00", "1899-12-31T13:45:00");
    }

    @Test
    void missingAndBlankCellsKeepTheOthersUnderTheirHeaderAndBlankRowsAreSkipped() throws IOException {
        Path file = write("blanks.xlsx", wb -> {
            Sheet sheet = wb.createSheet("b");
            CellStyle styled = style(wb, "0.00");
            row(sheet, 0, "a", "b", "c", "d");
            Row gap = sheet.createRow(1); // b missing, c blank but styled, d missing
            gap.createCell(0).setCellValue("x");
            gap.createCell(2).setCellStyle(styled);
            Row blank = sheet.createRow(2); // only styled blank cells and spaces: skipped as a blank CSV line
            blank.createCell(0).setCellStyle(styled);
            blank.createCell(1).setCellValue("   ");
            // row 4 (index 3) does not exist at all
            Row wide = sheet.createRow(4); // a value beyond the header stays at its column; a styled blank after
            wide.createCell(1).setCellValue("y"); // it carries nothing and is dropped
            wide.createCell(5).setCellValue("extra");
            wide.createCell(8).setCellStyle(styled);
        });

        List<RawRecord> records = readAll(file, null);

        assertThat(records).extracting(RawRecord::row).containsExactly(2L, 5L);
        assertThat(records.get(0).values()).containsExactly("x", "", "", "");
        assertThat(records.get(1).values()).containsExactly("", "y", "", "", "", "extra");
    }

    @Test
    void theHeaderIsTheFirstNonBlankRowAndRowsAreNumberedAsExcelShowsThem() throws IOException {
        Path file = write("offset.xlsx", wb -> {
            Sheet sheet = wb.createSheet("o");
            sheet.createRow(1).createCell(2).setCellValue(""); // row 2: an empty string, still blank
            Row header = sheet.createRow(2); // row 3, starting in column B
            header.createCell(1).setCellValue("time");
            header.createCell(2).setCellValue("value");
            Row data = sheet.createRow(3);
            data.createCell(1).setCellValue("10:00");
            data.createCell(2).setCellValue(7);
        });

        try (RecordStream records = XlsxRecordReader.open(file, null)) {
            assertThat(records.header()).containsExactly("", "time", "value");
            RawRecord first = records.next();
            assertThat(first.row()).isEqualTo(4);
            assertThat(first.values()).containsExactly("", "10:00", "7");
        }
    }

    @Test
    void readsTheNamedSheetOrElseTheFirst() throws IOException {
        Path file = write("sheets.xlsx", wb -> {
            row(wb.createSheet("Summary"), 0, "total");
            row(wb.getSheet("Summary"), 1, "99");
            Sheet data = wb.createSheet("Data 2024");
            row(data, 0, "k");
            row(data, 1, "v");
        });

        try (RecordStream first = XlsxRecordReader.open(file, null)) {
            assertThat(first.header()).containsExactly("total");
            assertThat(first.detected()).containsEntry("sheet", "Summary");
        }
        try (RecordStream named = XlsxRecordReader.open(file, "Data 2024")) {
            assertThat(named.header()).containsExactly("k");
            assertThat(named.next().values()).containsExactly("v");
            assertThat(named.detected()).containsEntry("sheet", "Data 2024");
        }
        try (RecordStream anyCase = XlsxRecordReader.open(file, "data 2024")) { // as Excel matches names
            assertThat(anyCase.detected()).containsEntry("sheet", "Data 2024");
        }
    }

    @Test
    void anUnknownSheetIsRejectedListingTheSheetsFound() throws IOException {
        Path file = write("sheets.xlsx", wb -> {
            row(wb.createSheet("Summary"), 0, "total");
            row(wb.createSheet("Data"), 0, "k");
        });

        assertThatThrownBy(() -> XlsxRecordReader.open(file, "Readings"))
                .isInstanceOfSatisfying(InputRejectedException.class, e -> {
                    assertThat(e.getMessage()).contains("'Readings'", "'Summary'", "'Data'");
                    assertThat(e.details()).containsEntry("sheet", "Readings");
                    assertThat(e.details()).containsEntry("sheets", List.of("Summary", "Data"));
                });
    }

    @Test
    void anEmptySheetIsRejected() throws IOException {
        Path empty = write("empty.xlsx", wb -> wb.createSheet("Nothing"));
        Path blank = write("blank.xlsx", wb -> {
            Sheet sheet = wb.createSheet("Styled only");
            sheet.createRow(0).createCell(0).setCellStyle(style(wb, "0.00"));
            sheet.createRow(5).createCell(3).setCellValue(" ");
        });

        for (Path file : List.of(empty, blank)) {
            assertThatThrownBy(() -> XlsxRecordReader.open(file, null))
                    .isInstanceOf(InputRejectedException.class)
                    .hasMessage("empty sheet: no header row");
        }
    }

    @Test
    void filesThatAreNotXlsxWorkbooksAreRejected() throws IOException {
        byte[] random = new byte[8192];
        new Random(42).nextBytes(random);
        Path noise = Files.write(dir.resolve("noise.xlsx"), random);
        Path empty = Files.write(dir.resolve("empty.xlsx"), new byte[0]);
        Path csv = Files.writeString(dir.resolve("export.xlsx"), "id,name\n1,alpha\n2,beta\n");
        Path xls = dir.resolve("legacy.xlsx");
        try (HSSFWorkbook wb = new HSSFWorkbook();
                OutputStream out = Files.newOutputStream(xls)) {
            row(wb.createSheet("s"), 0, "id");
            wb.write(out);
        }
        Path whole = write("whole.xlsx", wb -> row(wb.createSheet("s"), 0, "id"));
        byte[] bytes = Files.readAllBytes(whole);
        Path truncated = Files.write(dir.resolve("truncated.xlsx"), Arrays.copyOf(bytes, bytes.length / 2));

        for (Path file : List.of(noise, empty, csv, xls, truncated)) {
            assertThatThrownBy(() -> XlsxRecordReader.open(file, null))
                    .as(file.getFileName().toString())
                    .isInstanceOfSatisfying(InputRejectedException.class, e -> {
                        assertThat(e.getMessage()).startsWith("not a readable XLSX workbook: ");
                        assertThat(e.details())
                                .containsEntry("file", file.getFileName().toString());
                    });
        }
    }

    @Test
    void aSheetWhoseXmlBreaksMidwayIsRejectedWhereItBreaks() throws IOException {
        Path whole = write("whole.xlsx", wb -> {
            Sheet sheet = wb.createSheet("s");
            row(sheet, 0, "n");
            for (int i = 1; i <= 2000; i++) {
                sheet.createRow(i).createCell(0).setCellValue(i);
            }
        });
        // a valid archive whose sheet part stops halfway, as a writer killed mid-save leaves it
        Path cut = dir.resolve("cut.xlsx");
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(whole));
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(cut))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                byte[] bytes = in.readAllBytes();
                if (entry.getName().equals("xl/worksheets/sheet1.xml")) {
                    bytes = Arrays.copyOf(bytes, bytes.length / 2);
                }
                out.putNextEntry(new ZipEntry(entry.getName()));
                out.write(bytes);
                out.closeEntry();
            }
        }

        List<RawRecord> read = new ArrayList<>();
        try (RecordStream records = XlsxRecordReader.open(cut, null)) {
            assertThatThrownBy(() -> records.forEachRemaining(read::add))
                    .isInstanceOfSatisfying(InputRejectedException.class, e -> {
                        assertThat(e.getMessage()).startsWith("malformed XLSX after row " + (read.size() + 1));
                        assertThat(e.details()).containsEntry("row", read.size() + 2);
                    });
        }
        assertThat(read).isNotEmpty().hasSizeLessThan(2000);
    }

    @Test
    void aMissingFileIsAnIoErrorNotARejection() {
        assertThatThrownBy(() -> XlsxRecordReader.open(dir.resolve("gone.xlsx"), null))
                .isInstanceOf(IOException.class);
    }

    /**
     * A sheet of 200,000 rows read whole in a JVM whose heap (64 MB) is smaller than the workbook would take
     * loaded: only the streaming of rows makes it pass. A child JVM, because the test JVM's heap is shared with
     * every other test and could not show a bound.
     */
    @Test
    void aLargeSheetIsReadInBoundedMemory() throws Exception {
        Path file = dir.resolve("big.xlsx");
        long writeStarted = System.nanoTime();
        // shared strings as Excel writes them; the row window keeps the test JVM's own memory small
        try (SXSSFWorkbook wb = new SXSSFWorkbook(new XSSFWorkbook(), 100, true, true)) {
            Sheet sheet = wb.createSheet("Readings");
            CellStyle dateTime = style(wb, "yyyy-mm-dd hh:mm:ss");
            row(sheet, 0, "timestamp", "device", "reading_id", "power_kw", "status");
            LocalDateTime start = LocalDateTime.of(2024, 1, 1, 0, 0);
            for (int i = 1; i <= BIG_ROWS; i++) {
                Row r = sheet.createRow(i);
                r.createCell(0).setCellValue(start.plusMinutes(i));
                r.getCell(0).setCellStyle(dateTime);
                r.createCell(1).setCellValue("inverter-" + (i % 20));
                r.createCell(2).setCellValue(String.format("R%08d", i)); // unique: the worst case for shared strings
                r.createCell(3).setCellValue(i * 0.125);
                r.createCell(4).setCellValue(i % 100);
            }
            try (OutputStream out = Files.newOutputStream(file)) {
                wb.write(out);
            }
        }
        double writeSeconds = (System.nanoTime() - writeStarted) / 1e9;

        Process child = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx64m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        CountRows.class.getName(),
                        file.toString())
                .redirectErrorStream(true)
                .start();
        long readStarted = System.nanoTime();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean exited = child.waitFor(300, TimeUnit.SECONDS);
        double readSeconds = (System.nanoTime() - readStarted) / 1e9;
        if (!exited) {
            child.destroyForcibly().waitFor();
        }

        assertThat(exited).as("the child JVM finished").isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        Matcher count = Pattern.compile("^rows=(\\d+)$", Pattern.MULTILINE).matcher(output);
        assertThat(count.find()).as(output).isTrue();
        assertThat(Long.parseLong(count.group(1))).isEqualTo(BIG_ROWS);
        System.out.printf(
                "XLSX %,d rows x 5 columns, %.1f MB (written in %.1f s), read with -Xmx64m in %.1f s: %s%n",
                BIG_ROWS, Files.size(file) / 1048576.0, writeSeconds, readSeconds, output.strip());
    }

    /** Run in the child JVM: reads the sheet through the reader and prints how many records it gave. */
    static final class CountRows {
        public static void main(String[] args) throws IOException {
            long started = System.nanoTime();
            long rows = 0;
            long lastRow = 0;
            try (RecordStream records = XlsxRecordReader.open(Path.of(args[0]), null)) {
                while (records.hasNext()) {
                    RawRecord record = records.next();
                    rows++;
                    lastRow = record.row();
                }
            }
            Runtime runtime = Runtime.getRuntime();
            System.out.println("rows=" + rows);
            System.out.printf(
                    "lastRow=%d maxHeapMB=%d usedHeapMB=%d seconds=%.1f%n",
                    lastRow,
                    runtime.maxMemory() / 1048576,
                    (runtime.totalMemory() - runtime.freeMemory()) / 1048576,
                    (System.nanoTime() - started) / 1e9);
        }
    }

    private Path write(String name, Consumer<XSSFWorkbook> content) throws IOException {
        Path file = dir.resolve(name);
        try (XSSFWorkbook wb = new XSSFWorkbook();
                OutputStream out = Files.newOutputStream(file)) {
            content.accept(wb);
            wb.write(out);
        }
        return file;
    }

    private static List<RawRecord> readAll(Path file, String sheet) throws IOException {
        List<RawRecord> records = new ArrayList<>();
        try (RecordStream stream = XlsxRecordReader.open(file, sheet)) {
            stream.forEachRemaining(records::add);
        }
        return records;
    }

    private static CellStyle style(Workbook wb, String format) {
        CellStyle style = wb.createCellStyle();
        style.setDataFormat(wb.createDataFormat().getFormat(format));
        return style;
    }

    private static void row(Sheet sheet, int index, String... texts) {
        Row row = sheet.createRow(index);
        for (int i = 0; i < texts.length; i++) {
            row.createCell(i).setCellValue(texts[i]);
        }
    }
}
