package io.camelingestor.ingest.read;

import io.camelingestor.core.InputRejectedException;
import io.camelingestor.core.RawRecord;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Streams a CSV file with Commons CSV: UTF-8 or UTF-16 with a BOM, UTF-8 or windows-1252 without, quoted fields (embedded delimiters,
 * quotes, newlines), CRLF or LF, blank lines skipped. The delimiter is the mapping's, or detected from the
 * header line among {@code , ; TAB} when the mapping says {@code auto}.
 */
public final class CsvRecordReader {

    private static final int SNIFF_BYTES = 64 * 1024;
    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    private CsvRecordReader() {}

    /**
     * @param delimiter the mapping's delimiter, or null to detect it
     * @param encoding the mapping's charset, or null to detect it: a BOM (UTF-8, UTF-16LE/BE) wins; without one,
     *     the first 64 KiB decide between UTF-8 and windows-1252 (what spreadsheet programs write on Windows)
     * @throws InputRejectedException for an empty file or a file without a header line
     */
    public static RecordStream open(Path file, Character delimiter, Charset encoding) throws IOException {
        // NOFOLLOW_LINKS: never a link, even one swapped in after InboundFileGuard looked at the file
        InputStream in = new BufferedInputStream(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS), SNIFF_BYTES);
        try {
            in.mark(SNIFF_BYTES);
            byte[] head = in.readNBytes(SNIFF_BYTES);
            in.reset();
            int bom = bomLength(head);
            Charset charset = bom > 0 ? bomCharset(head) : encoding != null ? encoding : detectCharset(head);
            in.skipNBytes(bom);
            String text = new String(head, bom, head.length - bom, charset);
            char chosen = delimiter != null ? delimiter : detectDelimiter(text);
            Reader reader = new InputStreamReader(in, charset);
            CSVParser parser = CSVFormat.RFC4180
                    .builder()
                    .setDelimiter(chosen)
                    // blank lines are read as records and skipped below, so that record numbers stay the rows a
                    // spreadsheet shows (a quoted multi-line value is one row there too)
                    .setIgnoreEmptyLines(false)
                    .get()
                    .parse(reader);
            Iterator<CSVRecord> records = parser.iterator();
            CsvStream stream = new CsvStream(parser, records, file, chosen, charset);
            if (!stream.hasNext()) {
                parser.close();
                throw new InputRejectedException(
                        "empty file: no header line",
                        Map.of("file", file.getFileName().toString()));
            }
            stream.header = List.of(stream.next().values());
            if (stream.header.stream().anyMatch(name -> name.indexOf('\0') >= 0)) {
                // no CSV header holds a NUL: a binary file (a ZIP, a workbook under another name, a PDF) or UTF-16
                // text without its byte order mark; its bytes as column names would help nobody
                parser.close();
                throw new InputRejectedException(
                        "not a CSV text file: its first line holds NUL bytes (a binary file such as a ZIP, PDF or"
                                + " an .xlsx workbook under another name, or UTF-16 text without a byte order mark)",
                        Map.of("file", file.getFileName().toString(), "charset", charset.name()));
            }
            return stream;
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    private static int bomLength(byte[] head) {
        if (head.length >= 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF) {
            return 3;
        }
        if (head.length >= 2
                && (((head[0] & 0xFF) == 0xFE && (head[1] & 0xFF) == 0xFF)
                        || ((head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xFE))) {
            return 2;
        }
        return 0;
    }

    private static Charset bomCharset(byte[] head) {
        return switch (head[0] & 0xFF) {
            case 0xEF -> StandardCharsets.UTF_8;
            case 0xFE -> StandardCharsets.UTF_16BE;
            default -> StandardCharsets.UTF_16LE;
        };
    }

    /** UTF-8 when the sniffed bytes decode as UTF-8 (a character cut at the end of the sniff is fine), else windows-1252. */
    static Charset detectCharset(byte[] head) {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CoderResult result =
                decoder.decode(ByteBuffer.wrap(head), CharBuffer.allocate(head.length), head.length < SNIFF_BYTES);
        return result.isError() ? WINDOWS_1252 : StandardCharsets.UTF_8;
    }

    /** The delimiter seen most often outside quotes on the first non-blank line. */
    static char detectDelimiter(String text) {
        int comma = 0, semicolon = 0, tab = 0, pipe = 0;
        boolean quoted = false, seenContent = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && (c == '\n' || c == '\r')) {
                if (seenContent) {
                    break;
                }
            } else if (!quoted) {
                seenContent = true;
                switch (c) {
                    case ',' -> comma++;
                    case ';' -> semicolon++;
                    case '\t' -> tab++;
                    case '|' -> pipe++;
                    default -> {}
                }
            }
        }
        // ties go to the earlier of , ; tab |, as before '|' was counted
        int best = Math.max(Math.max(comma, semicolon), Math.max(tab, pipe));
        if (best == 0 || comma == best) {
            return ',';
        }
        if (semicolon == best) {
            return ';';
        }
        return tab == best ? '\t' : '|';
    }

    private static final class CsvStream implements RecordStream {
        private final CSVParser parser;
        private final Iterator<CSVRecord> records;
        private final Path file;
        private final char delimiter;
        private final Charset charset;
        private List<String> header;
        private CSVRecord pending;

        CsvStream(CSVParser parser, Iterator<CSVRecord> records, Path file, char delimiter, Charset charset) {
            this.charset = charset;
            this.parser = parser;
            this.records = records;
            this.file = file;
            this.delimiter = delimiter;
        }

        @Override
        public List<String> header() {
            return header;
        }

        @Override
        public Map<String, Object> detected() {
            return Map.of("delimiter", String.valueOf(delimiter), "charset", charset.name());
        }

        @Override
        public boolean hasNext() {
            try {
                while (pending == null && records.hasNext()) {
                    CSVRecord record = records.next();
                    if (!(record.size() == 1 && record.get(0).isEmpty())) {
                        pending = record;
                    }
                }
                return pending != null;
            } catch (UncheckedIOException e) {
                throw malformed(e);
            }
        }

        @Override
        public RawRecord next() {
            if (!hasNext()) {
                throw new java.util.NoSuchElementException();
            }
            CSVRecord record = pending;
            pending = null;
            return new RawRecord(record.getRecordNumber(), record.values());
        }

        /** Commons CSV cannot resynchronise after a broken quote: the rest of the file is unreadable. */
        private InputRejectedException malformed(UncheckedIOException e) {
            String why = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
            return new InputRejectedException(
                    "malformed CSV after row " + parser.getRecordNumber() + ": " + why,
                    Map.of("file", file.getFileName().toString(), "row", parser.getRecordNumber() + 1),
                    e);
        }

        @Override
        public void close() {
            try {
                parser.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
