package io.camelingestor.batch;

import java.util.Arrays;
import java.util.List;

/**
 * Where a batch stands: RUNNING while it is ingested, then one of the ends every input reaches. The names are
 * the values of {@code ingest_batch.status} (its check constraint, V1) and of the exchange property
 * {@code batchStatus}, so {@link #name()} is what the database, the API and the routes see.
 */
public enum BatchStatus {
    /** Being ingested (or cut short by a stop: recovery marks it FAILED). */
    RUNNING,
    /** Every row loaded. */
    LOADED,
    /** Loaded, with some rows invalid (kept in the report). */
    PARTIAL,
    /** The same content was loaded before: nothing loaded, {@code duplicateOf} names that batch. */
    DUPLICATE,
    /** An input problem (format, shape, quality); never retried. */
    REJECTED,
    /** A failure after retries (database, network); the input can be replayed. */
    FAILED;

    /** Ended batches that did not load: their dead letter says why. */
    public boolean deadLettered() {
        return this == REJECTED || this == FAILED;
    }

    /** The names, in order, for messages and parameter checks. */
    public static List<String> names() {
        return Arrays.stream(values()).map(Enum::name).toList();
    }
}
