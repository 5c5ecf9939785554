package io.camelingestor.ops;

import io.camelingestor.batch.BatchFinished;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** One INFO line per batch when it ends: source, dataset, input, status, counts, duration and rows per second. */
@Component
class BatchLogLine {

    private static final Logger log = LoggerFactory.getLogger("io.camelingestor.batch");

    @EventListener
    void on(BatchFinished b) {
        log.info(
                "Batch {} {}: source={} dataset={} input={} rows={} valid={} invalid={} loaded={} duration={}ms rate={} rows/s",
                b.batchId(),
                b.status(),
                b.sourceId(),
                b.dataset(),
                b.inputId(),
                b.rowsTotal(),
                b.rowsValid(),
                b.rowsInvalid(),
                b.rowsLoaded(),
                b.duration().toMillis(),
                String.format(Locale.ROOT, "%.1f", b.rowsPerSecond()));
    }
}
