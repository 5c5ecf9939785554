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

    /**
     * The kind of a device of the original's device tables: its types become the kinds of the HTTP sources that
     * fetch them ({@code energy} → {@code tago}, {@code weather} → {@code airbeld}, {@code pv} →
     * {@code fusionsolar}, {@code dairy} → {@code file}); a device without type but with a token is a Tago meter.
     */
    public static String kindOfOriginalType(String type, boolean hasToken) {
        if (type == null) {
            return hasToken ? "tago" : "unknown";
        }
        String lower = type.toLowerCase(java.util.Locale.ROOT);
        return switch (lower) {
            case "energy" -> "tago";
            case "weather" -> "airbeld";
            case "pv" -> "fusionsolar";
            case "dairy" -> "file";
            default -> lower;
        };
    }

    /** The environment variable that holds the token of a device whose token the original stored. */
    public static String tokenVariable(String kind, String externalId) {
        return kind.toUpperCase(java.util.Locale.ROOT) + "_TOKEN_"
                + externalId.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]+", "_");
    }

    /** A metadata key of the original that holds a secret (never copied here). */
    public static boolean isSecretKey(String key) {
        String lower = key.toLowerCase(java.util.Locale.ROOT);
        return lower.contains("token") || lower.contains("password") || lower.contains("secret");
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
