package io.camelingestor.ingest.read;

import com.github.pjfanning.xlsx.StreamingReader;
import io.camelingestor.core.InputRejectedException;
import io.camelingestor.core.RawRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.regex.Pattern;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Date1904Support;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.usermodel.FormulaError;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;

/**
 * Streams one sheet of an XLSX workbook with excel-streaming-reader: rows are parsed from the sheet's XML as
 * they are asked for, a hundred at a time, so a large sheet needs little heap. The header is the first row
 * with a non-blank cell; every later row that is not wholly blank becomes a {@link RawRecord} numbered as
 * Excel shows it, its cells turned into the text a CSV export would hold (see {@link #text}).
 *
 * <p>One part of the workbook is held whole: the shared strings table, which the sheet's string cells point
 * into. Its size grows with the number of distinct strings, not with the number of rows.
 */
public final class XlsxRecordReader {

    private static final int ROW_CACHE_SIZE = 100;
    private static final int BUFFER_SIZE = 4096;

    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ISO_LOCAL_DATE;

    /**
     * Parts of a number format that never stand for a time of day: quoted or backslash-escaped literals, and
     * bracketed sections (locale {@code [$-409]}, colour {@code [Red]}, condition {@code [<100]}) other than
     * the elapsed-time tokens {@code [h] [mm] [ss]}.
     */
    private static final Pattern FORMAT_LITERALS = Pattern.compile("\"[^\"]*\"|\\\\.|\\[(?![hHmMsS]+\\])[^\\]]*\\]");

    private XlsxRecordReader() {}

    /**
     * Opens the workbook and reads up to its header row; the stream must be closed, which closes the workbook.
     *
     * @param sheetName the sheet to read, matched as Excel does (ignoring case), or null for the first sheet
     * @throws InputRejectedException for a file that is not a readable XLSX workbook (empty, another format, a
     *     broken archive), an unknown sheet name, or a sheet without any non-blank row
     * @throws IOException when the file itself cannot be read (missing, no permission)
     */
    public static RecordStream open(Path file, String sheetName) throws IOException {
        String fileName = file.getFileName().toString();
        // Files.size reports a missing file as an IOException (not a rejection) and lets an empty file be
        // named as such rather than by whatever the ZIP parser makes of zero bytes
        if (Files.size(file) == 0) {
            throw unreadable("the file is empty", fileName, null);
        }
        Workbook workbook;
        try {
            workbook = StreamingReader.builder()
                    .rowCacheSize(ROW_CACHE_SIZE)
                    .bufferSize(BUFFER_SIZE)
                    .open(file.toFile());
        } catch (RuntimeException e) {
            // excel-streaming-reader wraps POI's NotOfficeXmlFileException, ZIP and XML errors in its own
            // runtime exceptions; none of them can succeed on redelivery, so the input is rejected
            throw unreadable(reason(e), fileName, e);
        }
        try {
            Sheet sheet = sheet(workbook, sheetName, fileName);
            boolean date1904 = workbook instanceof Date1904Support d && d.isDate1904();
            XlsxStream stream = new XlsxStream(workbook, sheet.rowIterator(), fileName, sheet.getSheetName(), date1904);
            String[] header = stream.nextValues(0);
            if (header == null) {
                throw new InputRejectedException(
                        "empty sheet: no header row", Map.of("file", fileName, "sheet", sheet.getSheetName()));
            }
            stream.header = List.of(header);
            return stream;
        } catch (RuntimeException e) {
            try {
                workbook.close();
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static Sheet sheet(Workbook workbook, String sheetName, String fileName) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < workbook.getNumberOfSheets(); i++) {
            names.add(workbook.getSheetName(i));
        }
        if (names.isEmpty()) {
            throw unreadable("the workbook has no sheet", fileName, null);
        }
        if (sheetName == null) {
            return workbook.getSheetAt(0);
        }
        // Excel refuses two sheets whose names differ only in case, so a case-insensitive match is unique
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(sheetName)) {
                return workbook.getSheetAt(i);
            }
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("file", fileName);
        details.put("sheet", sheetName);
        details.put("sheets", List.copyOf(names));
        throw new InputRejectedException(
                "no sheet '" + sheetName + "' in the workbook; sheets found: '" + String.join("', '", names) + "'",
                details);
    }

    private static InputRejectedException unreadable(String reason, String fileName, Throwable cause) {
        return new InputRejectedException("not a readable XLSX workbook: " + reason, Map.of("file", fileName), cause);
    }

    /** The innermost message: the wrappers' own messages ("Failed to open file") say nothing about the file. */
    private static String reason(Throwable e) {
        Throwable deepest = e;
        String message = e.getMessage();
        while (deepest.getCause() != null && deepest.getCause() != deepest) {
            deepest = deepest.getCause();
            if (deepest.getMessage() != null) {
                message = deepest.getMessage();
            }
        }
        // XML parse errors span lines; a reason is shown on one
        return message != null
                ? message.replaceAll("\\s+", " ").strip()
                : deepest.getClass().getSimpleName();
    }

    /**
     * The text of a cell as a CSV export would hold it, so that the transformer's coercions treat both inputs
     * alike:
     *
     * <ul>
     *   <li>string: as is;
     *   <li>number in a date format: {@code yyyy-MM-dd} when the format shows no time of day and the time part
     *       is midnight, otherwise {@code yyyy-MM-dd'T'HH:mm:ss} (rounded to the second: Excel stores times as
     *       fractions of a day, which are seldom exact);
     *   <li>other number: plain decimal, no exponent, no grouping, no trailing zeros ({@code 12.0} is {@code 12});
     *   <li>boolean: {@code true} or {@code false};
     *   <li>formula: its cached result by the same rules (formulas are never evaluated);
     *   <li>error: Excel's text for it, such as {@code #DIV/0!};
     *   <li>blank: the empty string.
     * </ul>
     */
    static String text(Cell cell, boolean date1904) {
        CellType type = cell.getCellType();
        if (type == CellType.FORMULA) {
            type = cell.getCachedFormulaResultType();
        }
        return switch (type) {
            case STRING -> cell.getStringCellValue();
            case NUMERIC ->
                DateUtil.isCellDateFormatted(cell) ? date(cell, date1904) : number(cell.getNumericCellValue());
            case BOOLEAN -> String.valueOf(cell.getBooleanCellValue());
            case ERROR -> error(cell);
            default -> "";
        };
    }

    private static String date(Cell cell, boolean date1904) {
        LocalDateTime value = DateUtil.getLocalDateTime(cell.getNumericCellValue(), date1904, true);
        if (value.toLocalTime().equals(LocalTime.MIDNIGHT)
                && !showsTimeOfDay(cell.getCellStyle().getDataFormatString())) {
            return value.format(DATE);
        }
        return value.format(DATE_TIME);
    }

    /** Whether a number format has an hour or second token; minutes alone ({@code m}) also mean month. */
    static boolean showsTimeOfDay(String format) {
        if (format == null) {
            return false;
        }
        String tokens = FORMAT_LITERALS.matcher(format).replaceAll("");
        return tokens.chars().anyMatch(c -> c == 'h' || c == 'H' || c == 's' || c == 'S');
    }

    static String number(double value) {
        if (!Double.isFinite(value)) { // not storable in XLSX, but a reader should not throw on it
            return Double.toString(value);
        }
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private static String error(Cell cell) {
        if (cell.getCellType() == CellType.ERROR) {
            return FormulaError.forInt(cell.getErrorCellValue()).getString();
        }
        // a formula whose cached result is an error: the streaming cell refuses getErrorCellValue and gives
        // the code only inside a display text ("ERROR:  #DIV/0!")
        String text = cell.getStringCellValue().strip();
        int hash = text.indexOf('#');
        String code = hash >= 0 ? text.substring(hash) : text;
        try {
            return FormulaError.forString(code).getString();
        } catch (IllegalArgumentException e) {
            return code;
        }
    }

    /** Trailing blank cells beyond {@code keep} carry nothing but formatting; dropping them keeps rows narrow. */
    private static String[] trimTrailingBlanks(String[] values, int keep) {
        int end = values.length;
        while (end > keep && values[end - 1].isBlank()) {
            end--;
        }
        return end == values.length ? values : Arrays.copyOf(values, end);
    }

    private static final class XlsxStream implements RecordStream {
        private final Workbook workbook;
        private final Iterator<Row> rows;
        private final String fileName;
        private final String sheetName;
        private final boolean date1904;
        private List<String> header;
        private RawRecord next;
        private int lastRow; // as Excel shows it, for the message when the sheet's XML breaks

        XlsxStream(Workbook workbook, Iterator<Row> rows, String fileName, String sheetName, boolean date1904) {
            this.workbook = workbook;
            this.rows = rows;
            this.fileName = fileName;
            this.sheetName = sheetName;
            this.date1904 = date1904;
        }

        @Override
        public List<String> header() {
            return header;
        }

        @Override
        public Map<String, Object> detected() {
            return Map.of("format", "xlsx", "sheet", sheetName);
        }

        @Override
        public boolean hasNext() {
            if (next == null) {
                String[] values = nextValues(header.size());
                if (values != null) {
                    next = new RawRecord(lastRow, values);
                }
            }
            return next != null;
        }

        @Override
        public RawRecord next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            RawRecord record = next;
            next = null;
            return record;
        }

        /**
         * The cell texts of the next row with a non-blank cell, at least {@code width} long, or null at the end of
         * the sheet. Cells sit at their column index: missing ones are empty strings.
         */
        String[] nextValues(int width) {
            try {
                while (rows.hasNext()) {
                    Row row = rows.next();
                    lastRow = row.getRowNum() + 1;
                    String[] values = new String[Math.max(width, Math.max(row.getLastCellNum(), 0))];
                    Arrays.fill(values, "");
                    boolean blank = true;
                    for (Cell cell : row) {
                        int column = cell.getColumnIndex();
                        if (column >= values.length) { // getLastCellNum is a hint from the XML, not a promise
                            values = grow(values, column + 1);
                        }
                        String text = cellText(cell);
                        values[column] = text;
                        blank &= text.isBlank();
                    }
                    if (!blank) {
                        return trimTrailingBlanks(values, width);
                    }
                }
                return null;
            } catch (RuntimeException e) {
                if (e instanceof InputRejectedException rejected) {
                    throw rejected;
                }
                // a truncated or corrupt sheet: the XML parser cannot resynchronise, the rest is unreadable
                throw new InputRejectedException(
                        "malformed XLSX after row " + lastRow + ": " + reason(e),
                        Map.of("file", fileName, "sheet", sheetName, "row", lastRow + 1),
                        e);
            }
        }

        /** A cell whose stored value does not parse as its type says is damage, not a bad value: named exactly. */
        private String cellText(Cell cell) {
            try {
                return text(cell, date1904);
            } catch (RuntimeException e) {
                String address = cell.getAddress().formatAsString();
                throw new InputRejectedException(
                        "unreadable XLSX cell " + address + " in row " + lastRow + ": " + reason(e),
                        Map.of("file", fileName, "sheet", sheetName, "row", lastRow, "cell", address),
                        e);
            }
        }

        private static String[] grow(String[] values, int length) {
            String[] grown = Arrays.copyOf(values, length);
            Arrays.fill(grown, values.length, length, "");
            return grown;
        }

        @Override
        public void close() {
            try {
                workbook.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
