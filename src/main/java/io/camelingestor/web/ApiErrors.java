package io.camelingestor.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.multipart.support.MissingServletRequestPartException;

/**
 * Every API failure as {@code {"error": ..., "detail": ...}}: bad ids and parameters, unknown things, limits.
 * It applies to every controller: an oversized upload fails before any controller is chosen.
 */
@RestControllerAdvice
class ApiErrors {

    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

    private final ApiProperties properties;

    ApiErrors(ApiProperties properties) {
        this.properties = properties;
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ApiError> api(ApiException e) {
        return ResponseEntity.status(e.status()).body(new ApiError(e.error(), e.getMessage()));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ApiError> typeMismatch(MethodArgumentTypeMismatchException e) {
        String expected = e.getRequiredType() == null ? "another value" : describe(e.getRequiredType());
        boolean id = "id".equals(e.getName());
        return ResponseEntity.badRequest()
                .body(new ApiError(
                        id ? "bad id" : "bad parameter",
                        "'" + e.getName() + "' is '" + e.getValue() + "'; expected " + expected));
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<ApiError> missingParameter(MissingServletRequestParameterException e) {
        return ResponseEntity.badRequest()
                .body(new ApiError("missing parameter", "'" + e.getParameterName() + "' is required"));
    }

    @ExceptionHandler(MissingServletRequestPartException.class)
    ResponseEntity<ApiError> missingPart(MissingServletRequestPartException e) {
        return ResponseEntity.badRequest()
                .body(new ApiError(
                        "missing file", "send the file as the multipart part '" + e.getRequestPartName() + "'"));
    }

    @ExceptionHandler(MaxUploadSizeExceededException.class)
    ResponseEntity<ApiError> tooLarge(MaxUploadSizeExceededException e) {
        if (partHeadersTooLarge(e)) {
            return api(UploadNames.tooLong("so many that the part's headers holding it exceed what is read of them"));
        }
        return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE)
                .body(new ApiError(
                        "file too large",
                        "uploads are limited to " + properties.maxUploadSize().toBytes()
                                + " bytes (ingestor.api.max-upload-size); drop larger files into the inbound folder"));
    }

    @ExceptionHandler(MultipartException.class)
    ResponseEntity<ApiError> notMultipart(MultipartException e) {
        return ResponseEntity.badRequest()
                .body(new ApiError("bad upload", "expected a multipart/form-data request with a part 'file'"));
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ApiError> method(HttpRequestMethodNotSupportedException e) {
        return ResponseEntity.status(HttpStatus.METHOD_NOT_ALLOWED)
                .body(new ApiError("method not allowed", e.getMessage()));
    }

    @ExceptionHandler(org.springframework.dao.DataAccessException.class)
    ResponseEntity<ApiError> database(org.springframework.dao.DataAccessException e) {
        log.warn(
                "API request failed on the database: {}",
                e.getMostSpecificCause().toString());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .body(new ApiError("database unavailable", "the database could not answer; see /actuator/health"));
    }

    /**
     * Whether the multipart parser refused the part's headers as too large ({@code
     * server.tomcat.max-part-header-size}, 512 bytes), which Spring reports as an upload too large: the only
     * header of a part that grows with what a client sends is its file name. Tomcat says so only in its message.
     */
    private static boolean partHeadersTooLarge(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (String.valueOf(cause.getMessage()).contains("Header section has more than")) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Class<?> type) {
        if (type == java.util.UUID.class) {
            return "a UUID such as 3f1c2a9e-0000-4000-8000-000000000000";
        }
        if (type == long.class || type == Long.class || type == int.class || type == Integer.class) {
            return "a whole number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        return "a " + type.getSimpleName();
    }
}
