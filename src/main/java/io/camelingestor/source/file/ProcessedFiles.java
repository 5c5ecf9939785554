package io.camelingestor.source.file;

import io.camelingestor.core.IngestorProperties;
import io.camelingestor.ingest.reject.FreeNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.LocalDate;
import org.springframework.stereotype.Component;

/**
 * Where a loaded (or duplicate) file is kept: {@code processed/<dataset>/<day>/<name>}, under the next free
 * name when a file of that name was kept there already that day ({@code clash.1.csv}), so that no kept file
 * is ever replaced. A stale report of an earlier attempt left in rejected/ without its file is removed.
 */
@Component("processedFiles")
public class ProcessedFiles {

    private final IngestorProperties properties;

    public ProcessedFiles(IngestorProperties properties) {
        this.properties = properties;
    }

    /**
     * @return the absolute path the file source moves the file to on completion (the
     *     exchange property {@code ingestorArchiveTo})
     */
    public String archivePath(String dataset, String fileName) throws IOException {
        removeStaleReport(dataset, fileName);
        String day = LocalDate.now().toString();
        Path dir = properties.processed(dataset).resolve(day);
        // absolute: the processed folder need not sit beside the inbound one (ingestor.processed-dir)
        return dir.resolve(FreeNames.in(dir, fileName)).toString();
    }

    /**
     * A report in rejected/ without its file is stale: it was written for an attempt whose dead letter could
     * not be recorded (the database was down), so the file stayed in its inbound folder and is being ingested
     * again. It would say FAILED about a file that loads; it goes (this attempt writes its own if it fails).
     */
    private void removeStaleReport(String dataset, String fileName) throws IOException {
        Path dir = properties.rejected(dataset);
        if (!Files.exists(dir.resolve(fileName), LinkOption.NOFOLLOW_LINKS)) {
            Files.deleteIfExists(dir.resolve(fileName + ".error.json"));
        }
    }
}
