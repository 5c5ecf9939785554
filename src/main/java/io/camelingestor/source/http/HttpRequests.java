package io.camelingestor.source.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelingestor.core.ExchangeHeaders;
import io.camelingestor.core.ExchangeProperties;
import io.camelingestor.core.InputRejectedException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/**
 * The bean steps of the route {@code http-request} around its camel-http {@code request}: what Camel does not
 * know about the APIs. {@link #prepare} sets the page's method, URL, headers, credentials (logging in first
 * when the source has no session) and body; {@link #check} sorts the answer: a page to read (the body becomes
 * its {@link JsonNode}), a failure that may pass ({@link HttpTransientException}: 429, 5xx, the API's "too
 * frequent" code, a 401 or "session expired" code met for the first time on this page, after which the
 * credentials are renewed), or one that will not ({@link InputRejectedException}: other 4xx, malformed JSON,
 * the API's other failure codes). Either failure leaves the request (secrets removed) and a response excerpt
 * for the dead letter; a Retry-After becomes the delay of the redelivery, at most {@link #MAX_RETRY_AFTER}.
 */
@Component("httpRequests")
public class HttpRequests {

    static final String REDELIVERY_DELAY = Exchange.REDELIVERY_DELAY;
    /** A server asking for hours would hold the source's thread: the longest Retry-After waited for. */
    static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);

    private static final Pattern LINK_NEXT = Pattern.compile("<([^>]+)>\\s*;[^,]*rel=\"?next\"?");

    private final ObjectMapper json;

    public HttpRequests(ObjectMapper json) {
        this.json = json;
    }

    /** Step {@code prepare-request}: the page's request, from exchange property {@value ExchangeProperties#HTTP_PAGES}. */
    public void prepare(Exchange exchange) {
        WindowPages pages = exchange.getProperty(ExchangeProperties.HTTP_PAGES, WindowPages.class);
        HttpSourceSpec spec = pages.spec;
        Message in = exchange.getIn();
        // the previous answer's headers must not go out with this request
        in.removeHeaders("*", ExchangeHeaders.SOURCE_ID, ExchangeHeaders.HTTP_SOURCE_RUN_NOW, "CamelRedelivery*");
        Redactor redactor = pages.redactor();
        pages.what = spec.request().method() + " " + redactor.clean(pages.url());
        // what the dead letter keeps when the request gets no answer at all
        exchange.setProperty(ExchangeProperties.PAYLOAD_REF, payload(redactor, pages.what, 0, new byte[0]));
        in.setHeader(Exchange.HTTP_METHOD, spec.request().method());
        in.setHeader(Exchange.HTTP_URI, pages.url());
        in.setHeader("Accept", "application/json");
        String body = pages.body();
        if (body != null) {
            in.setHeader(Exchange.CONTENT_TYPE, "application/json");
            in.setBody(body);
        } else {
            in.setBody(null);
        }
        try {
            pages.auth.apply(spec, pages.device, in::setHeader);
        } catch (RuntimeException e) {
            throw report(exchange, redactor, e, pages.what, 0, "", json);
        }
    }

    /** Step {@code no-answer-may-pass}: the request timed out or could not connect (caught IOException). */
    public void noAnswer(Exchange exchange) {
        WindowPages pages = exchange.getProperty(ExchangeProperties.HTTP_PAGES, WindowPages.class);
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String why;
        if (e instanceof SocketTimeoutException) {
            why = "no response within " + pages.spec.request().timeout().toSeconds() + " s (timeout, "
                    + e.getClass().getSimpleName() + ")";
        } else if (e instanceof ConnectException) {
            why = "cannot connect (" + e.getClass().getSimpleName() + ")";
        } else {
            why = e == null ? "no answer" : e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        throw report(
                exchange,
                pages.redactor(),
                new HttpTransientException(pages.what + ": " + why, null, e),
                pages.what,
                0,
                "",
                json);
    }

    /** Step {@code check-answer}: see the class comment. */
    public void check(Exchange exchange) throws IOException {
        WindowPages pages = exchange.getProperty(ExchangeProperties.HTTP_PAGES, WindowPages.class);
        HttpSourceSpec spec = pages.spec;
        Message in = exchange.getIn();
        String what = pages.what;
        Redactor redactor = pages.redactor();
        int status = in.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        byte[] bytes = read(in, what);
        // every failure keeps the request and the response's excerpt for the dead letter
        Function<RuntimeException, RuntimeException> fail =
                e -> report(exchange, redactor, e, what, status, text(bytes), json);
        if (status == 401 && !pages.renewed && pages.auth.invalidate(spec, pages.device)) {
            pages.renewed = true;
            in.setHeader(REDELIVERY_DELAY, 0L);
            throw fail.apply(new HttpTransientException(what + " answered HTTP 401: credentials renewed", null, null));
        }
        if (status / 100 != 2) {
            throw fail.apply(
                    HttpCalls.failure(status, bytes, in.getHeader("Retry-After", String.class), what, redactor));
        }
        JsonNode body;
        try {
            body = json.readTree(bytes);
        } catch (IOException e) {
            throw fail.apply(new InputRejectedException(
                    what + ": malformed JSON: "
                            + e.getMessage().lines().findFirst().orElse(""),
                    Map.of("request", what),
                    e));
        }
        if (body == null || body.isMissingNode()) {
            throw fail.apply(new InputRejectedException(what + ": empty response body", Map.of("request", what)));
        }
        String failCode = null;
        if (spec.failCodes().path() != null) {
            JsonNode code = body.at(spec.failCodes().path());
            failCode = code.isValueNode() && !code.asText().isBlank() ? code.asText() : null;
        }
        if (failCode != null && !failCode.equals("0")) {
            String answered = what + ": the API answered fail code " + failCode;
            if (spec.failCodes().relogin().contains(failCode)
                    && !pages.renewed
                    && pages.auth.invalidate(spec, pages.device)) {
                pages.renewed = true;
                in.setHeader(REDELIVERY_DELAY, 0L);
                throw fail.apply(
                        new HttpTransientException(answered + " (not logged in): session renewed", null, null));
            }
            String excerpt = redactor.clean(HttpCalls.excerpt(bytes));
            if (spec.failCodes().throttled().contains(failCode)) {
                throw fail.apply(new HttpTransientException(answered + " (too frequent): " + excerpt, null, null));
            }
            throw fail.apply(new InputRejectedException(
                    answered + ": " + excerpt, Map.of("request", what, "failCode", failCode)));
        }
        if (spec.pages().mode() == HttpSourceSpec.Paging.LINK) {
            pages.nextLink = null;
            for (String link : values(in.getHeader("Link"))) {
                Matcher m = LINK_NEXT.matcher(link);
                if (m.find()) {
                    pages.nextLink = URI.create(pages.url()).resolve(m.group(1)).toString();
                }
            }
        }
        exchange.removeProperty(ExchangeProperties.PAYLOAD_REF);
        in.setBody(body);
    }

    /** The body, at most {@value HttpCalls#MAX_BODY} bytes: one page of an API is read into memory whole. */
    private static byte[] read(Message in, String what) throws IOException {
        Object body = in.getBody();
        if (body == null) {
            return new byte[0];
        }
        if (body instanceof byte[] bytes) {
            return bytes;
        }
        try (InputStream stream = in.getBody(InputStream.class)) {
            if (stream == null) {
                return new byte[0];
            }
            byte[] bytes = stream.readNBytes(HttpCalls.MAX_BODY + 1);
            if (bytes.length > HttpCalls.MAX_BODY) {
                throw new InputRejectedException(
                        what + ": response larger than " + HttpCalls.MAX_BODY / (1024 * 1024)
                                + " MB; page the source or give it a smaller maxWindow",
                        Map.of("request", what));
            }
            return bytes;
        }
    }

    private static List<String> values(Object header) {
        if (header == null) {
            return List.of();
        }
        if (header instanceof Iterable<?> many) {
            List<String> all = new java.util.ArrayList<>();
            many.forEach(v -> all.add(String.valueOf(v)));
            return all;
        }
        return List.of(String.valueOf(header));
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static String payload(Redactor redactor, String what, int status, byte[] response) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("request", redactor.clean(what));
        payload.put("status", status);
        payload.put("response", redactor.clean(HttpCalls.excerpt(response)));
        try {
            return new ObjectMapper().writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Keeps what the dead letter needs: the request (secrets removed) and an excerpt of the response, as the
     * dead letter's payload reference; a Retry-After becomes the delay of the next redelivery.
     */
    static RuntimeException report(
            Exchange exchange,
            Redactor redactor,
            RuntimeException failure,
            String what,
            int status,
            String response,
            ObjectMapper json) {
        exchange.setProperty(
                ExchangeProperties.PAYLOAD_REF,
                payload(redactor, what, status, response.getBytes(StandardCharsets.UTF_8)));
        if (failure instanceof HttpTransientException t) {
            if (t.retryAfter() != null) {
                // wait at most MAX_RETRY_AFTER; a window still refused then ends FAILED and is fetched again on
                // the next run
                exchange.getIn()
                        .setHeader(REDELIVERY_DELAY, Math.min(t.retryAfter().toMillis(), MAX_RETRY_AFTER.toMillis()));
            }
            return new HttpTransientException(redactor.clean(t.getMessage()), t.retryAfter(), t.getCause());
        }
        if (failure instanceof InputRejectedException r) {
            Map<String, Object> details = new LinkedHashMap<>();
            r.details().forEach((k, v) -> details.put(k, v instanceof String s ? redactor.clean(s) : v));
            return new InputRejectedException(redactor.clean(r.getMessage()), details, r.getCause());
        }
        return failure;
    }
}
