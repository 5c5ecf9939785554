package io.camelingestor.ingest.read;

import io.camelingestor.core.InputRejectedException;
import io.camelingestor.core.RawRecord;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.ss.usermodel.BuiltinFormats;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.usermodel.FormulaError;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.springframework.util.unit.DataSize;
import org.springframework.util.unit.DataUnit;

/**
 * Streams one sheet of an XLSX workbook through POI's event model: {@link XSSFReader} opens the archive's parts
 * and the sheet's XML is pulled a cell at a time with a StAX cursor, so neither rows nor cells exist as objects
 * before they are turned into text. The header is the first row with a non-blank cell; every later row that is
 * not wholly blank becomes a {@link RawRecord} numbered as Excel shows it, its cells turned into the text a CSV
 * export would hold (see {@link #text}).
 *
 * <p>The cell handling is written here rather than taken from POI's {@code XSSFSheetXMLHandler}: that handler
 * pushes every cell through a {@code DataFormatter} (display text, not the value a CSV export holds) and, being a
 * SAX handler, cannot be pulled a row at a time as a {@link RecordStream} is.
 *
 * <p>One part of the workbook is held whole: the shared strings table, which string cells point into. It is
 * bounded by {@link XlsxLimits#maxSharedStringsSize()}; every part is counted as it inflates against
 * {@link XlsxLimits#maxEntrySize()} and {@link XlsxLimits#maxTotalSize()}, every cell against
 * {@link XlsxLimits#maxCellChars()}, and an XML DOCTYPE is refused. A workbook that crosses a limit, or that
 * exhausts the heap all the same, is rejected (never retried) with a message naming what it crossed.
 */
public final class XlsxRecordReader {

    /** Excel's last column is XFD, the 16,384th: a reference beyond it is damage (or an attack on memory). */
    static final int MAX_COLUMNS = 16_384;

    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ISO_LOCAL_DATE;

    /**
     * Parts of a number format that never stand for a time of day: quoted or backslash-escaped literals, and
     * bracketed sections (locale {@code [$-409]}, colour {@code [Red]}, condition {@code [<100]}) other than
     * the elapsed-time tokens {@code [h] [mm] [ss]}.
     */
    private static final Pattern FORMAT_LITERALS = Pattern.compile("\"[^\"]*\"|\\\\.|\\[(?![hHmMsS]+\\])[^\\]]*\\]");

    /** OOXML's escape for characters XML cannot hold ({@code _x000D_}); POI decodes it the same way. */
    private static final Pattern OOXML_ESCAPE = Pattern.compile("_x([0-9A-Fa-f]{4})_");

    private static final XMLInputFactory XML = xmlInputFactory();

    private XlsxRecordReader() {}

    /** {@link #open(Path, String, XlsxLimits)} with the default limits. */
    public static RecordStream open(Path file, String sheetName) throws IOException {
        return open(file, sheetName, XlsxLimits.DEFAULTS);
    }

    /**
     * Opens the workbook and reads up to its header row; the stream must be closed, which closes the workbook.
     *
     * @param sheetName the sheet to read, matched as Excel does (ignoring case), or null for the first sheet
     * @throws InputRejectedException for a file that is not a readable XLSX workbook (empty, another format, a
     *     broken archive), an unknown sheet name, a sheet without any non-blank row, or a workbook that crosses
     *     one of the {@code limits}
     * @throws IOException when the file itself cannot be read (missing, no permission)
     */
    public static RecordStream open(Path file, String sheetName, XlsxLimits limits) throws IOException {
        String fileName = file.getFileName().toString();
        // Files.size reports a missing file as an IOException (not a rejection) and lets an empty file be
        // named as such rather than by whatever the ZIP parser makes of zero bytes
        if (Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                        .size()
                == 0) {
            throw unreadable("the file is empty", fileName, null);
        }
        if (!Files.isReadable(file)) {
            throw new AccessDeniedException(file.toString());
        }
        OPCPackage pkg;
        NoFollowZipEntrySource zip = null;
        try {
            // the archive through its central directory only: OPCPackage.open(File) would fall back to reading a
            // broken archive as a stream, holding its entries in memory; opened without following a link
            zip = NoFollowZipEntrySource.open(file);
            pkg = OPCPackage.open(zip);
        } catch (Exception | OutOfMemoryError e) { // not a ZIP, not OOXML, broken content types: none can pass later
            if (zip != null) {
                try {
                    zip.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e instanceof OutOfMemoryError oom
                    ? outOfMemory(fileName, null, oom)
                    : unreadable(reason(e), fileName, e);
        }
        Workbook workbook = new Workbook(pkg, fileName, limits);
        try {
            return workbook.open(sheetName);
        } catch (InputRejectedException e) {
            workbook.close(e);
            throw e;
        } catch (NoSuchFileException | AccessDeniedException e) {
            workbook.close(e);
            throw e;
        } catch (Exception e) {
            workbook.close(e);
            InputRejectedException rejected = rejection(e);
            throw rejected != null ? rejected : unreadable(reason(e), fileName, e);
        } catch (OutOfMemoryError e) {
            workbook.close(e);
            throw outOfMemory(fileName, null, e);
        }
    }

    private static XMLInputFactory xmlInputFactory() {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        // no DTD, no external entity: a DOCTYPE is reported as an event and refused (see refuseDoctype)
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        // text in pieces, so that a cell's length is checked as it grows, never after a whole huge text is held
        factory.setProperty(XMLInputFactory.IS_COALESCING, false);
        try {
            // the JDK's factory can hand one reader to two callers when asked to reuse it; readers run in parallel
            factory.setProperty("http://java.sun.com/xml/stream/properties/reuse-instance", false);
        } catch (IllegalArgumentException e) {
            // another StAX implementation: it has no such property, and so no such sharing
        }
        return factory;
    }

    private static InputRejectedException unreadable(String reason, String fileName, Throwable cause) {
        return new InputRejectedException("not a readable XLSX workbook: " + reason, Map.of("file", fileName), cause);
    }

    private static InputRejectedException outOfMemory(String fileName, String sheetName, OutOfMemoryError e) {
        // thrown while the workbook's own data filled the heap; that data is unreachable once the stack unwinds,
        // so the service goes on, and the same input would only fail the same way again
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("file", fileName);
        if (sheetName != null) {
            details.put("sheet", sheetName);
        }
        details.put("limit", "heap");
        details.put("maxHeapMB", Runtime.getRuntime().maxMemory() / 1048576);
        return new InputRejectedException(
                "XLSX workbook too large for the heap: reading it ran out of memory (max heap "
                        + Runtime.getRuntime().maxMemory() / 1048576
                        + " MB); lower ingestor.xlsx.* limits refuse such a workbook before it fills the heap",
                details,
                e);
    }

    /** A limit crossed deep inside the XML parser may come back wrapped in the parser's own exception. */
    private static InputRejectedException rejection(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InputRejectedException rejected) {
                return rejected;
            }
        }
        return null;
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
     * alike, from the cell's type ({@code t}), the number format of its style and its stored value:
     *
     * <ul>
     *   <li>string (shared, inline or a formula's): as is;
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
    static String text(String type, String value, Styles.Format format, boolean date1904) {
        if (type == null || type.equals("n")) {
            if (value.isEmpty()) {
                return "";
            }
            if (format.date()) {
                double serial = Double.parseDouble(value);
                if (DateUtil.isValidExcelDate(serial)) {
                    return date(DateUtil.getLocalDateTime(serial, date1904, true), format.timeOfDay());
                }
                return number(serial);
            }
            String plain = plainDecimal(value);
            return plain != null ? plain : number(Double.parseDouble(value));
        }
        return switch (type) {
            case "str" -> value;
            case "inlineStr" -> decode(value);
            case "b" -> value.isEmpty() ? "" : String.valueOf(value.equals("1") || value.equalsIgnoreCase("true"));
            case "e" -> error(value);
            case "d" -> isoDate(value, format.timeOfDay());
            default -> value;
        };
    }

    private static String date(LocalDateTime value, boolean timeOfDay) {
        if (value.toLocalTime().equals(LocalTime.MIDNIGHT) && !timeOfDay) {
            return value.format(DATE);
        }
        return value.format(DATE_TIME);
    }

    /** A cell of type {@code d} (ISO 8601 text, written by strict OOXML tools) by the same rules as a date cell. */
    private static String isoDate(String value, boolean timeOfDay) {
        try {
            return date(
                    value.contains("T")
                            ? LocalDateTime.parse(value)
                            : LocalDate.parse(value).atStartOfDay(),
                    timeOfDay);
        } catch (DateTimeParseException e) {
            return value; // an offset or a time alone: kept as written, for the mapping's coercion to judge
        }
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

    /**
     * The value {@link #number} gives for a stored number that is already a plain decimal of at most 15
     * significant digits, without the round trip through a double: any such decimal is the shortest text of the
     * double nearest to it, so both give the same digits. Null for anything else (an exponent, 16 or 17 digits
     * as Excel writes {@code 28.399999999999999}), which takes the round trip. Hand-written because it is the
     * per-cell hot path of a numeric sheet.
     */
    static String plainDecimal(String value) {
        int length = value.length();
        if (length == 0 || length > 40) {
            return null;
        }
        int i = value.charAt(0) == '-' ? 1 : 0;
        int intStart = i;
        while (i < length && isDigit(value.charAt(i))) {
            i++;
        }
        int intEnd = i;
        int fracEnd = i;
        if (i < length) {
            if (value.charAt(i) != '.') {
                return null;
            }
            i++;
            while (i < length && isDigit(value.charAt(i))) {
                i++;
            }
            if (i < length) {
                return null;
            }
            fracEnd = i;
        }
        if (intEnd == intStart && fracEnd <= intEnd + 1) {
            return null; // "-", ".", "" : no digit at all
        }
        int first = intStart; // first significant integer digit
        while (first < intEnd && value.charAt(first) == '0') {
            first++;
        }
        int last = fracEnd; // one past the last non-zero fraction digit
        while (last > intEnd + 1 && value.charAt(last - 1) == '0') {
            last--;
        }
        boolean hasFraction = last > intEnd + 1;
        int significant;
        if (first < intEnd) {
            significant = (intEnd - first) + (hasFraction ? last - intEnd - 1 : 0);
            int trailingZeros = 0;
            if (!hasFraction) {
                while (trailingZeros < intEnd - first && value.charAt(intEnd - 1 - trailingZeros) == '0') {
                    trailingZeros++;
                }
            }
            significant -= trailingZeros;
        } else if (hasFraction) {
            int f = intEnd + 1;
            while (f < last && value.charAt(f) == '0') {
                f++;
            }
            significant = last - f;
        } else {
            return "0"; // zero, with any sign and any zeros: BigDecimal has no negative zero
        }
        if (significant > 15) {
            return null;
        }
        StringBuilder plain = new StringBuilder(length);
        if (intStart == 1) {
            plain.append('-');
        }
        if (first < intEnd) {
            plain.append(value, first, intEnd);
        } else {
            plain.append('0');
        }
        if (hasFraction) {
            plain.append(value, intEnd, last);
        }
        return plain.toString();
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static String error(String value) {
        String code = value.strip();
        try {
            return FormulaError.forString(code).getString();
        } catch (IllegalArgumentException e) {
            return code;
        }
    }

    /** Decodes OOXML's {@code _xHHHH_} escapes (hand-written: POI's own decoder is not public). */
    static String decode(String value) {
        if (value.indexOf("_x") < 0) {
            return value;
        }
        Matcher m = OOXML_ESCAPE.matcher(value);
        StringBuilder decoded = new StringBuilder(value.length());
        while (m.find()) {
            m.appendReplacement(decoded, "");
            decoded.append((char) Integer.parseInt(m.group(1), 16));
        }
        m.appendTail(decoded);
        return decoded.toString();
    }

    /** The 0-based column of a reference such as {@code AB12}, or -1 when it has no letters. */
    static int column(String reference) {
        int column = 0;
        int i = 0;
        for (; i < reference.length(); i++) {
            char c = reference.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                column = column * 26 + (c - 'A' + 1);
            } else if (c >= 'a' && c <= 'z') {
                column = column * 26 + (c - 'a' + 1);
            } else {
                break;
            }
            if (column > MAX_COLUMNS) {
                return MAX_COLUMNS; // beyond XFD: refused by the caller
            }
        }
        return column - 1;
    }

    /** The parts of one open workbook and the limits they are read under. */
    private static final class Workbook {
        private final OPCPackage pkg;
        private final String fileName;
        private final XlsxLimits limits;
        private final long[] inflatedTotal = {0};
        private final List<InputStream> open = new ArrayList<>();
        private XSSFReader parts;
        private boolean closed;

        Workbook(OPCPackage pkg, String fileName, XlsxLimits limits) {
            this.pkg = pkg;
            this.fileName = fileName;
            this.limits = limits;
        }

        XlsxStream open(String sheetName) throws Exception {
            parts = new XSSFReader(pkg);
            Sheets sheets = readSheets();
            Sheets.Entry sheet = sheets.select(sheetName, fileName);
            Styles styles = readStyles();
            String[] sharedStrings = readSharedStrings();
            XMLStreamReader xml = xml(parts.getSheet(sheet.relationId()), "sheet '" + sheet.name() + "'");
            XlsxStream stream = new XlsxStream(this, xml, sheet.name(), sharedStrings, styles, sheets.date1904());
            String[] header = stream.nextValues(0);
            if (header == null) {
                throw new InputRejectedException(
                        "empty sheet: no header row", Map.of("file", fileName, "sheet", sheet.name()));
            }
            stream.header = List.of(header);
            return stream;
        }

        /** The sheet names and their parts in workbook order, and the date system. */
        private Sheets readSheets() throws Exception {
            XMLStreamReader xml = xml(parts.getWorkbookData(), "workbook");
            List<Sheets.Entry> entries = new ArrayList<>();
            boolean date1904 = false;
            while (xml.hasNext()) {
                int event = xml.next();
                refuseDoctype(event, "workbook");
                if (event == XMLStreamConstants.START_ELEMENT) {
                    String name = xml.getLocalName();
                    if (name.equals("workbookPr")) {
                        String value = attribute(xml, "date1904");
                        date1904 = "1".equals(value) || "true".equalsIgnoreCase(value);
                    } else if (name.equals("sheet")) {
                        entries.add(new Sheets.Entry(attribute(xml, "name"), attribute(xml, "id")));
                    }
                }
            }
            return new Sheets(entries, date1904);
        }

        /** For each cell style (the {@code s} of a cell), whether its number format is a date and shows a time. */
        private Styles readStyles() throws Exception {
            InputStream data = parts.getStylesData();
            if (data == null) {
                return Styles.GENERAL;
            }
            XMLStreamReader xml = xml(data, "styles");
            Map<Integer, String> formats = new HashMap<>();
            List<Integer> cellFormats = new ArrayList<>();
            boolean inCellXfs = false;
            int depth = 0;
            int cellXfsDepth = -1;
            while (xml.hasNext()) {
                int event = xml.next();
                refuseDoctype(event, "styles");
                if (event == XMLStreamConstants.START_ELEMENT) {
                    depth++;
                    String name = xml.getLocalName();
                    if (name.equals("numFmt")) {
                        formats.put(integer(attribute(xml, "numFmtId"), 0), attribute(xml, "formatCode"));
                    } else if (name.equals("cellXfs")) {
                        inCellXfs = true;
                        cellXfsDepth = depth;
                    } else if (inCellXfs && name.equals("xf") && depth == cellXfsDepth + 1) {
                        cellFormats.add(integer(attribute(xml, "numFmtId"), 0));
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    if (inCellXfs && depth == cellXfsDepth) {
                        inCellXfs = false;
                    }
                    depth--;
                }
            }
            return Styles.of(formats, cellFormats);
        }

        /** The shared strings table whole, under {@link XlsxLimits#maxSharedStringsSize()}. */
        private String[] readSharedStrings() throws Exception {
            InputStream data = parts.getSharedStringsData();
            if (data == null) {
                return new String[0];
            }
            String part = "shared strings";
            XMLStreamReader xml = xml(data, part);
            long maxSize = limits.maxSharedStringsSize().toBytes();
            List<String> strings = new ArrayList<>();
            StringBuilder text = new StringBuilder();
            long size = 0;
            int phonetic = 0; // inside <rPh>: a reading aid, not part of the string
            boolean inText = false;
            while (xml.hasNext()) {
                int event = xml.next();
                refuseDoctype(event, part);
                switch (event) {
                    case XMLStreamConstants.START_ELEMENT -> {
                        String name = xml.getLocalName();
                        if (name.equals("si")) {
                            text.setLength(0);
                        } else if (name.equals("rPh")) {
                            phonetic++;
                        } else if (name.equals("t") && phonetic == 0) {
                            inText = true;
                        }
                    }
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                        if (inText) {
                            if (text.length() + xml.getTextLength() > limits.maxCellChars()) {
                                throw tooLong("shared string " + (strings.size() + 1), Map.of());
                            }
                            text.append(xml.getTextCharacters(), xml.getTextStart(), xml.getTextLength());
                        }
                    }
                    case XMLStreamConstants.END_ELEMENT -> {
                        String name = xml.getLocalName();
                        if (name.equals("t")) {
                            inText = false;
                        } else if (name.equals("rPh")) {
                            phonetic--;
                        } else if (name.equals("si")) {
                            size += 40 + 2L * text.length();
                            if (size > maxSize) {
                                throw limitCrossed(
                                        "XLSX shared strings table larger than "
                                                + size(limits.maxSharedStringsSize())
                                                + " in memory after "
                                                + strings.size()
                                                + " strings (ingestor.xlsx.max-shared-strings-size)",
                                        "ingestor.xlsx.max-shared-strings-size",
                                        size(limits.maxSharedStringsSize()),
                                        Map.of());
                            }
                            strings.add(decode(text.toString()));
                        }
                    }
                    default -> {}
                }
            }
            return strings.toArray(new String[0]);
        }

        InputRejectedException tooLong(String what, Map<String, Object> where) {
            return limitCrossed(
                    "XLSX " + what + " longer than " + limits.maxCellChars()
                            + " characters (ingestor.xlsx.max-cell-chars)",
                    "ingestor.xlsx.max-cell-chars",
                    limits.maxCellChars(),
                    where);
        }

        InputRejectedException limitCrossed(String message, String limit, Object max, Map<String, Object> where) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("file", fileName);
            details.putAll(where);
            details.put("limit", limit);
            details.put("max", max);
            return new InputRejectedException(message, details);
        }

        void refuseDoctype(int event, String part) {
            if (event == XMLStreamConstants.DTD) {
                throw limitCrossed(
                        "XLSX " + part + " has an XML DOCTYPE, refused (entity expansion, external entities)",
                        "doctype",
                        "none allowed",
                        Map.of("part", part));
            }
        }

        /** A cursor over one part, counted as it inflates; closed with the workbook. */
        XMLStreamReader xml(InputStream data, String part) throws XMLStreamException {
            if (data == null) {
                throw new InputRejectedException(
                        "not a readable XLSX workbook: no " + part + " part", Map.of("file", fileName));
            }
            InputStream counted = new Inflated(data, part);
            open.add(counted);
            return XML.createXMLStreamReader(counted);
        }

        void close(Throwable failure) {
            if (closed) {
                return;
            }
            closed = true;
            for (InputStream in : open) {
                try {
                    in.close();
                } catch (IOException | RuntimeException e) {
                    if (failure != null) {
                        failure.addSuppressed(e);
                    }
                }
            }
            open.clear();
            pkg.revert(); // opened to read: closing would try to save it
        }

        /**
         * Counts what one part inflates to against the entry and total limits, and names POI's own zip bomb
         * guard (an entry inflating more than 100 times its compressed size) when it trips.
         */
        private final class Inflated extends FilterInputStream {
            private final String part;
            private long inflated;

            Inflated(InputStream in, String part) {
                super(in);
                this.part = part;
            }

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n;
                try {
                    n = in.read(b, off, len);
                } catch (IOException e) {
                    if (String.valueOf(e.getMessage()).contains("Zip bomb detected")) {
                        throw limitCrossed(
                                "XLSX " + part + " inflates more than 100 times its compressed size: a zip bomb,"
                                        + " refused",
                                "zip inflate ratio",
                                "100:1",
                                Map.of("part", part));
                    }
                    throw e;
                }
                if (n > 0) {
                    inflated += n;
                    inflatedTotal[0] += n;
                    if (inflated > limits.maxEntrySize().toBytes()) {
                        throw limitCrossed(
                                "XLSX " + part + " inflates beyond " + size(limits.maxEntrySize())
                                        + " (ingestor.xlsx.max-entry-size)",
                                "ingestor.xlsx.max-entry-size",
                                size(limits.maxEntrySize()),
                                Map.of("part", part));
                    }
                    if (inflatedTotal[0] > limits.maxTotalSize().toBytes()) {
                        throw limitCrossed(
                                "XLSX workbook inflates beyond " + size(limits.maxTotalSize()) + " in all (at " + part
                                        + ", ingestor.xlsx.max-total-size)",
                                "ingestor.xlsx.max-total-size",
                                size(limits.maxTotalSize()),
                                Map.of("part", part));
                    }
                }
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                return read(new byte[(int) Math.min(n, 8192)], 0, (int) Math.min(n, 8192));
            }
        }
    }

    /** A size as the property would be written ({@code 64MB}), for messages an operator acts on. */
    static String size(DataSize size) {
        long bytes = size.toBytes();
        for (DataUnit unit :
                new DataUnit[] {DataUnit.TERABYTES, DataUnit.GIGABYTES, DataUnit.MEGABYTES, DataUnit.KILOBYTES}) {
            long one = DataSize.of(1, unit).toBytes();
            if (bytes % one == 0) {
                return bytes / one + unit.name().substring(0, 1) + "B";
            }
        }
        return bytes + "B";
    }

    private static String attribute(XMLStreamReader xml, String localName) {
        for (int i = 0; i < xml.getAttributeCount(); i++) {
            if (xml.getAttributeLocalName(i).equals(localName)) {
                return xml.getAttributeValue(i);
            }
        }
        return null;
    }

    private static int integer(String value, int otherwise) {
        if (value == null) {
            return otherwise;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    /** The workbook's sheets in order ({@code name}, relationship id of the part) and its date system. */
    private record Sheets(List<Entry> entries, boolean date1904) {

        record Entry(String name, String relationId) {}

        Entry select(String sheetName, String fileName) {
            if (entries.isEmpty()) {
                throw unreadable("the workbook has no sheet", fileName, null);
            }
            if (sheetName == null) {
                return entries.get(0);
            }
            // Excel refuses two sheets whose names differ only in case, so a case-insensitive match is unique
            for (Entry entry : entries) {
                if (entry.name().equalsIgnoreCase(sheetName)) {
                    return entry;
                }
            }
            List<String> names = entries.stream().map(Entry::name).toList();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("file", fileName);
            details.put("sheet", sheetName);
            details.put("sheets", names);
            throw new InputRejectedException(
                    "no sheet '" + sheetName + "' in the workbook; sheets found: '" + String.join("', '", names) + "'",
                    details);
        }
    }

    /** The number format of each cell style, reduced to what the text of a cell depends on. */
    record Styles(Format[] formats) {

        record Format(boolean date, boolean timeOfDay) {}

        static final Format NUMBER = new Format(false, false);
        static final Styles GENERAL = new Styles(new Format[] {NUMBER});

        static Styles of(Map<Integer, String> custom, List<Integer> cellFormats) {
            Format[] formats = new Format[Math.max(cellFormats.size(), 1)];
            Arrays.fill(formats, NUMBER);
            for (int i = 0; i < cellFormats.size(); i++) {
                int id = cellFormats.get(i);
                String format = custom.containsKey(id) ? custom.get(id) : BuiltinFormats.getBuiltinFormat(id);
                formats[i] = new Format(DateUtil.isADateFormat(id, format), showsTimeOfDay(format));
            }
            return new Styles(formats);
        }

        Format of(int style) {
            return style >= 0 && style < formats.length ? formats[style] : NUMBER;
        }
    }

    private static final class XlsxStream implements RecordStream {
        private final Workbook workbook;
        private final XMLStreamReader xml;
        private final String sheetName;
        private final String[] sharedStrings;
        private final Styles styles;
        private final boolean date1904;
        private final StringBuilder value = new StringBuilder();
        private String[] cells = new String[16]; // the row being read, by column; null where no cell was
        private List<String> header;
        private RawRecord next;
        private int lastRow; // the last row read whole, as Excel shows it, for the message when the XML breaks
        private int row; // the row being read
        private boolean ended;

        XlsxStream(
                Workbook workbook,
                XMLStreamReader xml,
                String sheetName,
                String[] sharedStrings,
                Styles styles,
                boolean date1904) {
            this.workbook = workbook;
            this.xml = xml;
            this.sheetName = sheetName;
            this.sharedStrings = sharedStrings;
            this.styles = styles;
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
         * the sheet. Cells sit at their column index: missing ones are empty strings; blank ones after the last
         * non-blank cell beyond {@code width} carry nothing but formatting and are dropped.
         */
        String[] nextValues(int width) {
            try {
                while (!ended) {
                    int last = readRow();
                    if (last < 0) {
                        continue; // no cell or only blank ones: skipped as a blank CSV line is
                    }
                    String[] values = new String[Math.max(width, last + 1)];
                    for (int i = 0; i < values.length; i++) {
                        String text = i < cells.length ? cells[i] : null;
                        values[i] = text != null ? text : "";
                    }
                    return values;
                }
                return null;
            } catch (InputRejectedException e) {
                throw e;
            } catch (OutOfMemoryError e) {
                Arrays.fill(cells, null);
                throw outOfMemory(workbook.fileName, sheetName, e);
            } catch (XMLStreamException | RuntimeException e) {
                InputRejectedException rejected = rejection(e);
                if (rejected != null) {
                    throw rejected;
                }
                // a truncated or corrupt sheet: the XML parser cannot resynchronise, the rest is unreadable
                throw new InputRejectedException(
                        "malformed XLSX after row " + lastRow + ": " + reason(e),
                        Map.of("file", workbook.fileName, "sheet", sheetName, "row", lastRow + 1),
                        e);
            }
        }

        /**
         * Reads up to the end of the next {@code <row>} into {@link #cells}; the index of its last non-blank cell,
         * or -1 for a row without one (and at the end of the sheet, which sets {@link #ended}).
         */
        private int readRow() throws XMLStreamException {
            while (xml.hasNext()) {
                int event = xml.next();
                workbook.refuseDoctype(event, "sheet '" + sheetName + "'");
                if (event == XMLStreamConstants.START_ELEMENT
                        && xml.getLocalName().equals("row")) {
                    String r = attribute(xml, "r");
                    row = r != null ? integer(r, row + 1) : row + 1;
                    Arrays.fill(cells, null);
                    int lastNonBlank = -1;
                    int column = -1;
                    while (true) {
                        event = xml.next();
                        if (event == XMLStreamConstants.START_ELEMENT
                                && xml.getLocalName().equals("c")) {
                            column = readCell(column);
                            if (!cells[column].isBlank()) {
                                lastNonBlank = Math.max(lastNonBlank, column);
                            }
                        } else if (event == XMLStreamConstants.END_ELEMENT
                                && xml.getLocalName().equals("row")) {
                            break;
                        } else if (event == XMLStreamConstants.END_DOCUMENT) {
                            throw new XMLStreamException("the sheet ends inside row " + row);
                        }
                    }
                    lastRow = row;
                    return lastNonBlank;
                }
            }
            ended = true;
            return -1;
        }

        /** Reads one {@code <c>} (positioned on its start) into {@link #cells}; its column. */
        private int readCell(int previousColumn) throws XMLStreamException {
            String reference = null;
            String type = null;
            int style = 0;
            for (int i = 0; i < xml.getAttributeCount(); i++) {
                switch (xml.getAttributeLocalName(i)) {
                    case "r" -> reference = xml.getAttributeValue(i);
                    case "t" -> type = xml.getAttributeValue(i);
                    case "s" -> style = integer(xml.getAttributeValue(i), 0);
                    default -> {}
                }
            }
            int column = reference != null ? column(reference) : previousColumn + 1;
            if (column < 0) {
                column = previousColumn + 1;
            }
            String address = reference != null ? reference : "column " + (column + 1);
            if (column >= MAX_COLUMNS) {
                throw new InputRejectedException(
                        "XLSX cell " + address + " in row " + row + " lies beyond Excel's last column (XFD)",
                        Map.of("file", workbook.fileName, "sheet", sheetName, "row", row, "cell", address));
            }
            value.setLength(0);
            boolean inValue = false;
            int phonetic = 0;
            while (true) {
                int event = xml.next();
                switch (event) {
                    case XMLStreamConstants.START_ELEMENT -> {
                        String name = xml.getLocalName();
                        if (name.equals("v") || (name.equals("t") && phonetic == 0)) {
                            inValue = true;
                        } else if (name.equals("rPh")) {
                            phonetic++;
                        }
                    }
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                        if (inValue) {
                            if (value.length() + xml.getTextLength() > workbook.limits.maxCellChars()) {
                                throw workbook.tooLong(
                                        "cell " + address + " in row " + row,
                                        Map.of("sheet", sheetName, "row", row, "cell", address));
                            }
                            value.append(xml.getTextCharacters(), xml.getTextStart(), xml.getTextLength());
                        }
                    }
                    case XMLStreamConstants.END_ELEMENT -> {
                        String name = xml.getLocalName();
                        if (name.equals("c")) {
                            if (column >= cells.length) {
                                cells = Arrays.copyOf(
                                        cells, Math.min(MAX_COLUMNS, Math.max(column + 1, cells.length * 2)));
                            }
                            cells[column] = cellText(type, style, address);
                            return column;
                        } else if (name.equals("v") || name.equals("t")) {
                            inValue = false;
                        } else if (name.equals("rPh")) {
                            phonetic--;
                        }
                    }
                    case XMLStreamConstants.END_DOCUMENT ->
                        throw new XMLStreamException("the sheet ends inside cell " + address);
                    default -> {}
                }
            }
        }

        /** A cell whose stored value does not parse as its type says is damage, not a bad value: named exactly. */
        private String cellText(String type, int style, String address) {
            try {
                if ("s".equals(type)) {
                    if (value.isEmpty()) {
                        return "";
                    }
                    int index = Integer.parseInt(value, 0, value.length(), 10);
                    if (index < 0 || index >= sharedStrings.length) {
                        throw new IllegalArgumentException("shared string " + index + " does not exist (the table has "
                                + sharedStrings.length + ")");
                    }
                    return sharedStrings[index];
                }
                return text(type, value.toString(), styles.of(style), date1904);
            } catch (RuntimeException e) {
                throw new InputRejectedException(
                        "unreadable XLSX cell " + address + " in row " + row + ": " + reason(e),
                        Map.of("file", workbook.fileName, "sheet", sheetName, "row", row, "cell", address),
                        e);
            }
        }

        @Override
        public void close() {
            try {
                xml.close();
            } catch (XMLStreamException e) {
                // nothing held by the cursor outlives the streams closed below
            }
            workbook.close(null);
        }
    }
}
