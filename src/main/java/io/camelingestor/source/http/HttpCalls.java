package io.camelingestor.source.http;

import io.camelingestor.core.InputRejectedException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Sends the login and token calls of the {@link HttpAuth} beans (the JDK's {@link HttpClient}: they happen
 * inside the {@code prepare-request} step, behind the source's throttle) and sorts what comes back, as
 * {@link HttpRequests} does for the data requests (camel-http): a response to read, a failure that may pass
 * ({@link HttpTransientException}: timeout, connection, 429, 5xx), or one that will not
 * ({@link InputRejectedException}: other 4xx).
 *
 * <p>A response body is read into memory whole, up to {@value #MAX_BODY} bytes: one page of an API. An API
 * whose window would be larger must be paged (or given a smaller {@code maxWindow}).
 */
@Component
public class HttpCalls {

    static final int MAX_BODY = 32 * 1024 * 1024;
    private static final int EXCERPT = 500;

    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();

    /** A response as read: status, headers and the whole body of one page. */
    public record Response(int status, java.net.http.HttpHeaders headers, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /**
     * Sends a login or token request.
     *
     * @param what a description of the request for messages: method and URL, secrets already removed
     * @throws HttpTransientException on a timeout or a connection failure
     */
    public Response send(HttpSourceSpec spec, HttpRequest request, String what) {
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                byte[] body = in.readNBytes(MAX_BODY + 1);
                if (body.length > MAX_BODY) {
                    throw new InputRejectedException(
                            what + ": response larger than " + MAX_BODY / (1024 * 1024)
                                    + " MB; page the source or give it a smaller maxWindow",
                            Map.of("request", what));
                }
                return new Response(response.statusCode(), response.headers(), body);
            }
        } catch (HttpTimeoutException e) {
            throw new HttpTransientException(
                    what + ": no response within " + spec.request().timeout().toSeconds() + " s (timeout)", null, e);
        } catch (ConnectException e) {
            throw new HttpTransientException(
                    what + ": cannot connect (" + e.getClass().getSimpleName() + ")", null, e);
        } catch (IOException e) {
            throw new HttpTransientException(
                    what + ": " + e.getClass().getSimpleName() + ": " + e.getMessage(), null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpTransientException(what + ": interrupted", null, e);
        }
    }

    /**
     * Turns a response that is not 2xx into its exception: 429 and 5xx pass (Retry-After kept), other
     * statuses are rejected at once. Both carry the request and an excerpt of the response, cleaned.
     */
    public RuntimeException failure(Response response, String what, Redactor redactor) {
        return failure(
                response.status(),
                response.body(),
                response.headers().firstValue("Retry-After").orElse(null),
                what,
                redactor);
    }

    /** The same from a status, a body and a Retry-After header value (null when absent). */
    static RuntimeException failure(int status, byte[] body, String retryAfter, String what, Redactor redactor) {
        String excerpt = redactor.clean(excerpt(body));
        String message = what + " answered HTTP " + status + ": " + excerpt;
        if (status == 429 || status >= 500) {
            return new HttpTransientException(message, retryAfter(retryAfter), null);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("request", what);
        details.put("status", status);
        details.put("response", excerpt);
        return new InputRejectedException(message, details);
    }

    /** The first characters of a body, for reports. */
    public static String excerpt(byte[] body) {
        String text = new String(body, 0, Math.min(body.length, EXCERPT * 4), StandardCharsets.UTF_8);
        return text.length() > EXCERPT ? text.substring(0, EXCERPT) + "..." : text;
    }

    /** Retry-After in seconds or as an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            try {
                Instant at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
                Duration wait = Duration.between(Instant.now(), at);
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (java.time.format.DateTimeParseException unreadable) {
                return null;
            }
        }
    }
}
