package io.camelingestor.ingest.load;

import io.camelingestor.batch.BatchStatus;
import io.camelingestor.batch.BatchStore;
import io.camelingestor.core.ExchangeProperties;
import io.camelingestor.core.StageResult;
import java.time.Instant;
import java.util.UUID;
import org.apache.camel.Exchange;

/**
 * The load of a batch, begun by the stager and ended by {@code direct:load} ({@link #finish}) or by whatever
 * ends the exchange before it, the quality gate or a dead letter ({@link #abort}): a {@link ConcurrentLoad}
 * beside the staging of a large input, or, for an input of one chunk, a load in the staging's own transaction.
 *
 * <p>Kept as the exchange property {@value ExchangeProperties#PENDING_LOAD} between {@code direct:stage} and
 * {@code direct:load}.
 */
public interface PendingLoad {

    UUID batchId();

    /**
     * Loads what is not loaded yet, completes the batch with the given status in the load's transaction and
     * commits.
     *
     * @return the rows written to the dataset's table
     * @throws RuntimeException what the load failed with (a {@code DuplicateKeyException} for a conflict
     *     under {@code strategy: fail}, or a completed batch with the same content), after its rollback; the
     *     staged rows stay committed either way
     */
    long finish(BatchStatus status, StageResult staged, Instant started, BatchStore.StageRun stage);

    /** Nothing is loaded; the staged rows stay, for the report (idempotent; a no-op once finished). */
    void abort();

    /**
     * Aborts the exchange's pending load, if it has one: before a redelivery stages again, and before the batch
     * ends without a load (the dead letter), so that its staged rows are committed when the batch's end is seen.
     */
    static void abandon(Exchange exchange) {
        if (exchange.removeProperty(ExchangeProperties.PENDING_LOAD) instanceof PendingLoad load) {
            load.abort();
        }
    }
}
