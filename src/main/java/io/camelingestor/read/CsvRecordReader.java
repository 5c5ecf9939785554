package io.camelingestor.read;

import io.camelingestor.pipeline.InputRejectedException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Streams a CSV file with Commons CSV: UTF-8 with or without BOM, quoted fields (embedded delimiters,
 * quotes, newlines), CRLF or LF, blank lines skipped. The delimiter is the mapping's, or detected from the
 * header line among {@code , ; TAB} when the mapping says {@code auto}.
 */
public final class CsvRecordReader {

    private static final int SNIFF_BYTES = 64 * 1024;

    private CsvRecordReader() {}

    /**
     * @param delimiter the mapping's delimiter, or null to detect it
     * @throws InputRejectedException for an empty file or a file without a header line
     */
    public static RecordStream open(Path file, Character delimiter) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), SNIFF_BYTES);
        try {
            skipUtf8Bom(in);
            char chosen = delimiter != null ? delimiter : detectDelimiter(in);
            Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
            CSVParser parser = CSVFormat.RFC4180
                    .builder()
                    .setDelimiter(chosen)
                    .setIgnoreEmptyLines(true)
                    .get()
                    .parse(reader);
            Iterator<CSVRecord> records = parser.iterator();
            CsvStream stream = new CsvStream(parser, records, file, chosen);
            if (!stream.hasNext()) {
                parser.close();
                throw new InputRejectedException(
                        "empty file: no header line",
                        Map.of("file", file.getFileName().toString()));
            }
            stream.header = List.of(records.next().values());
            return stream;
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    private static void skipUtf8Bom(InputStream in) throws IOException {
        in.mark(3);
        byte[] bom = in.readNBytes(3);
        if (!(bom.length == 3 && (bom[0] & 0xFF) == 0xEF && (bom[1] & 0xFF) == 0xBB && (bom[2] & 0xFF) == 0xBF)) {
            in.reset();
        }
    }

    /** The delimiter seen most often outside quotes on the first non-blank line. */
    static char detectDelimiter(InputStream in) throws IOException {
        in.mark(SNIFF_BYTES);
        byte[] head = in.readNBytes(SNIFF_BYTES);
        in.reset();
        String text = new String(head, StandardCharsets.UTF_8);
        int comma = 0, semicolon = 0, tab = 0;
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
                    default -> {}
                }
            }
        }
        if (semicolon > comma && semicolon >= tab) {
            return ';';
        }
        if (tab > comma && tab > semicolon) {
            return '\t';
        }
        return ',';
    }

    private static final class CsvStream implements RecordStream {
        private final CSVParser parser;
        private final Iterator<CSVRecord> records;
        private final Path file;
        private final char delimiter;
        private List<String> header;

        CsvStream(CSVParser parser, Iterator<CSVRecord> records, Path file, char delimiter) {
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
            return Map.of("delimiter", String.valueOf(delimiter), "charset", "UTF-8");
        }

        @Override
        public boolean hasNext() {
            try {
                return records.hasNext();
            } catch (UncheckedIOException e) {
                throw malformed(e);
            }
        }

        @Override
        public RawRecord next() {
            try {
                CSVRecord record = records.next();
                return new RawRecord(record.getRecordNumber(), record.values());
            } catch (UncheckedIOException e) {
                throw malformed(e);
            }
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
