package io.camelingestor.core;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What a source hands to {@code direct:ingest}, kept as the exchange property {@value ExchangeProperties#ENVELOPE}. The message
 * body is the payload itself (a file for file sources, so that it is read as a stream).
 *
 * @param sourceId the source route id ({@code files.energy_hourly}, {@code tago}, ...)
 * @param inputId idempotency key: {@code <file name>:<sha256>} for files
 * @param sourceUri file path or request URL, never with secrets
 * @param contentType {@code csv}, {@code xlsx}, {@code json} or {@code records}
 * @param dataset mapping name
 * @param deviceId device or datasource external id, may be null
 * @param granularity {@code raw}, {@code hourly}, {@code daily}, ... may be null
 * @param sha256 content hash (hex), may be null for API windows
 * @param metadata anything else worth keeping with the batch (size, cursor window, ...)
 */
public record Envelope(
        String sourceId,
        String inputId,
        String sourceUri,
        Instant receivedAt,
        String contentType,
        String dataset,
        String deviceId,
        String granularity,
        String sha256,
        Map<String, Object> metadata) {

    public Envelope {
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(inputId, "inputId");
        Objects.requireNonNull(sourceUri, "sourceUri");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(dataset, "dataset");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
