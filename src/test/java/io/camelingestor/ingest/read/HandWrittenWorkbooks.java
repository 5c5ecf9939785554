package io.camelingestor.ingest.read;

import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/**
 * Workbooks with one part written by hand, as no spreadsheet program would write it (a cell of hundreds of
 * megabytes, a DOCTYPE, a zip bomb). The rest of the archive is a real workbook from POI; the hand-written part
 * is streamed into the archive, so a part that inflates to gigabytes is never held, and the file stays small.
 */
public final class HandWrittenWorkbooks {

    /** Writes the XML of one part. */
    public interface Part {
        void write(Writer out) throws IOException;
    }

    public static final String SHEET = "xl/worksheets/sheet1.xml";
    public static final String SHARED_STRINGS = "xl/sharedStrings.xml";

    private static final String SHEET_START = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
            + "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>";
    private static final String SHEET_END = "</sheetData></worksheet>";

    private HandWrittenWorkbooks() {}

    /**
     * A workbook whose sheet "Data" has the header {@code headers} (shared strings) and whose part
     * {@code partName} is replaced by what {@code part} writes.
     */
    public static Path write(Path file, String partName, Part part, String... headers) throws IOException {
        byte[] base;
        try (XSSFWorkbook wb = new XSSFWorkbook();
                ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            Sheet sheet = wb.createSheet("Data");
            Row header = sheet.createRow(0);
            for (int i = 0; i < headers.length; i++) {
                header.createCell(i).setCellValue(headers[i]);
            }
            wb.write(out);
            base = out.toByteArray();
        }
        boolean replaced = false;
        try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(base));
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(file))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                out.putNextEntry(new ZipEntry(entry.getName()));
                if (entry.getName().equals(partName)) {
                    Writer writer = new BufferedWriter(
                            new OutputStreamWriter(
                                    new FilterOutputStream(out) {
                                        @Override
                                        public void write(byte[] b, int off, int len) throws IOException {
                                            out.write(b, off, len);
                                        }

                                        @Override
                                        public void close() {} // the entry is closed below, the archive after it
                                    },
                                    StandardCharsets.UTF_8),
                            1 << 16);
                    part.write(writer);
                    writer.close();
                    replaced = true;
                } else {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        }
        if (!replaced) {
            throw new IllegalArgumentException("no part " + partName + " in the base workbook");
        }
        return file;
    }

    /**
     * A sheet whose header row holds {@code headers} as inline strings, then one row whose first cell holds
     * {@code chars} characters. The text is mostly one letter sprinkled with digits, so that it deflates about
     * 65:1, under POI's own 100:1 zip bomb guard: only a limit on the cell itself stops it.
     */
    public static Part sheetWithHugeCell(long chars, String... headers) {
        return out -> {
            out.write(SHEET_START);
            out.write(inlineRow(1, headers));
            out.write("<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>");
            // 16 blocks of 64 KiB, each with its own sprinkles, written in a random order: further apart than
            // deflate's 32 KiB window, so the archive holds them as often as they are written
            Random random = new Random(7);
            char[][] blocks = new char[16][65536];
            for (char[] block : blocks) {
                for (int i = 0; i < block.length; i++) {
                    block[i] = random.nextInt(200) == 0 ? (char) ('0' + random.nextInt(10)) : 'A';
                }
            }
            for (long written = 0; written < chars; written += 65536) {
                out.write(blocks[random.nextInt(blocks.length)], 0, (int) Math.min(65536, chars - written));
            }
            out.write("</t></is></c></row>");
            out.write(SHEET_END);
        };
    }

    /** A sheet that starts with {@code bytes} of white space (legal between elements) before its rows. */
    public static Part sheetOfSpace(long bytes, String... headers) {
        return out -> {
            out.write(SHEET_START);
            char[] spaces = new char[65536];
            java.util.Arrays.fill(spaces, ' ');
            for (long written = 0; written < bytes; written += spaces.length) {
                out.write(spaces, 0, (int) Math.min(spaces.length, bytes - written));
            }
            out.write(inlineRow(1, headers));
            out.write(SHEET_END);
        };
    }

    /** A part that starts with the billion laughs DOCTYPE and uses its entity in a cell. */
    public static Part withDoctype(String root) {
        return out -> {
            out.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE " + root + " [\n");
            out.write("<!ENTITY lol \"lol\">\n");
            String previous = "lol";
            for (int i = 1; i <= 9; i++) {
                out.write("<!ENTITY lol" + i + " \"" + ("&" + previous + ";").repeat(10) + "\">\n");
                previous = "lol" + i;
            }
            out.write("]>\n");
            if (root.equals("worksheet")) {
                out.write("<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>");
                out.write("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&lol9;</t></is></c></row>");
                out.write(SHEET_END);
            } else {
                out.write("<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
                        + "<si><t>&lol9;</t></si></sst>");
            }
        };
    }

    /** A sheet from rows of XML written as given. */
    public static Part sheet(String rowsXml) {
        return out -> {
            out.write(SHEET_START);
            out.write(rowsXml);
            out.write(SHEET_END);
        };
    }

    private static String inlineRow(int row, String... texts) {
        StringBuilder xml = new StringBuilder("<row r=\"" + row + "\">");
        for (int i = 0; i < texts.length; i++) {
            xml.append("<c r=\"")
                    .append((char) ('A' + i))
                    .append(row)
                    .append("\" t=\"inlineStr\"><is><t>")
                    .append(texts[i])
                    .append("</t></is></c>");
        }
        return xml.append("</row>").toString();
    }
}
