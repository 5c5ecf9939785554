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
import org.springframework.util.unit.DataSize;

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

    /** Issue 10: the reader opens the file itself, not what a link put in its place points at. */
    @Test
    void aLinkInPlaceOfTheWorkbookIsNotFollowed() throws IOException {
        Path target = write("target.xlsx", wb -> row(wb.createSheet("s"), 0, "secret-column-7c2e"));
        try (RecordStream ok = XlsxRecordReader.open(target, null)) {
            assertThat(ok.header()).containsExactly("secret-column-7c2e"); // the workbook itself is readable
        }
        Path link = Files.createSymbolicLink(dir.resolve("link.xlsx"), target);
        assertThatThrownBy(() -> XlsxRecordReader.open(link, null).close())
                .satisfies(e -> assertThat(e.toString()).doesNotContain("secret-column-7c2e"))
                .isInstanceOfAny(IOException.class, InputRejectedException.class);
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

    /** Limits small enough to cross with a workbook of a few kilobytes; each test lowers the one it checks. */
    private static XlsxLimits limits(int cellChars, String entry, String total, String sharedStrings) {
        return new XlsxLimits(cellChars, DataSize.parse(entry), DataSize.parse(total), DataSize.parse(sharedStrings));
    }

    @Test
    void aCellLongerThanTheLimitIsRejectedNamingTheCellAndTheLimit() throws IOException {
        Path file = HandWrittenWorkbooks.write(
                dir.resolve("long-cell.xlsx"),
                HandWrittenWorkbooks.SHEET,
                HandWrittenWorkbooks.sheetWithHugeCell(40_000, "Date"),
                "Date");

        try (RecordStream records = XlsxRecordReader.open(file, null)) { // Excel's own 32,767 by default
            assertThat(records.header()).containsExactly("Date");
            assertThatThrownBy(records::next).isInstanceOfSatisfying(InputRejectedException.class, e -> {
                assertThat(e.getMessage())
                        .isEqualTo("XLSX cell A2 in row 2 longer than 32767 characters (ingestor.xlsx.max-cell-chars)");
                assertThat(e.details())
                        .containsEntry("cell", "A2")
                        .containsEntry("row", 2)
                        .containsEntry("limit", "ingestor.xlsx.max-cell-chars")
                        .containsEntry("max", 32767);
            });
        }
        try (RecordStream records = XlsxRecordReader.open(file, null, limits(40_000, "1GB", "2GB", "64MB"))) {
            assertThat(records.next().value(0)).hasSize(40_000);
        }
    }

    @Test
    void aSharedStringLongerThanTheLimitIsRejected() throws IOException {
        Path file = write("long-string.xlsx", wb -> row(wb.createSheet("s"), 0, "id", "a rather long header text"));

        assertThatThrownBy(() -> XlsxRecordReader.open(file, null, limits(10, "1GB", "2GB", "64MB")))
                .isInstanceOfSatisfying(InputRejectedException.class, e -> {
                    assertThat(e.getMessage())
                            .isEqualTo("XLSX shared string 2 longer than 10 characters (ingestor.xlsx.max-cell-chars)");
                    assertThat(e.details()).containsEntry("limit", "ingestor.xlsx.max-cell-chars");
                });
    }

    @Test
    void aSharedStringsTableOverItsBudgetIsRejected() throws IOException {
        Path file = write("many-strings.xlsx", wb -> {
            Sheet sheet = wb.createSheet("s");
            row(sheet, 0, "id");
            for (int i = 1; i <= 200; i++) {
                row(sheet, i, "distinct value " + i);
            }
        });

        assertThatThrownBy(() -> XlsxRecordReader.open(file, null, limits(100, "1GB", "2GB", "8KB")))
                .isInstanceOfSatisfying(InputRejectedException.class, e -> {
                    assertThat(e.getMessage())
                            .startsWith("XLSX shared strings table larger than 8KB in memory after ")
                            .endsWith("(ingestor.xlsx.max-shared-strings-size)");
                    assertThat(e.details()).containsEntry("limit", "ingestor.xlsx.max-shared-strings-size");
                });
        try (RecordStream records = XlsxRecordReader.open(file, null, limits(100, "1GB", "2GB", "64KB"))) {
            assertThat(records.header()).containsExactly("id");
        }
    }

    @Test
    void aPartOrAWorkbookInflatingBeyondItsLimitIsRejectedWhileItInflates() throws IOException {
        Path file = HandWrittenWorkbooks.write(
                dir.resolve("wide.xlsx"),
                HandWrittenWorkbooks.SHEET,
                HandWrittenWorkbooks.sheetWithHugeCell(200_000, "id"), // about 65:1, under POI's own guard
                "id");

        try (RecordStream records = XlsxRecordReader.open(file, null, limits(1_000_000, "100KB", "2GB", "64MB"))) {
            assertThatThrownBy(records::next).isInstanceOfSatisfying(InputRejectedException.class, e -> {
                assertThat(e.getMessage())
                        .isEqualTo("XLSX sheet 'Data' inflates beyond 100KB (ingestor.xlsx.max-entry-size)");
                assertThat(e.details())
                        .containsEntry("part", "sheet 'Data'")
                        .containsEntry("limit", "ingestor.xlsx.max-entry-size")
                        .containsEntry("max", "100KB");
            });
        }
        try (RecordStream records = XlsxRecordReader.open(file, null, limits(1_000_000, "1MB", "150KB", "64MB"))) {
            assertThatThrownBy(records::next)
                    .isInstanceOfSatisfying(InputRejectedException.class, e -> assertThat(e.details())
                            .containsEntry("limit", "ingestor.xlsx.max-total-size"));
        }
        try (RecordStream records = XlsxRecordReader.open(file, null, limits(1_000_000, "1MB", "2MB", "64MB"))) {
            assertThat(records.next().value(0)).hasSize(200_000);
        }
    }

    @Test
    void aZipBombEntryIsRefusedAsSuch() throws IOException {
        // 300 MB of white space deflate to about 300 kB: a thousand to one, over POI's 100:1 guard
        Path file = HandWrittenWorkbooks.write(
                dir.resolve("bomb.xlsx"),
                HandWrittenWorkbooks.SHEET,
                HandWrittenWorkbooks.sheetOfSpace(300_000_000L, "id"),
                "id");
        assertThat(Files.size(file)).isLessThan(2_000_000);

        assertThatThrownBy(() -> XlsxRecordReader.open(file, null))
                .isInstanceOfSatisfying(InputRejectedException.class, e -> {
                    assertThat(e.getMessage())
                            .isEqualTo("XLSX sheet 'Data' inflates more than 100 times its compressed size: a zip"
                                    + " bomb, refused");
                    assertThat(e.details()).containsEntry("limit", "zip inflate ratio");
                });
    }

    @Test
    void anXmlDoctypeIsRefusedInASheetAndInTheSharedStrings() throws IOException {
        Path inSheet = HandWrittenWorkbooks.write(
                dir.resolve("doctype-sheet.xlsx"),
                HandWrittenWorkbooks.SHEET,
                HandWrittenWorkbooks.withDoctype("worksheet"),
                "id");
        Path inStrings = HandWrittenWorkbooks.write(
                dir.resolve("doctype-strings.xlsx"),
                HandWrittenWorkbooks.SHARED_STRINGS,
                HandWrittenWorkbooks.withDoctype("sst"),
                "id");

        assertThatThrownBy(() -> XlsxRecordReader.open(inSheet, null))
                .isInstanceOfSatisfying(InputRejectedException.class, e -> {
                    assertThat(e.getMessage())
                            .isEqualTo("XLSX sheet 'Data' has an XML DOCTYPE, refused (entity expansion, external"
                                    + " entities)");
                    assertThat(e.details()).containsEntry("limit", "doctype");
                });
        assertThatThrownBy(() -> XlsxRecordReader.open(inStrings, null))
                .isInstanceOfSatisfying(InputRejectedException.class, e -> assertThat(e.getMessage())
                        .startsWith("XLSX shared strings has an XML DOCTYPE, refused"));
    }

    @Test
    void cellsWrittenByOtherToolsReadAsTheirValues() throws IOException {
        // no cell references (allowed: the next column), inline rich text with a phonetic run, an escaped
        // character, a boolean, an ISO date cell, a stored number with 17 digits as Excel writes 28.4
        Path file = HandWrittenWorkbooks.write(
                dir.resolve("other-tools.xlsx"),
                HandWrittenWorkbooks.SHEET,
                HandWrittenWorkbooks.sheet("<row><c t=\"inlineStr\"><is><t>a</t></is></c>"
                        + "<c t=\"inlineStr\"><is><t>b</t></is></c><c t=\"inlineStr\"><is><t>c</t></is></c>"
                        + "<c t=\"inlineStr\"><is><t>d</t></is></c><c t=\"inlineStr\"><is><t>e</t></is></c></row>"
                        + "<row><c t=\"inlineStr\"><is><r><t>Ka</t></r><r><t xml:space=\"preserve\">ta </t></r>"
                        + "<rPh sb=\"0\" eb=\"1\"><t>KA</t></rPh></is></c>"
                        + "<c t=\"inlineStr\"><is><t>line_x000D_end</t></is></c>"
                        + "<c t=\"b\"><v>1</v></c><c t=\"d\"><v>2024-03-01T00:00:00</v></c>"
                        + "<c><v>28.399999999999999</v></c></row>"),
                "a");

        try (RecordStream records = XlsxRecordReader.open(file, null)) {
            assertThat(records.header()).containsExactly("a", "b", "c", "d", "e");
            RawRecord record = records.next();
            assertThat(record.row()).isEqualTo(2);
            assertThat(record.values()).containsExactly("Kata ", "line\rend", "true", "2024-03-01", "28.4");
        }
    }

    @Test
    void storedNumbersReadAsTheRoundTripThroughADoubleWouldGiveThem() {
        for (String stored : List.of(
                "0",
                "-0",
                "12",
                "12.0",
                "0.1",
                "-3.25",
                "007",
                "100",
                "1234567.891",
                "0.00000015",
                "45659",
                "123456789012345",
                "-0.0",
                "1000000.000",
                "3.14159265358979")) {
            assertThat(XlsxRecordReader.plainDecimal(stored))
                    .as(stored)
                    .isEqualTo(XlsxRecordReader.number(Double.parseDouble(stored)));
        }
        for (String slow : List.of(
                "1.0E20", "28.399999999999999", "0.5729166666666666", "1234567890123456", "", "-", ".", "1e5", "0x1")) {
            assertThat(XlsxRecordReader.plainDecimal(slow)).as(slow).isNull();
        }
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
