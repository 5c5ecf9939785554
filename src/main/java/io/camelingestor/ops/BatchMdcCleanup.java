package io.camelingestor.ops;

import io.camelingestor.batch.BatchStore;
import io.camelingestor.core.ExchangeProperties;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.springframework.stereotype.Component;

/**
 * Removes the batch's MDC keys ({@code batchId}, {@code inputId}, put there when the batch registers) once its
 * exchange is done, so that the next lines of the consumer thread do not carry them.
 */
@Component
class BatchMdcCleanup extends EventNotifierSupport {

    BatchMdcCleanup() {
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeSendingEvents(true);
        setIgnoreExchangeSentEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event.getType() == CamelEvent.Type.ExchangeCompleted
                || event.getType() == CamelEvent.Type.ExchangeFailed;
    }

    @Override
    public void notify(CamelEvent event) {
        if (event instanceof ExchangeEvent e && e.getExchange().getProperty(ExchangeProperties.BATCH_ID) != null) {
            BatchStore.leaveBatchMdc();
        }
    }
}
