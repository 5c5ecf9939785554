package io.camelingestor.ingest.read;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code ingestor.xlsx.*}: how far a workbook may inflate before it is rejected. An XLSX file is a ZIP archive
 * of XML parts; a small file can inflate to gigabytes (a zip bomb, or one cell of a billion characters), so
 * every part is counted as it is inflated and the reader stops at the first limit it crosses, naming it.
 *
 * @param maxCellChars the longest text one cell (or one shared string) may hold; Excel itself stops at 32,767
 * @param maxEntrySize the most one part of the archive (a sheet, the shared strings, the styles) may inflate to
 * @param maxTotalSize the most all the parts read for one input may inflate to together
 * @param maxSharedStringsSize the most heap the workbook's table of shared strings may take (an estimate: 40
 *     bytes a string plus 2 a character); the table is the one part of a workbook held whole while its sheet
 *     is read, because any cell may point into it
 */
@ConfigurationProperties("ingestor.xlsx")
public record XlsxLimits(
        @DefaultValue("32767") int maxCellChars,
        @DefaultValue("1GB") DataSize maxEntrySize,
        @DefaultValue("2GB") DataSize maxTotalSize,
        @DefaultValue("64MB") DataSize maxSharedStringsSize) {

    /** The defaults above, for readers opened outside the application (tests, tools). */
    public static final XlsxLimits DEFAULTS =
            new XlsxLimits(32767, DataSize.ofGigabytes(1), DataSize.ofGigabytes(2), DataSize.ofMegabytes(64));

    public XlsxLimits {
        if (maxCellChars <= 0
                || maxEntrySize.toBytes() <= 0
                || maxTotalSize.toBytes() <= 0
                || maxSharedStringsSize.toBytes() <= 0) {
            throw new IllegalArgumentException("ingestor.xlsx.* limits must be positive");
        }
    }
}
