package io.camelingestor.ingest.reject;

import io.camelingestor.batch.BatchStatus;
import io.camelingestor.batch.BatchStore;
import io.camelingestor.core.Envelope;
import io.camelingestor.core.ExchangeProperties;
import io.camelingestor.core.InputRejectedException;
import io.camelingestor.core.Secrets;
import io.camelingestor.core.StageResult;
import io.camelingestor.ingest.load.PendingLoad;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The end of every input that could not be loaded: its batch becomes REJECTED (an input problem, never
 * retried) or FAILED (retries exhausted), and a {@code dead_letter} row says why and where the payload is.
 */
@Component("deadLetters")
public class DeadLetters {

    private static final int MAX_MESSAGE = 2000;

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private final BatchStore batches;
    private final KeptPayloads kept;

    public DeadLetters(BatchStore batches, KeptPayloads kept) {
        this.batches = batches;
        this.kept = kept;
    }

    /** The batch status an exception leads to: REJECTED for input problems, FAILED otherwise. */
    public static BatchStatus statusFor(Throwable failure) {
        return rejection(failure) != null ? BatchStatus.REJECTED : BatchStatus.FAILED;
    }

    public static InputRejectedException rejection(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InputRejectedException r) {
                return r;
            }
        }
        return null;
    }

    /**
     * A message a person can act on: the rejection's own, or the root cause of a failure; secrets in it
     * (a token in a URL, say) are masked.
     */
    public static String describe(Throwable failure) {
        InputRejectedException rejected = rejection(failure);
        if (rejected != null) {
            return printable(Secrets.mask(rejected.getMessage()));
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message =
                root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
        return printable(Secrets.mask("failed after retries: " + root.getClass().getSimpleName() + ": " + message));
    }

    /**
     * Text from an input (a binary file's "header", say) made fit for a database column and a log line:
     * control characters replaced, at most 2000 characters.
     */
    public static String printable(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_MESSAGE));
        for (int i = 0; i < text.length() && out.length() < MAX_MESSAGE; i++) {
            char c = text.charAt(i);
            out.append(c < 0x20 && c != '\n' && c != '\t' || c == 0x7F ? '\uFFFD' : c);
        }
        if (text.length() > MAX_MESSAGE) {
            out.append("...");
        }
        return out.toString();
    }

    /**
     * Expects the caught exception ({@code CamelExceptionCaught}) and the {@code envelope}; uses
     * {@code batchId} and {@code stageResult} when the pipeline got that far (a batch is registered here
     * otherwise) and {@value ExchangeProperties#PAYLOAD_REF} when the payload was kept. Leaves {@code batchStatus}.
     */
    public void record(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Envelope envelope = exchange.getProperty(ExchangeProperties.ENVELOPE, Envelope.class);
        BatchStatus status = statusFor(failure);
        String message = describe(failure);
        if (exchange.getProperty(ExchangeProperties.BATCH_ID) == null) {
            batches.register(exchange);
        }
        UUID batchId = exchange.getProperty(ExchangeProperties.BATCH_ID, UUID.class);
        Throwable cause = rejection(failure) != null ? rejection(failure) : failure;
        String payloadRef = exchange.getProperty(ExchangeProperties.PAYLOAD_REF, String.class);
        if (payloadRef == null) {
            // an API window that failed in the pipeline: its records are kept for a replay
            payloadRef = kept.keep(envelope, batchId).map(Object::toString).orElse(null);
        }
        // the load that will not run ends first, so that the batch's staged rows are there once it is seen ended
        PendingLoad.abandon(exchange);
        // the batch's end and its dead letter in one statement (issue 15)
        batches.fail(
                batchId,
                status,
                message,
                exchange.getProperty(ExchangeProperties.STAGE_RESULT, StageResult.class),
                exchange.getProperty(ExchangeProperties.STAGE_RUN, BatchStore.StageRun.class),
                new BatchStore.DeadLetter(
                        envelope.sourceId(),
                        envelope.inputId(),
                        exchange.getProperty(Exchange.FAILURE_ROUTE_ID, String.class),
                        cause.getClass().getName(),
                        message,
                        payloadRef));
        exchange.setProperty(ExchangeProperties.BATCH_STATUS, status);
        log.warn("{} {} {}: {}", envelope.dataset(), envelope.inputId(), status, message);
    }
}
