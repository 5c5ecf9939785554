package io.camelingestor.ingest.reject;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelingestor.core.Envelope;
import io.camelingestor.core.ExchangeProperties;
import io.camelingestor.core.IngestorProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.SynchronizationAdapter;
import org.springframework.stereotype.Component;

/**
 * Keeps the payload of an API window that could not be loaded, so that it can be replayed exactly: the
 * spooled records move to {@code <data-dir>/rejected/http/<source>/<batch>.json} next to the window's
 * envelope ({@code <batch>.envelope.json}), and the dead letter points at them. A replay puts the same
 * records, with the same envelope (input id, cursor), back into {@code direct:ingest}.
 */
@Component("keptPayloads")
public class KeptPayloads {

    /** The envelope metadata key of a window's spooled records (set by the HTTP sources). */
    public static final String PAYLOAD_FILE = "payloadFile";

    private static final String ENVELOPE_SUFFIX = ".envelope.json";

    private final Path root;
    private final Path spool;
    private final ObjectMapper json;

    public KeptPayloads(IngestorProperties properties, ObjectMapper json) {
        this.root = properties.dataDir().resolve("rejected").resolve("http").toAbsolutePath();
        this.spool = properties.dataDir().resolve("spool").resolve("http").toAbsolutePath();
        this.json = json;
    }

    /** Moves a window's spooled records out of the spool (which is emptied when the window ends). */
    public Optional<Path> keep(Envelope envelope, UUID batchId) {
        if (!(envelope.metadata().get(PAYLOAD_FILE) instanceof String spooled)
                || !Files.isRegularFile(Path.of(spooled))) {
            return Optional.empty();
        }
        try {
            Path dir = Files.createDirectories(root.resolve(envelope.sourceId()));
            Path kept = dir.resolve(batchId + ".json");
            Files.move(Path.of(spooled), kept, StandardCopyOption.REPLACE_EXISTING);
            json.writeValue(dir.resolve(batchId + ENVELOPE_SUFFIX).toFile(), envelope);
            return Optional.of(kept);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the payload of " + envelope.inputId(), e);
        }
    }

    /** Whether a dead letter's payload reference is a kept API window that can be replayed. */
    public boolean isKept(String payloadRef) {
        if (payloadRef == null || !payloadRef.endsWith(".json") || payloadRef.endsWith(ENVELOPE_SUFFIX)) {
            return false;
        }
        Path payload = Path.of(payloadRef).toAbsolutePath().normalize();
        return payload.startsWith(root) && Files.isRegularFile(payload) && Files.isRegularFile(envelopeOf(payload));
    }

    /** The envelope kept with a window's records (its input id, its cursor). */
    public Envelope envelope(String payloadRef) {
        try {
            return json.readValue(
                    envelopeOf(Path.of(payloadRef).toAbsolutePath().normalize()).toFile(), Envelope.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the envelope of " + payloadRef, e);
        }
    }

    /**
     * Sends a kept window into the pipeline again, without waiting for it: its records back to the spool, its
     * envelope as it was. The kept files are gone once it is sent (a new failure keeps them again).
     */
    public void replay(String payloadRef, ProducerTemplate producer) {
        Path payload = Path.of(payloadRef).toAbsolutePath().normalize();
        try {
            Envelope kept = json.readValue(envelopeOf(payload).toFile(), Envelope.class);
            Path dir = Files.createDirectories(spool.resolve(kept.sourceId()));
            Path spooled = dir.resolve("replay-" + payload.getFileName());
            Files.move(payload, spooled, StandardCopyOption.REPLACE_EXISTING);
            Files.delete(envelopeOf(payload));
            Map<String, Object> metadata = new HashMap<>(kept.metadata());
            metadata.put(PAYLOAD_FILE, spooled.toString());
            Envelope envelope = new Envelope(
                    kept.sourceId(),
                    kept.inputId(),
                    kept.sourceUri(),
                    kept.receivedAt(),
                    kept.contentType(),
                    kept.dataset(),
                    kept.deviceId(),
                    kept.granularity(),
                    kept.sha256(),
                    metadata);
            producer.asyncSend("direct:ingest", exchange -> {
                exchange.setProperty(ExchangeProperties.ENVELOPE, envelope);
                exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
                    @Override
                    public void onDone(Exchange done) {
                        try {
                            Files.deleteIfExists(spooled); // loaded, or kept again by the dead letter
                        } catch (IOException ignored) {
                            // a spool file left behind is only disk space
                        }
                    }
                });
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot replay " + payloadRef, e);
        }
    }

    private static Path envelopeOf(Path payload) {
        String name = payload.getFileName().toString();
        return payload.resolveSibling(name.substring(0, name.length() - ".json".length()) + ENVELOPE_SUFFIX);
    }
}
