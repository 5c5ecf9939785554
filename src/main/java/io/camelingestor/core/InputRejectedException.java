package io.camelingestor.core;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The input cannot be ingested as it is (unreadable, empty, header without the required columns, quality
 * under the mapping's threshold, rows conflicting with existing data under {@code strategy: fail}). It is
 * never redelivered: the pipeline's error handler sends it straight to the dead letter, the batch ends
 * REJECTED and the file goes to {@code rejected/} with a report.
 */
public class InputRejectedException extends RuntimeException {

    private final Map<String, Object> details;

    /** Used by {@code throwException} steps in the YAML routes. */
    public InputRejectedException(String message) {
        this(message, Map.of());
    }

    public InputRejectedException(String message, Map<String, ?> details) {
        super(message);
        this.details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    public InputRejectedException(String message, Map<String, ?> details, Throwable cause) {
        super(message, cause);
        this.details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** Machine-readable facts for the report: expected and found columns, offending keys, ... */
    public Map<String, Object> details() {
        return details;
    }
}
