package io.camelingestor.datasource;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One datasource of the registry: a device, station, plant or file producer, known by its external id (the
 * {@code device_id} of batches and rows).
 *
 * @param kind {@code file}, {@code tago}, {@code airbeld}, {@code fusionsolar}, {@code http}, ... or {@code unknown}
 * @param credentials what the datasource needs to be fetched, each as the name of an environment variable
 *     ({@code token: TAGO_TOKEN_BARN}); never the secret itself
 * @param filePattern for file datasources: the file names that are theirs (found anywhere in the name), or null
 * @param fileDataset for file datasources: the dataset whose files are theirs, or null for any
 */
public record Datasource(
        String externalId,
        String kind,
        String alias,
        String client,
        String site,
        String description,
        String timezone,
        String status,
        Map<String, Object> metadata,
        Map<String, String> credentials,
        Pattern filePattern,
        String fileDataset) {

    public Datasource {
        Objects.requireNonNull(externalId, "externalId");
        kind = kind == null ? "unknown" : kind;
        timezone = timezone == null ? "UTC" : timezone;
        status = status == null ? "online" : status;
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        credentials = credentials == null ? Map.of() : Map.copyOf(credentials);
    }

    /** Whether files of this dataset with this name are this datasource's. */
    public boolean owns(String fileName, String dataset) {
        if (filePattern == null && fileDataset == null) {
            return false;
        }
        return (filePattern == null || filePattern.matcher(fileName).find())
                && (fileDataset == null || fileDataset.equals(dataset));
    }
}
