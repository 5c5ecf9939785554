package io.camelingestor.source.http;

import java.time.Duration;

/**
 * A failure that may pass: a timeout, a refused connection, 429 (or the API's own "too frequent" code) or a
 * 5xx. The fetch route redelivers it with exponential back-off and jitter, waiting at least
 * {@link #retryAfter()} when the server said how long, then dead-letters the window (batch FAILED).
 */
public class HttpTransientException extends RuntimeException {

    private final transient Duration retryAfter;

    public HttpTransientException(String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    /** How long the server asked us to wait (Retry-After), or null. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
