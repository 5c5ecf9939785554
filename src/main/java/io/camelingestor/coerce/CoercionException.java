package io.camelingestor.coerce;

/** A value that cannot be read as the type its column asks for; becomes a {@code type} record error. */
public class CoercionException extends Exception {
    public CoercionException(String message) {
        super(message, null, false, false); // no stack trace: thrown per bad value, on the hot path
    }
}
