package io.camelingestor.web;

import org.springframework.http.HttpStatus;

/** An API request that cannot be served, answered as {@code {"error": ..., "detail": ...}} with its status. */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String error;

    public ApiException(HttpStatus status, String error, String detail) {
        super(detail);
        this.status = status;
        this.error = error;
    }

    public HttpStatus status() {
        return status;
    }

    public String error() {
        return error;
    }

    static ApiException notFound(String what, Object id) {
        return new ApiException(HttpStatus.NOT_FOUND, "not found", "no " + what + " " + id);
    }

    static ApiException badParameter(String name, Object value, String expected) {
        return new ApiException(
                HttpStatus.BAD_REQUEST, "bad parameter", "'" + name + "' is '" + value + "'; expected " + expected);
    }
}
