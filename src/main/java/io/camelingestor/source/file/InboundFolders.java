package io.camelingestor.source.file;

import io.camelingestor.core.IngestorProperties;
import io.camelingestor.dataset.MappingRegistry;
import io.camelingestor.ingest.read.DatasetDetector;
import jakarta.annotation.PostConstruct;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Creates {@code inbound/<dataset>/}, {@code processed/} and {@code rejected/} for every loaded mapping. */
@Component
class InboundFolders {

    private static final Logger log = LoggerFactory.getLogger(InboundFolders.class);

    private final IngestorProperties properties;
    private final MappingRegistry mappings;

    InboundFolders(IngestorProperties properties, MappingRegistry mappings) {
        this.properties = properties;
        this.mappings = mappings;
    }

    @PostConstruct
    void create() throws IOException {
        for (String dataset : mappings.names()) {
            Files.createDirectories(properties.inbound(dataset));
            Files.createDirectories(properties.processed(dataset));
            Files.createDirectories(properties.rejected(dataset));
        }
        Files.createDirectories(properties.inbound(DatasetDetector.AUTO));
        Files.createDirectories(properties.rejected(DatasetDetector.AUTO));
        Path inbound = properties.dataDir().resolve("inbound");
        log.info(
                "Drop files into {}/<dataset>/ (datasets: {}), or into {} to detect the dataset from the header;"
                        + " results go to {} and {}",
                inbound,
                String.join(", ", mappings.names()),
                properties.watchDir(),
                properties.processedDir(),
                properties.rejectedDir());
    }
}
