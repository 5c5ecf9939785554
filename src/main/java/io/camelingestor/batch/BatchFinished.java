package io.camelingestor.batch;

import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

/**
 * Published once a batch has ended (LOADED, PARTIAL, DUPLICATE, REJECTED or FAILED) and that end is committed;
 * metrics and the end-of-batch log line listen to it.
 *
 * @param rowsTotal rows read (0 when the input ended before its rows were read)
 * @param duration from the batch's start to its end
 */
public record BatchFinished(
        UUID batchId,
        String sourceId,
        String dataset,
        String inputId,
        BatchStatus status,
        long rowsTotal,
        long rowsValid,
        long rowsInvalid,
        long rowsLoaded,
        Duration duration) {

    public BatchFinished {
        Objects.requireNonNull(batchId, "batchId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(duration, "duration");
    }

    /** Rows read per second, or 0 for an instant batch. */
    public double rowsPerSecond() {
        double seconds = duration.toNanos() / 1e9;
        return seconds <= 0 ? 0 : rowsTotal / seconds;
    }
}
