package io.camelingestor.ops;

import io.camelingestor.core.DataPaths;
import io.camelingestor.core.IngestorProperties;
import io.camelingestor.dataset.MappingRegistry;
import io.camelingestor.ingest.read.DatasetDetector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.NamedContributor;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health/inbound} (component {@code inboundFolders}): one component per inbound folder (one per mapping, and {@code auto}):
 * whether it exists and is writable, how many files wait in it and since when the oldest waits. A missing or
 * read-only folder is DOWN: files dropped there are never ingested.
 */
@Component("inboundFoldersHealthContributor") // health component "inboundFolders"
class InboundFoldersHealth implements CompositeHealthContributor {

    private final IngestorProperties properties;
    private final MappingRegistry mappings;

    private final DataPaths paths;

    InboundFoldersHealth(IngestorProperties properties, MappingRegistry mappings) {
        this.properties = properties;
        this.mappings = mappings;
        this.paths = new DataPaths(properties.dataDir());
    }

    private Map<String, HealthContributor> folders() {
        Map<String, HealthContributor> folders = new LinkedHashMap<>();
        for (String dataset : mappings.names()) {
            folders.put(dataset, folder(properties.inbound(dataset)));
        }
        folders.put(DatasetDetector.AUTO, folder(properties.inbound(DatasetDetector.AUTO)));
        return folders;
    }

    /** Its path relative to the data folder: health details never show the host's layout. */
    private HealthIndicator folder(Path folder) {
        return () -> {
            Health.Builder health = Health.up().withDetail("path", paths.shown(folder));
            if (!Files.isDirectory(folder)) {
                return health.down()
                        .withDetail("problem", "the folder does not exist")
                        .build();
            }
            if (!Files.isWritable(folder)) {
                health.down().withDetail("problem", "the folder is not writable: files cannot be moved out of it");
            }
            try {
                InboundFiles waiting = InboundFiles.in(folder);
                health.withDetail("filesWaiting", waiting.count());
                waiting.oldest().ifPresent(oldest -> health.withDetail("oldestWaitingSince", oldest.toInstant())
                        .withDetail(
                                "oldestWaitingSeconds",
                                Duration.between(oldest.toInstant(), Instant.now())
                                        .toSeconds()));
            } catch (IOException e) {
                health.down().withDetail("problem", "cannot list the folder: " + paths.shown(e.getMessage()));
            }
            return health.build();
        };
    }

    @Override
    public HealthContributor getContributor(String name) {
        return folders().get(name);
    }

    @Override
    public Iterator<NamedContributor<HealthContributor>> iterator() {
        return folders().entrySet().stream()
                .map(e -> NamedContributor.of(e.getKey(), e.getValue()))
                .iterator();
    }
}
