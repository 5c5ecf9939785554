package io.camelingestor.source.file;

import io.camelingestor.core.Envelope;
import io.camelingestor.core.ExchangeProperties;
import io.camelingestor.core.IngestorProperties;
import io.camelingestor.dataset.Dataset;
import io.camelingestor.dataset.MappingRegistry;
import io.camelingestor.datasource.DatasourceRegistry;
import io.camelingestor.ingest.read.DatasetDetector;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Turns a file taken from an inbound folder into an {@link Envelope}. */
@Component("fileEnvelopes")
public class FileEnvelopes {

    private final MappingRegistry mappings;
    private final DatasetDetector detector;
    private final DatasourceRegistry datasources;
    private final IngestorProperties properties;

    public FileEnvelopes(
            MappingRegistry mappings,
            DatasetDetector detector,
            DatasourceRegistry datasources,
            IngestorProperties properties) {
        this.properties = properties;
        this.mappings = mappings;
        this.detector = detector;
        this.datasources = datasources;
    }

    /**
     * Hashes the file (streaming) and describes it, with the device id the dataset's mapping finds in the
     * file name ({@code device_id_from_filename}).
     *
     * @param path absolute path of the file in the inbound folder (header {@code CamelFileAbsolutePath})
     * @param folder the inbound folder's name: the dataset, or {@code auto} to detect it from the header
     * @param sourceId the file source's route id
     * @return the envelope; the route keeps it as the exchange property {@value ExchangeProperties#ENVELOPE}
     */
    public Envelope fromFile(String path, String folder, String sourceId) throws IOException {
        Path file = Path.of(path);
        String sha256 = sha256(file);
        String name = file.getFileName().toString();
        String contentType = contentType(name);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("size", Files.size(file));
        metadata.put("fileName", name);
        String dataset = folder;
        if (DatasetDetector.AUTO.equals(folder)) {
            DatasetDetector.Detection detection = detector.detect(file, contentType);
            metadata.put("detection", detection.explanation());
            if (detection.dataset() != null) {
                dataset = detection.dataset();
            }
        }
        var mapping = mappings.find(dataset);
        String device = deviceOf(name, dataset, mapping.orElse(null), metadata);
        return new Envelope(
                sourceId,
                name + ":" + sha256,
                file.toString(),
                Instant.now(),
                contentType,
                dataset,
                device,
                mapping.map(d -> d.mapping().granularity()).orElse(null),
                sha256,
                metadata);
    }

    /**
     * The file's device, as the original found it: from the file name (the mapping's
     * {@code device_id_from_filename}, for energy files the original's {@code <id>-...} rule), else the
     * datasource the registry assigns to the file ({@code files:} pattern and/or dataset), else none (the
     * stage then rejects a file whose table is keyed by device). {@code metadata.deviceFrom} says which.
     */
    private String deviceOf(String name, String dataset, Dataset mapping, Map<String, Object> metadata) {
        String device = mapping == null ? null : mapping.deviceIdFromFileName(name);
        if (device != null) {
            metadata.put("deviceFrom", "file name");
            return device;
        }
        var owner = datasources.forFile(name, dataset);
        if (owner.isPresent()) {
            metadata.put("deviceFrom", "registry");
            return owner.get().externalId();
        }
        return null;
    }

    static String contentType(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".xlsx")) {
            return "xlsx";
        }
        if (lower.endsWith(".json")) {
            return "json";
        }
        return "csv";
    }

    /** The SHA-256 of a file (streaming, never following a link), as in an input id ({@code <name>:<sha256>}). */
    public static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
        // NOFOLLOW_LINKS: a file swapped for a link after InboundFileGuard looked at it is still not followed
        try (InputStream in = new DigestInputStream(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
