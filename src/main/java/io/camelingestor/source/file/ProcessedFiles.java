package io.camelingestor.source.file;

import io.camelingestor.core.IngestorProperties;
import io.camelingestor.ingest.reject.FreeNames;
import java.nio.file.Path;
import java.time.LocalDate;
import org.springframework.stereotype.Component;

/**
 * Where a loaded (or duplicate) file is kept: {@code processed/<dataset>/<day>/<name>}, under the next free
 * name when a file of that name was kept there already that day ({@code clash.1.csv}), so that no kept file
 * is ever replaced.
 */
@Component("processedFiles")
public class ProcessedFiles {

    private final IngestorProperties properties;

    public ProcessedFiles(IngestorProperties properties) {
        this.properties = properties;
    }

    /**
     * @return the path, relative to the inbound folder, the file source moves the file to on completion (the
     *     exchange property {@code ingestorArchiveTo})
     */
    public String archivePath(String dataset, String fileName) {
        String day = LocalDate.now().toString();
        Path dir = properties.processed(dataset).resolve(day);
        return "../../processed/" + dataset + "/" + day + "/" + FreeNames.in(dir, fileName);
    }
}
