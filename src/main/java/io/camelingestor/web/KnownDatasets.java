package io.camelingestor.web;

import io.camelingestor.dataset.MappingRegistry;
import io.camelingestor.ingest.read.DatasetDetector;
import java.util.TreeSet;
import org.springframework.stereotype.Component;

/** The dataset names the API accepts: every mapping file (loaded or refused) and the {@code auto} folder. */
@Component
class KnownDatasets {

    private final MappingRegistry mappings;

    KnownDatasets(MappingRegistry mappings) {
        this.mappings = mappings;
    }

    boolean isKnown(String dataset) {
        return mappings.names().contains(dataset)
                || mappings.errors().containsKey(dataset)
                || DatasetDetector.AUTO.equals(dataset);
    }

    void require(String dataset) {
        if (!isKnown(dataset)) {
            TreeSet<String> known = new TreeSet<>(mappings.names());
            known.addAll(mappings.errors().keySet());
            throw new ApiException(
                    org.springframework.http.HttpStatus.NOT_FOUND,
                    "unknown dataset",
                    "no dataset '" + dataset + "' (datasets: " + String.join(", ", known) + ", and auto)");
        }
    }
}
