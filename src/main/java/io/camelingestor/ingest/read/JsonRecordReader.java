package io.camelingestor.ingest.read;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.camelingestor.core.InputRejectedException;
import io.camelingestor.core.RawRecord;
import io.camelingestor.dataset.RecordsPath;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Streams the records of a JSON file with Jackson's {@link JsonParser}: an array of objects, either the
 * document itself or found at a records path such as {@code $.result}. Only the record being read is in
 * memory, so a file of hundreds of MB needs no more heap than a small one. UTF-8 with or without BOM, and
 * the UTF-16/UTF-32 encodings Jackson detects from the first bytes, are read.
 *
 * <p>The records path is a deliberately small subset of JSONPath, parsed here rather than by Jayway
 * JsonPath (what camel-jsonpath uses) because Jayway reads the whole document into memory first. Supported:
 * a chain of object keys from the root, in dot notation ({@code $.data.items}) or bracket-quoted
 * ({@code $['my key'].rows}), optionally ending in {@code [*]}; {@code $} and {@code $[*]} are the root array.
 * Anything else (recursive descent, indexes, slices, filters, wildcards before the end, unions) is refused
 * by {@link RecordsPath#validate}.
 *
 * <p>Each record becomes one row: the header is the mapping's source columns followed by the keys of the
 * first record that are not among them; keys that appear only in later records are ignored, so the raw
 * staging data holds the header's columns only. Row numbers count as if a header line were row 1: the first
 * record is row 2, as in a CSV file, so reports read the same for both.
 */
public final class JsonRecordReader {

    private static final JsonFactory JSON = new JsonFactory();

    private JsonRecordReader() {}

    /**
     * Opens the file, finds the records array and reads the first record to build the header; the rest is
     * read as the stream is iterated. Closing the stream closes the file.
     *
     * @param recordsPath where the array of records is: null, {@code $} or {@code $[*]} for the root array,
     *     else a path {@link RecordsPath#validate} accepts
     * @param expectedColumns the mapping's source column names, in order: the first columns of the header
     * @return a stream whose {@code hasNext}/{@code next} throw {@link InputRejectedException} for malformed
     *     JSON or an element that is not an object, and {@link UncheckedIOException} when the file cannot be
     *     read
     * @throws IllegalArgumentException for a records path outside the supported subset
     * @throws InputRejectedException for an empty file, malformed JSON before the first record ends, a records
     *     path that is not found or does not lead to an array, or a first element that is not an object
     */
    public static RecordStream open(Path file, String recordsPath, List<String> expectedColumns) throws IOException {
        List<String> keys = RecordsPath.parse(recordsPath);
        String fileName = file.getFileName().toString();
        InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS); // never a link (see CsvRecordReader)
        JsonParser parser = null;
        try {
            // Jackson buffers the stream itself and detects the encoding (and skips a BOM) from its first bytes
            parser = JSON.createParser(in);
            if (parser.nextToken() == null) {
                throw new InputRejectedException("empty file: no JSON document", Map.of("file", fileName));
            }
            findRecords(parser, keys, fileName);
            JsonStream stream = new JsonStream(parser, fileName, keys);
            stream.readHeader(expectedColumns == null ? List.of() : expectedColumns);
            return stream;
        } catch (JsonProcessingException | CharConversionException e) {
            close(parser, in);
            throw malformed(e, parser, fileName);
        } catch (IOException | RuntimeException e) {
            close(parser, in);
            throw e;
        }
    }

    /**
     * Walks the keys from the root value (the parser's current token), skipping every other value whole, and
     * leaves the parser on the records array's START_ARRAY. The first key that matches is followed: JSON
     * objects should not repeat keys, and going back to look for a later one is impossible in a stream.
     */
    private static void findRecords(JsonParser parser, List<String> keys, String fileName) throws IOException {
        for (int depth = 0; depth < keys.size(); depth++) {
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                throw notFound(
                        keys,
                        "an array of records at " + RecordsPath.render(keys, -1),
                        describe(parser.currentToken()) + " at " + RecordsPath.render(keys, depth)
                                + " instead of an object",
                        parser,
                        fileName);
            }
            String key = keys.get(depth);
            boolean found = false;
            while (!found && parser.nextToken() == JsonToken.FIELD_NAME) {
                found = key.equals(parser.currentName());
                parser.nextToken();
                if (!found) {
                    parser.skipChildren();
                }
            }
            if (!found) {
                throw notFound(
                        keys,
                        "an array of records at " + RecordsPath.render(keys, -1),
                        "no key '" + key + "' in the object at " + RecordsPath.render(keys, depth),
                        parser,
                        fileName);
            }
        }
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw notFound(
                    keys,
                    "an array of records at " + RecordsPath.render(keys, -1),
                    describe(parser.currentToken()),
                    parser,
                    fileName);
        }
    }

    private static InputRejectedException notFound(
            List<String> keys, String expected, String found, JsonParser parser, String fileName) {
        JsonLocation at = parser.currentTokenLocation();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("file", fileName);
        details.put("recordsPath", RecordsPath.render(keys, -1));
        details.put("found", found);
        details.put("line", at.getLineNr());
        details.put("column", at.getColumnNr());
        return new InputRejectedException("expected " + expected + ", found " + found, details);
    }

    private static String describe(JsonToken token) {
        if (token == null) {
            return "the end of the document";
        }
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.name();
        };
    }

    /**
     * Jackson's parse errors, and the encoding errors of its UTF-32 reader, as a rejection: the parser cannot
     * resynchronise after a syntax error, so the rest of the file is unreadable.
     */
    private static InputRejectedException malformed(IOException e, JsonParser parser, String fileName) {
        JsonLocation at = e instanceof JsonProcessingException p ? p.getLocation() : null;
        if (at == null && parser != null) {
            at = parser.currentLocation();
        }
        int line = at == null ? -1 : at.getLineNr();
        int column = at == null ? -1 : at.getColumnNr();
        // the original message, without the "at [Source: ...; line: ...]" suffix that we say more plainly
        String why = e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage();
        return new InputRejectedException(
                "malformed JSON at line " + line + ", column " + column + ": " + why,
                Map.of("file", fileName, "line", line, "column", column),
                e);
    }

    private static void close(JsonParser parser, InputStream in) {
        try {
            if (parser != null) {
                parser.close();
            }
            in.close();
        } catch (IOException ignored) {
            // the open failed already: that failure is the one to report
        }
    }

    private static final class JsonStream implements RecordStream {
        private final JsonParser parser;
        private final String fileName;
        private final List<String> keys;
        private final Map<String, Integer> columnIndex = new HashMap<>();
        private final StringWriter nested = new StringWriter(256);
        private List<String> header;
        private RawRecord pending;
        private long records;
        private boolean finished;

        JsonStream(JsonParser parser, String fileName, List<String> keys) {
            this.parser = parser;
            this.fileName = fileName;
            this.keys = keys;
        }

        /** Expects the parser on the records' START_ARRAY; leaves the first record pending, if there is one. */
        void readHeader(List<String> expectedColumns) throws IOException {
            List<String> names = new ArrayList<>(expectedColumns);
            JsonToken token = parser.nextToken();
            if (token == JsonToken.END_ARRAY) {
                index(names);
                finished = true;
                readToEnd();
                return;
            }
            if (token != JsonToken.START_OBJECT) {
                finished = true;
                throw notAnObject(token);
            }
            // the first record decides the extra columns, so its keys are kept in document order
            Map<String, String> first = new LinkedHashMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                first.put(name, valueText());
            }
            for (String key : first.keySet()) {
                if (!expectedColumns.contains(key)) {
                    names.add(key);
                }
            }
            index(names);
            String[] values = new String[header.size()];
            first.forEach((key, value) -> values[columnIndex.get(key)] = value);
            pending = new RawRecord(++records + 1, values);
        }

        private void index(List<String> names) {
            header = List.copyOf(names);
            for (int i = 0; i < header.size(); i++) {
                columnIndex.putIfAbsent(header.get(i), i);
            }
        }

        @Override
        public List<String> header() {
            return header;
        }

        @Override
        public Map<String, Object> detected() {
            return Map.of("format", "json", "recordsPath", RecordsPath.render(keys, -1));
        }

        @Override
        public boolean hasNext() {
            if (pending != null) {
                return true;
            }
            if (finished) {
                return false;
            }
            try {
                JsonToken token = parser.nextToken();
                if (token == JsonToken.END_ARRAY) {
                    finished = true;
                    readToEnd();
                    return false;
                }
                if (token != JsonToken.START_OBJECT) {
                    finished = true;
                    throw notAnObject(token);
                }
                pending = new RawRecord(++records + 1, readRecord());
                return true;
            } catch (JsonProcessingException | CharConversionException e) {
                finished = true;
                throw malformed(e, parser, fileName);
            } catch (IOException e) {
                finished = true;
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public RawRecord next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            RawRecord record = pending;
            pending = null;
            return record;
        }

        /** Expects the parser on a record's START_OBJECT; leaves it on its END_OBJECT. */
        private String[] readRecord() throws IOException {
            String[] values = new String[header.size()];
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                Integer column = columnIndex.get(parser.currentName());
                parser.nextToken();
                if (column == null) {
                    parser.skipChildren(); // a key the first record did not have: not staged
                } else {
                    values[column] = valueText();
                }
            }
            return values;
        }

        /** The current value as the cell text the transformer coerces; leaves the parser on its last token. */
        private String valueText() throws IOException {
            return switch (parser.currentToken()) {
                case VALUE_STRING -> parser.getText();
                // the text as written ("3.240", "1e3"): the transformer's coercion decides what it means
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getText();
                case VALUE_TRUE -> "true";
                case VALUE_FALSE -> "false";
                case VALUE_NULL -> null;
                case START_OBJECT, START_ARRAY -> compactJson();
                default -> throw new IllegalStateException("unexpected token " + parser.currentToken());
            };
        }

        /**
         * Copies the current object or array token by token rather than with {@code copyCurrentStructure},
         * which writes floats back from a double ("3.240" would become "3.24", "1e3" "1000.0").
         */
        private String compactJson() throws IOException {
            nested.getBuffer().setLength(0);
            try (JsonGenerator g = JSON.createGenerator(nested)) {
                int depth = 0;
                JsonToken token = parser.currentToken();
                while (true) {
                    switch (token) {
                        case START_OBJECT -> {
                            g.writeStartObject();
                            depth++;
                        }
                        case START_ARRAY -> {
                            g.writeStartArray();
                            depth++;
                        }
                        case END_OBJECT -> {
                            g.writeEndObject();
                            depth--;
                        }
                        case END_ARRAY -> {
                            g.writeEndArray();
                            depth--;
                        }
                        case FIELD_NAME -> g.writeFieldName(parser.currentName());
                        case VALUE_STRING -> g.writeString(parser.getText());
                        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> g.writeNumber(parser.getText());
                        case VALUE_TRUE -> g.writeBoolean(true);
                        case VALUE_FALSE -> g.writeBoolean(false);
                        case VALUE_NULL -> g.writeNull();
                        default -> throw new IllegalStateException("unexpected token " + token);
                    }
                    if (depth == 0) {
                        break;
                    }
                    token = parser.nextToken();
                }
            }
            return nested.toString();
        }

        /**
         * Reads what follows the records array to the end of the document, so that a file cut short or broken
         * after its records is rejected rather than loaded as if it were whole. A second document after the
         * first (which Jackson would otherwise accept) is refused too.
         */
        private void readToEnd() throws IOException {
            while (!parser.getParsingContext().inRoot()) {
                JsonToken token = parser.nextToken();
                if (token == null) {
                    break; // not reached: Jackson reports an unclosed object as malformed
                }
                parser.skipChildren();
            }
            if (parser.nextToken() != null) {
                JsonLocation at = parser.currentTokenLocation();
                throw new InputRejectedException(
                        "malformed JSON at line " + at.getLineNr() + ", column " + at.getColumnNr()
                                + ": content after the end of the document",
                        Map.of("file", fileName, "line", at.getLineNr(), "column", at.getColumnNr()));
            }
        }

        private InputRejectedException notAnObject(JsonToken token) {
            long record = records + 1;
            JsonLocation at = parser.currentTokenLocation();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("file", fileName);
            details.put("record", record);
            details.put("row", record + 1);
            details.put("found", describe(token));
            details.put("line", at.getLineNr());
            details.put("column", at.getColumnNr());
            return new InputRejectedException(
                    "expected an object for record " + record + " (row " + (record + 1) + ") at "
                            + RecordsPath.render(keys, -1) + "[" + (record - 1) + "], found " + describe(token),
                    details);
        }

        @Override
        public void close() {
            try {
                parser.close(); // closes the file too (Jackson's AUTO_CLOSE_SOURCE, on by default)
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
