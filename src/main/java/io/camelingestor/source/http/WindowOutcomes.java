package io.camelingestor.source.http;

import io.camelingestor.batch.BatchStatus;
import io.camelingestor.core.ExchangeProperties;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * The split of a device's windows hears here how each window ended: one that failed (an exception, or a
 * batch FAILED or REJECTED by the dead letter) marks the device's run failed, so the windows after it are
 * not fetched. A window that ends DUPLICATE is loaded already and does not stop the others. The split's
 * result is its first window's exchange: nothing after the split reads it.
 */
@Component("windowOutcomes")
public class WindowOutcomes implements AggregationStrategy {

    @Override
    public Exchange aggregate(Exchange previous, Exchange window) {
        Window fetched = window.getProperty(ExchangeProperties.WINDOW, Window.class);
        BatchStatus status = window.getProperty(ExchangeProperties.BATCH_STATUS, BatchStatus.class);
        if (fetched != null && (window.getException() != null || (status != null && status.deadLettered()))) {
            fetched.run().fail();
        }
        return previous != null ? previous : window;
    }
}
