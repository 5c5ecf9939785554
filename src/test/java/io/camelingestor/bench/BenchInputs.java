package io.camelingestor.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;

/**
 * The benchmark's inputs, energy_hourly files as the meters' portal exports them ({@code <device>-….csv},
 * header {@code Date and Time,Hourly}, ISO timestamps), each with the floor's copy of its valid rows
 * ({@code device_id,ts,energy_kwh}, what COPY reads straight into a typed table).
 */
final class BenchInputs {

    /**
     * One benchmark input: the files dropped together, and the valid rows the floor loads (all in one file, and
     * one file per input file for the per-file floor of many small files).
     */
    record Input(
            String name,
            List<Path> files,
            Path floorCsv,
            List<Path> floorCsvPerFile,
            long rows,
            long validRows,
            String expectedStatus) {

        Input(String name, Path file, Path floorCsv, long rows, long validRows, String expectedStatus) {
            this(name, List.of(file), floorCsv, List.of(floorCsv), rows, validRows, expectedStatus);
        }
    }

    private static final Instant START = Instant.parse("2000-01-01T00:00:00Z");

    private final Path dir;
    private final SplittableRandom random = new SplittableRandom(20261123);

    BenchInputs(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    static String device(int n) {
        return String.format(Locale.ROOT, "%024x", 0xbe7c4000L + n);
    }

    /** {@code rows} hourly values of one device; every {@code 1/invalidEvery} row broken in one of three ways. */
    Input csv(String name, long rows, int invalidEvery) throws IOException {
        String device = device(name.hashCode() & 0xffff);
        Path file = dir.resolve(device + "-" + name + ".csv");
        Path floor = dir.resolve(name + ".floor.csv");
        long valid = 0;
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                BufferedWriter fl = Files.newBufferedWriter(floor, StandardCharsets.UTF_8)) {
            out.write("Date and Time,Hourly\n");
            fl.write("device_id,ts,energy_kwh\n");
            for (long i = 0; i < rows; i++) {
                String ts = START.plus(i, ChronoUnit.HOURS).toString();
                String kwh = kwh();
                if (invalidEvery > 0 && i % invalidEvery == invalidEvery - 1) {
                    switch ((int) (i / invalidEvery % 3)) {
                        case 0 -> out.write(ts + ",not a number\n");
                        case 1 -> out.write(ts + ",-" + kwh + "\n"); // under the mapping's min 0
                        default -> out.write("," + kwh + "\n"); // no timestamp
                    }
                    continue;
                }
                out.write(ts + "," + kwh + "\n");
                fl.write(device + "," + ts + "," + kwh + "\n");
                valid++;
            }
        }
        return new Input(name, file, floor, rows, valid, invalidEvery > 0 ? "PARTIAL" : "LOADED");
    }

    /** {@code count} files of {@code rows} rows each, one device per file. */
    Input smallFiles(String name, int count, int rows) throws IOException {
        List<Path> files = new ArrayList<>();
        List<Path> floors = new ArrayList<>();
        Path floor = dir.resolve(name + ".floor.csv");
        try (BufferedWriter fl = Files.newBufferedWriter(floor, StandardCharsets.UTF_8)) {
            fl.write("device_id,ts,energy_kwh\n");
            for (int f = 0; f < count; f++) {
                String device = device(0x1000 + f);
                Path file = dir.resolve(device + "-" + name + "-" + f + ".csv");
                Path fileFloor = dir.resolve(name + "-" + f + ".floor.csv");
                try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                        BufferedWriter ff = Files.newBufferedWriter(fileFloor, StandardCharsets.UTF_8)) {
                    out.write("Date and Time,Hourly\n");
                    ff.write("device_id,ts,energy_kwh\n");
                    for (int i = 0; i < rows; i++) {
                        String ts = START.plus(i, ChronoUnit.HOURS).toString();
                        String kwh = kwh();
                        out.write(ts + "," + kwh + "\n");
                        fl.write(device + "," + ts + "," + kwh + "\n");
                        ff.write(device + "," + ts + "," + kwh + "\n");
                    }
                }
                files.add(file);
                floors.add(fileFloor);
            }
        }
        return new Input(name, files, floor, floors, (long) count * rows, (long) count * rows, "LOADED");
    }

    /** An XLSX workbook written as a stream (POI's SXSSF), text timestamps and numeric values. */
    Input xlsx(String name, int rows) throws IOException {
        String device = device(name.hashCode() & 0xffff);
        Path file = dir.resolve(device + "-" + name + ".xlsx");
        Path floor = dir.resolve(name + ".floor.csv");
        try (SXSSFWorkbook workbook = new SXSSFWorkbook(1000);
                BufferedWriter fl = Files.newBufferedWriter(floor, StandardCharsets.UTF_8)) {
            workbook.setCompressTempFiles(true);
            Sheet sheet = workbook.createSheet("Hourly");
            Row header = sheet.createRow(0);
            header.createCell(0).setCellValue("Date and Time");
            header.createCell(1).setCellValue("Hourly");
            fl.write("device_id,ts,energy_kwh\n");
            for (int i = 0; i < rows; i++) {
                String ts = START.plus(i, ChronoUnit.HOURS).toString();
                String kwh = kwh();
                Row row = sheet.createRow(i + 1);
                row.createCell(0).setCellValue(ts);
                row.createCell(1).setCellValue(Double.parseDouble(kwh));
                fl.write(device + "," + ts + "," + kwh + "\n");
            }
            try (OutputStream out = Files.newOutputStream(file)) {
                workbook.write(out);
            }
            workbook.dispose();
        }
        return new Input(name, file, floor, rows, rows, "LOADED");
    }

    private String kwh() {
        return String.format(Locale.ROOT, "%.3f", random.nextDouble() * 50);
    }
}
