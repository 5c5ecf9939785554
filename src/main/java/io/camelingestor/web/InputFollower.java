package io.camelingestor.web;

import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * Waits a little for the batch of an input just put into an inbound folder, so that an upload or a replay
 * can answer with the batch id. The file source registers the batch when it takes the file (a second or two).
 */
@Component
class InputFollower {

    private static final long POLL_MILLIS = 200;

    private final ApiProperties properties;

    InputFollower(ApiProperties properties) {
        this.properties = properties;
    }

    Optional<UUID> await(Supplier<Optional<UUID>> batch) {
        long deadline = System.nanoTime() + properties.awaitBatch().toNanos();
        while (true) {
            Optional<UUID> found = batch.get();
            if (found.isPresent() || System.nanoTime() > deadline) {
                return found;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }
}
