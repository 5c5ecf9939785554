package io.camelingestor.ingest.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.camelingestor.core.InputRejectedException;
import io.camelingestor.core.RawRecord;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How a JSON file becomes a header and rows. The shapes come from the APIs the ingestor will fetch (Tago's
 * {@code {"status": true, "result": [...]}}, paged {@code data.items}), and the last test checks the point of
 * streaming: a file far larger than the heap is read whole.
 */
class JsonRecordReaderTest {

    private static final String TAGO =
            """
            {
              "status": true,
              "meta": {"page": 1, "tags": [{"key": "unit", "value": "kWh"}, [1, 2, [3]]], "empty": {}},
              "links": [{"rel": "next", "href": "https://api.tago.io/data?page=2"}],
              "result": [
                {"id": "68f1fb6550bcae000b4c2501", "time": "2025-12-08T23:00:00.000Z", "value": 3.24,
                 "variable": "hourly_consumption"},
                {"id": "68f1fb6550bcae000b4c2502", "time": "2025-12-09T00:00:00.000Z", "value": 2.9,
                 "variable": "hourly_consumption"}
              ],
              "after": {"nested": [{"deep": {"deeper": [true, null]}}]},
              "count": 2
            }
            """;

    @TempDir
    Path dir;

    private Path write(String json) throws IOException {
        return Files.writeString(dir.resolve("input.json"), json);
    }

    private static List<RawRecord> readAll(RecordStream stream) {
        List<RawRecord> rows = new ArrayList<>();
        stream.forEachRemaining(rows::add);
        return rows;
    }

    @ParameterizedTest(name = "records path {0}")
    @NullSource
    @ValueSource(strings = {"$", "$[*]"})
    void theRootArrayIsTheRecords(String recordsPath) throws IOException {
        Path file = write("[{\"a\": \"x\", \"b\": 1}, {\"a\": \"y\", \"b\": 2}]");
        try (RecordStream stream = JsonRecordReader.open(file, recordsPath, List.of("a", "b"))) {
            assertThat(stream.header()).containsExactly("a", "b");
            assertThat(stream.detected()).isEqualTo(Map.of("format", "json", "recordsPath", "$"));
            List<RawRecord> rows = readAll(stream);
            assertThat(rows).extracting(RawRecord::row).containsExactly(2L, 3L);
            assertThat(rows.get(0).values()).containsExactly("x", "1");
            assertThat(rows.get(1).values()).containsExactly("y", "2");
        }
    }

    @Test
    void tagoResultIsFoundAmongOtherKeysAndNestedValuesAreSkipped() throws IOException {
        Path file = write(TAGO);
        try (RecordStream stream = JsonRecordReader.open(file, "$.result", List.of("time", "value"))) {
            assertThat(stream.header()).containsExactly("time", "value", "id", "variable");
            assertThat(stream.detected()).isEqualTo(Map.of("format", "json", "recordsPath", "$.result"));
            List<RawRecord> rows = readAll(stream);
            assertThat(rows).hasSize(2);
            assertThat(rows.get(0).row()).isEqualTo(2);
            assertThat(rows.get(0).values())
                    .containsExactly(
                            "2025-12-08T23:00:00.000Z", "3.24", "68f1fb6550bcae000b4c2501", "hourly_consumption");
            assertThat(rows.get(1).values())
                    .containsExactly(
                            "2025-12-09T00:00:00.000Z", "2.9", "68f1fb6550bcae000b4c2502", "hourly_consumption");
        }
    }

    @Test
    void aNestedPathWithTrailingWildcard() throws IOException {
        Path file = write(
                "{\"data\": {\"total\": 1, \"other\": [1, [2], {\"items\": []}], \"items\": [{\"v\": 7}]}, \"x\": 1}");
        try (RecordStream stream = JsonRecordReader.open(file, "$.data.items[*]", List.of("v"))) {
            assertThat(stream.detected()).containsEntry("recordsPath", "$.data.items");
            List<RawRecord> rows = readAll(stream);
            assertThat(rows).singleElement().satisfies(r -> assertThat(r.values())
                    .containsExactly("7"));
        }
    }

    @Test
    void aBracketQuotedKey() throws IOException {
        Path file = write("{\"my key\": {\"rows\": [{\"v\": \"1\"}]}, \"rows\": \"not these\"}");
        try (RecordStream stream = JsonRecordReader.open(file, "$['my key'].rows", List.of("v"))) {
            assertThat(stream.detected()).containsEntry("recordsPath", "$['my key'].rows");
            assertThat(readAll(stream)).singleElement().satisfies(r -> assertThat(r.values())
                    .containsExactly("1"));
        }
    }

    @Test
    void aMissingKeyIsNull() throws IOException {
        Path file = write("[{\"time\": \"t1\"}, {\"value\": 5}]");
        try (RecordStream stream = JsonRecordReader.open(file, null, List.of("time", "value"))) {
            List<RawRecord> rows = readAll(stream);
            assertThat(rows.get(0).values()).containsExactly("t1", null);
            assertThat(rows.get(1).values()).containsExactly(null, "5");
        }
    }

    @Test
    void scalarsKeepTheirTextAsWritten() throws IOException {
        Path file = write("[{\"a\": 3.240, \"b\": 1e3, \"c\": -0, \"d\": 123456789012345678901234567890, \"e\": true,"
                + " \"f\": false, \"g\": null, \"h\": \"caf\\u00e9 \\\"q\\\"\", \"i\": \"\"}]");
        try (RecordStream stream = JsonRecordReader.open(file, "$", List.of())) {
            assertThat(stream.header()).containsExactly("a", "b", "c", "d", "e", "f", "g", "h", "i");
            assertThat(readAll(stream).get(0).values())
                    .containsExactly(
                            "3.240",
                            "1e3",
                            "-0",
                            "123456789012345678901234567890",
                            "true",
                            "false",
                            null,
                            "café \"q\"",
                            "");
        }
    }

    @Test
    void aNestedValueIsItsCompactJsonText() throws IOException {
        Path file = write(
                """
                [{"obj": { "x" : [ 1.50 , 2e1, "s\\"t" , null, true ] , "y" : { } },
                  "arr": [ ],
                  "after": "still read"}]
                """);
        try (RecordStream stream = JsonRecordReader.open(file, null, List.of("obj", "arr", "after"))) {
            assertThat(readAll(stream).get(0).values())
                    .containsExactly("{\"x\":[1.50,2e1,\"s\\\"t\",null,true],\"y\":{}}", "[]", "still read");
        }
    }

    @Test
    void keysOfTheFirstRecordNotExpectedAreAppendedAndLaterOnesIgnored() throws IOException {
        Path file = write("[{\"a\": 1, \"z\": 2, \"b\": 3}, {\"new\": {\"n\": 1}, \"b\": 6, \"a\": 4, \"other\": 9}]");
        try (RecordStream stream = JsonRecordReader.open(file, null, List.of("b", "a"))) {
            assertThat(stream.header()).containsExactly("b", "a", "z");
            List<RawRecord> rows = readAll(stream);
            assertThat(rows.get(0).values()).containsExactly("3", "1", "2");
            assertThat(rows.get(1).values()).containsExactly("6", "4", null);
        }
    }

    @Test
    void aPathNotFoundIsRejectedNamingThePath() throws IOException {
        Path file = write(TAGO);
        assertThatThrownBy(() -> JsonRecordReader.open(file, "$.results", List.of()))
                .isInstanceOf(InputRejectedException.class)
                .hasMessage("expected an array of records at $.results, found no key 'results' in the object at $")
                .satisfies(e -> assertThat(((InputRejectedException) e).details())
                        .containsEntry("file", "input.json")
                        .containsEntry("recordsPath", "$.results"));
    }

    @Test
    void aPathThroughSomethingOtherThanAnObjectIsRejected() throws IOException {
        Path file = write(TAGO);
        assertThatThrownBy(() -> JsonRecordReader.open(file, "$.links.items", List.of()))
                .isInstanceOf(InputRejectedException.class)
                .hasMessage("expected an array of records at $.links.items, found an array at $.links instead of an"
                        + " object");
    }

    @Test
    void aPathToAnObjectIsRejected() throws IOException {
        Path file = write(TAGO);
        assertThatThrownBy(() -> JsonRecordReader.open(file, "$.meta", List.of()))
                .isInstanceOf(InputRejectedException.class)
                .hasMessage("expected an array of records at $.meta, found an object");
        assertThatThrownBy(() -> JsonRecordReader.open(file, null, List.of()))
                .isInstanceOf(InputRejectedException.class)
                .hasMessage("expected an array of records at $, found an object");
        assertThatThrownBy(() -> JsonRecordReader.open(file, "$.count", List.of()))
                .isInstanceOf(InputRejectedException.class)
                .hasMessage("expected an array of records at $.count, found a number");
    }

    @Test
    void malformedJsonAtOpenIsRejectedWithLineAndColumn() throws IOException {
        Path file = write("{\"status\": true,\n \"result\": [\n  {\"a\": tru }\n]}");
        assertThatThrownBy(() -> JsonRecordReader.open(file, "$.result", List.of("a")))
                .isExactlyInstanceOf(InputRejectedException.class)
                .hasMessageStartingWith("malformed JSON at line 3, column ")
                .hasMessageContaining("Unrecognized token 'tru'")
                .hasMessageNotContaining("[Source:")
                .hasCauseInstanceOf(JsonProcessingException.class)
                .satisfies(e -> assertThat(((InputRejectedException) e).details())
                        .containsEntry("file", "input.json")
                        .containsEntry("line", 3)
                        .containsKey("column"));
    }

    @Test
    void malformedJsonMidStreamComesAfterTheGoodRecords() throws IOException {
        Path file = write("[\n{\"a\": 1},\n{\"a\": 2},\n{\"a\": oops}\n]\n");
        try (RecordStream stream = JsonRecordReader.open(file, null, List.of("a"))) {
            assertThat(stream.next().row()).isEqualTo(2);
            assertThat(stream.next().row()).isEqualTo(3);
            assertThatThrownBy(stream::hasNext)
                    .isExactlyInstanceOf(InputRejectedException.class)
                    .hasMessageStartingWith("malformed JSON at line 4, column ")
                    .hasMessageContaining("Unrecognized token 'oops'")
                    .hasCauseInstanceOf(JsonProcessingException.class)
                    .satisfies(e -> {
                        Map<String, Object> details = ((InputRejectedException) e).details();
                        assertThat(details).containsEntry("line", 4);
                        // Jackson reports where it stopped reading: at or just after the bad token
                        assertThat((Integer) details.get("column")).isBetween(7, 12);
                    });
            assertThat(stream.hasNext()).as("nothing more after the rejection").isFalse();
        }
    }

    @Test
    void aFileCutShortAfterItsRecordsIsRejected() throws IOException {
        Path file = write("{\"result\": [{\"a\": 1}, {\"a\": 2}], \"more\": {\"x\": [1, 2");
        try (RecordStream stream = JsonRecordReader.open(file, "$.result", List.of("a"))) {
            assertThat(stream.next().values()).containsExactly("1");
            assertThat(stream.next().values()).containsExactly("2");
            assertThatThrownBy(stream::hasNext)
                    .isExactlyInstanceOf(InputRejectedException.class)
                    .hasMessageStartingWith("malformed JSON at line 1, column ")
                    .hasMessageContaining("end-of-input");
        }
    }

    @Test
    void aSecondDocumentAfterTheFirstIsRejected() throws IOException {
        Path file = write("[{\"a\": 1}]\n[{\"a\": 2}]");
        try (RecordStream stream = JsonRecordReader.open(file, null, List.of("a"))) {
            assertThat(stream.next().values()).containsExactly("1");
            assertThatThrownBy(stream::hasNext)
                    .isInstanceOf(InputRejectedException.class)
                    .hasMessage("malformed JSON at line 2, column 1: content after the end of the document");
        }
    }

    @Test
    void anElementThatIsNotAnObjectIsRejected() throws IOException {
        Path file = write("{\"result\": [{\"a\": 1}, 42]}");
        try (RecordStream stream = JsonRecordReader.open(file, "$.result", List.of("a"))) {
            assertThat(stream.next().row()).isEqualTo(2);
            assertThatThrownBy(stream::hasNext)
                    .isInstanceOf(InputRejectedException.class)
                    .hasMessage("expected an object for record 2 (row 3) at $.result[1], found a number")
                    .satisfies(e -> assertThat(((InputRejectedException) e).details())
                            .containsEntry("record", 2L)
                            .containsEntry("row", 3L));
        }
        Path first = write("[[1, 2]]");
        assertThatThrownBy(() -> JsonRecordReader.open(first, null, List.of("a")))
                .isInstanceOf(InputRejectedException.class)
                .hasMessage("expected an object for record 1 (row 2) at $[0], found an array");
    }

    @Test
    void anEmptyArrayGivesTheExpectedColumnsAndNoRecords() throws IOException {
        Path file = write("{\"result\": [], \"status\": true}");
        try (RecordStream stream = JsonRecordReader.open(file, "$.result", List.of("time", "value"))) {
            assertThat(stream.header()).containsExactly("time", "value");
            assertThat(stream.hasNext()).isFalse();
        }
    }

    @Test
    void anEmptyFileIsRejected() throws IOException {
        Path file = write("  \n");
        assertThatThrownBy(() -> JsonRecordReader.open(file, null, List.of("a")))
                .isInstanceOf(InputRejectedException.class)
                .hasMessage("empty file: no JSON document");
    }

    @Test
    void aUtf8ByteOrderMarkIsSkipped() throws IOException {
        byte[] json = "[{\"température\": \"21,5\"}]".getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[json.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(json, 0, withBom, 3, json.length);
        Path file = Files.write(dir.resolve("bom.json"), withBom);
        try (RecordStream stream = JsonRecordReader.open(file, null, List.of())) {
            assertThat(stream.header()).containsExactly("température");
            assertThat(readAll(stream).get(0).values()).containsExactly("21,5");
        }
    }

    @Test
    void utf16IsDetected() throws IOException {
        Path file = Files.writeString(dir.resolve("utf16.json"), "[{\"température\": 21.5}]", StandardCharsets.UTF_16);
        try (RecordStream stream = JsonRecordReader.open(file, null, List.of())) {
            assertThat(stream.header()).containsExactly("température");
            assertThat(readAll(stream).get(0).values()).containsExactly("21.5");
        }
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "$                     | $",
                "$[*]                  | $",
                "$.result              | $.result",
                "$.data.items          | $.data.items",
                "$.data.items[*]       | $.data.items",
                "$['my key'].rows      | $['my key'].rows",
                "$[\"result\"][*]      | $.result",
                "$.a-b.c_d             | $.a-b.c_d",
                "$['it\\'s']           | $['it\\'s']",
            })
    void supportedPathsAreNormalized(String path, String normalized) {
        assertThat(io.camelingestor.dataset.RecordsPath.validate(path)).isEqualTo(normalized);
    }

    @Test
    void noPathIsTheRoot() {
        assertThat(io.camelingestor.dataset.RecordsPath.validate(null)).isEqualTo("$");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "$..x            | recursive descent",
                "$.a[0]          | array indexes",
                "$.a[-1:]        | array indexes",
                "$.a[?(@.x)]     | filters",
                "$.*             | wildcards",
                "$.a[*].b        | [*] is only supported at the end",
                "$[*][*]         | [*] is only supported at the end",
                "result          | must start with $",
                "$.a b           | bracket notation",
                "$['a','b']      | unions",
                "$['a            | not closed",
                "$.              | a key is missing",
            })
    void unsupportedPathsAreRefusedNamingThePath(String path, String why) {
        assertThatThrownBy(() -> io.camelingestor.dataset.RecordsPath.validate(path))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unsupported records path '" + path + "': ")
                .hasMessageContaining(why);
    }

    @Test
    void openRefusesAnUnsupportedPathBeforeReading() throws IOException {
        Path file = write("[]");
        assertThatThrownBy(() -> JsonRecordReader.open(file, "$..x", List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'$..x'");
    }

    /**
     * About 150 MB and a million records, read by a child JVM limited to 64 MB of heap: it only succeeds if
     * records are streamed, not collected.
     */
    @Test
    void aFileFarLargerThanTheHeapIsReadInBoundedMemory() throws Exception {
        Path file = dir.resolve("large.json");
        int records = 1_000_000;
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("{\"status\": true, \"meta\": {\"source\": \"tago\"}, \"result\": [\n");
            StringBuilder line = new StringBuilder(256);
            for (int i = 0; i < records; i++) {
                line.setLength(0);
                line.append(i == 0 ? "" : ",\n")
                        .append("{\"id\": \"68f1fb6550bcae000b")
                        .append(1_000_000 + i)
                        .append("\", \"time\": \"2025-12-08T23:00:00.000Z\", \"value\": ")
                        .append(i % 1000)
                        .append('.')
                        .append(i % 97)
                        .append(", \"variable\": \"hourly_consumption\", \"origin\": {\"tags\": [")
                        .append(i % 50)
                        .append("]}}");
                out.append(line);
            }
            out.write("\n], \"count\": " + records + "}\n");
        }
        long size = Files.size(file);
        assertThat(size).isGreaterThan(140_000_000L);

        Path log = dir.resolve("child.log");
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m",
                "-cp",
                System.getProperty("java.class.path"),
                CountRecords.class.getName(),
                file.toString(),
                "$.result");
        long started = System.nanoTime();
        Process child = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        boolean exited = child.waitFor(5, TimeUnit.MINUTES);
        long millis = (System.nanoTime() - started) / 1_000_000;
        if (!exited) {
            child.destroyForcibly().waitFor();
        }
        String output = Files.readString(log);
        System.out.printf(
                "JsonRecordReaderTest: %,d bytes, %,d records, read by a -Xmx64m child JVM in %,d ms: %s%n",
                size, records, millis, output.strip());
        assertThat(exited).as("the child finished within 5 minutes").isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output).as(output).startsWith("records=" + records + " lastRow=" + (records + 1) + " ");
    }

    /** Run in a child JVM: counts the records of a file, printing the count and the peak heap used. */
    static final class CountRecords {
        public static void main(String[] args) throws Exception {
            long count = 0;
            long lastRow = 0;
            long readStarted = System.nanoTime();
            try (RecordStream stream = JsonRecordReader.open(Path.of(args[0]), args[1], List.of("time", "value"))) {
                while (stream.hasNext()) {
                    lastRow = stream.next().row();
                    count++;
                }
            }
            long readMillis = (System.nanoTime() - readStarted) / 1_000_000;
            long peakHeap = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    peakHeap += pool.getPeakUsage().getUsed();
                }
            }
            System.out.println("records=" + count + " lastRow=" + lastRow + " readMillis=" + readMillis
                    + " peakHeapPoolsSumMB=" + peakHeap / (1024 * 1024) + " maxHeapMB="
                    + Runtime.getRuntime().maxMemory() / (1024 * 1024));
        }
    }
}
