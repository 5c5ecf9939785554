package io.camelingestor.batch;

import jakarta.annotation.PostConstruct;
import org.springframework.stereotype.Component;

/**
 * At start, before any route consumes: resolves the batches this node left RUNNING when it was stopped
 * mid-input, so that their inputs (still in the inbound folders) are ingested again, exactly once.
 */
@Component
class InterruptedBatches {

    private final BatchStore batches;

    InterruptedBatches(BatchStore batches) {
        this.batches = batches;
    }

    @PostConstruct
    void recover() {
        batches.recoverInterrupted();
    }
}
