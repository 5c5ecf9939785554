package io.camelingestor.source.http;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelingestor.batch.ApiCursors;
import io.camelingestor.core.Envelope;
import io.camelingestor.core.IngestorProperties;
import io.camelingestor.core.InputRejectedException;
import io.camelingestor.ingest.reject.DeadLetters;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.springframework.context.ApplicationContext;
import org.springframework.stereotype.Component;

/**
 * Fetches one window of one device: every page of it, with the source's authentication, and writes the rows
 * (already in flat form, see {@link RecordShapes}) to a spool file under {@code <data-dir>/spool/http/} that
 * the pipeline then reads as a JSON file. One page is in memory at a time; the spool file is deleted when the
 * exchange completes.
 *
 * <p>Request templates ({@code path}, {@code body}) may use {@code {device}}, {@code {start}}, {@code {end}}
 * (ISO instants), {@code {start:<format>}} / {@code {end:<format>}} ({@code epochMillis}, {@code epochSeconds}
 * or a {@link DateTimeFormatter} pattern, in {@code timeZone}), {@code {page}}, {@code {offset}},
 * {@code {pageSize}} and {@code {cursor}}.
 */
@Component("httpFetcher")
public class HttpFetcher {

    public static final String RECORDS = "httpRecords";
    private static final String REDELIVERY_DELAY = "CamelRedeliveryDelay";
    private static final java.time.Duration MAX_RETRY_AFTER = java.time.Duration.ofMinutes(5);
    private static final Pattern TOKEN =
            Pattern.compile("\\{(device|start|end|page|offset|pageSize|cursor)(?::([^}]+))?}");
    private static final Pattern LINK_NEXT = Pattern.compile("<([^>]+)>\\s*;[^,]*rel=\"?next\"?");

    private final HttpCalls calls;
    private final ApiCursors cursors;
    private final ApplicationContext beans;
    private final ObjectMapper json;
    private final Path spool;

    public HttpFetcher(
            HttpCalls calls,
            ApiCursors cursors,
            ApplicationContext beans,
            ObjectMapper json,
            IngestorProperties properties) {
        this.calls = calls;
        this.cursors = cursors;
        this.beans = beans;
        this.json = json;
        this.spool = properties.dataDir().resolve("spool").resolve("http");
    }

    /**
     * Expects the exchange properties {@code source} ({@link HttpSourceSpec}), {@code device} ({@link Device})
     * and {@code window} ({@link Window}). Sets {@code envelope} first, so that a failure is recorded against
     * this window; on success leaves {@value #RECORDS} (rows written) and, when there are rows, the envelope
     * with the spool file, its sha256 and the cursor the load will advance to.
     *
     * @throws HttpTransientException for what may pass (redelivered by the route with back-off)
     * @throws InputRejectedException for what will not (other 4xx, malformed JSON, unexpected shape)
     */
    public void fetch(Exchange exchange) throws IOException {
        HttpSourceSpec spec = exchange.getProperty(HttpSources.SOURCE, HttpSourceSpec.class);
        Device device = exchange.getProperty(FetchWindows.DEVICE, Device.class);
        Window window = exchange.getProperty(FetchWindows.WINDOW, Window.class);
        HttpAuth auth = beans.getBean(spec.auth(), HttpAuth.class);
        exchange.getIn().removeHeader(REDELIVERY_DELAY);
        exchange.removeProperty(DeadLetters.PAYLOAD_REF);

        String inputId = spec.sourceId() + ":" + device.id() + ":" + window.start() + "/" + window.end();
        String firstUrl = url(spec, device, window, spec.firstPage(), 0, null);
        Redactor redactor = redactor(spec, device, auth);
        Envelope pending =
                envelope(spec, device, inputId, redactor.clean(firstUrl), null, Map.of("window", window.toString()));
        exchange.setProperty(Envelope.PROPERTY, pending);

        Files.createDirectories(spool.resolve(spec.sourceId()));
        Path file = spool.resolve(spec.sourceId()).resolve(UUID.randomUUID() + ".json");
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a spool file left behind is only disk space: the next start's data-dir stays usable
                }
            }
        });
        // the cursor as it is now: an earlier window of this run may have moved it since the run was planned
        Instant loaded = cursors.last(spec.sourceId(), device.id()).orElse(null);
        MessageDigest sha = sha256();
        long rows = 0;
        int pages = 0;
        Instant newest = null;
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), sha);
                JsonGenerator generator = json.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
            generator.writeStartArray();
            int page = spec.firstPage();
            long offset = 0;
            String cursor = null;
            String nextUrl = firstUrl;
            while (nextUrl != null) {
                if (++pages > spec.maxPages()) {
                    throw new InputRejectedException(
                            redactor.clean(firstUrl) + ": more than " + spec.maxPages() + " pages (maxPages)",
                            Map.of("request", redactor.clean(firstUrl)));
                }
                String what = spec.method() + " " + redactor.clean(nextUrl);
                JsonNode body = call(exchange, spec, device, auth, window, nextUrl, page, offset, cursor, what);
                RecordShapes.Page shaped;
                try {
                    shaped = RecordShapes.page(spec, body, what);
                } catch (InputRejectedException e) {
                    throw report(exchange, redactor, e, what, 200, body.toString());
                }
                for (ObjectNode row : shaped.rows()) {
                    if (onlyTime(row, spec.timeField())) {
                        continue; // a time without any value is not a record yet (Open-Meteo's recent hours)
                    }
                    Instant ts = Timestamps.parse(row.get(spec.timeField()), spec.timeZone());
                    if (ts != null && loaded != null && !ts.isAfter(loaded)) {
                        continue; // loaded already
                    }
                    if (ts != null && (newest == null || ts.isAfter(newest))) {
                        newest = ts;
                    }
                    generator.writeTree(row);
                    rows++;
                }
                // next page
                switch (spec.paging()) {
                    case "page" -> {
                        page++;
                        nextUrl = shaped.items() < spec.pageSize() ? null : url(spec, device, window, page, 0, null);
                    }
                    case "offset" -> {
                        offset += shaped.items();
                        nextUrl =
                                shaped.items() < spec.pageSize() ? null : url(spec, device, window, page, offset, null);
                    }
                    case "cursor" -> {
                        JsonNode next = body.at(spec.nextCursorPath());
                        cursor = next.isValueNode() && !next.asText().isBlank() ? next.asText() : null;
                        nextUrl = cursor == null ? null : url(spec, device, window, page, 0, cursor);
                    }
                    case "link" -> nextUrl = exchange.getProperty("httpLinkNext", String.class);
                    default -> nextUrl = null;
                }
            }
            generator.writeEndArray();
        }
        exchange.setProperty(RECORDS, rows);
        if (rows == 0) {
            return;
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("payloadFile", file.toString());
        metadata.put("window", window.toString());
        metadata.put("pages", pages);
        metadata.put("records", rows);
        if (newest != null) {
            Map<String, Object> cursorMeta = new LinkedHashMap<>();
            cursorMeta.put("sourceId", spec.sourceId());
            cursorMeta.put("deviceId", device.id());
            cursorMeta.put("lastTs", newest.toString());
            metadata.put(ApiCursors.METADATA_KEY, cursorMeta);
        }
        exchange.setProperty(
                Envelope.PROPERTY,
                envelope(
                        spec,
                        device,
                        inputId,
                        pending.sourceUri(),
                        HexFormat.of().formatHex(sha.digest()),
                        metadata));
        exchange.getIn().setBody(file);
    }

    private static boolean onlyTime(ObjectNode row, String timeField) {
        for (var it = row.fields(); it.hasNext(); ) {
            var field = it.next();
            if (!field.getKey().equals(timeField) && !field.getValue().isNull()) {
                return false;
            }
        }
        return true;
    }

    /** One page: the request, re-authenticating once when the server refuses the credentials. */
    private JsonNode call(
            Exchange exchange,
            HttpSourceSpec spec,
            Device device,
            HttpAuth auth,
            Window window,
            String url,
            int page,
            long offset,
            String cursor,
            String what) {
        exchange.removeProperty("httpLinkNext");
        boolean renewed = false;
        while (true) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                    .timeout(spec.timeout())
                    .header("Accept", "application/json");
            if (spec.body() != null) {
                request.header("Content-Type", "application/json")
                        .method(
                                spec.method(),
                                HttpRequest.BodyPublishers.ofString(
                                        render(spec.body(), spec, device, window, page, offset, cursor, false)));
            } else {
                request.method(spec.method(), HttpRequest.BodyPublishers.noBody());
            }
            auth.apply(spec, device, request);
            Redactor redactor = redactor(spec, device, auth);
            HttpCalls.Response response;
            try {
                response = calls.send(spec, request.build(), what);
            } catch (HttpTransientException e) {
                throw report(exchange, redactor, e, what, 0, "");
            }
            if (response.status() == 401 && !renewed && auth.invalidate(spec, device)) {
                renewed = true;
                continue;
            }
            if (response.status() / 100 != 2) {
                throw report(
                        exchange,
                        redactor,
                        calls.failure(response, what, redactor),
                        what,
                        response.status(),
                        response.text());
            }
            JsonNode body;
            try {
                body = json.readTree(response.body());
            } catch (IOException e) {
                throw report(
                        exchange,
                        redactor,
                        new InputRejectedException(
                                what + ": malformed JSON: "
                                        + e.getMessage().lines().findFirst().orElse(""),
                                Map.of("request", what),
                                e),
                        what,
                        response.status(),
                        response.text());
            }
            if (body == null || body.isMissingNode()) {
                throw report(
                        exchange,
                        redactor,
                        new InputRejectedException(what + ": empty response body", Map.of("request", what)),
                        what,
                        response.status(),
                        "");
            }
            if (spec.failCodePath() != null) {
                JsonNode code = body.at(spec.failCodePath());
                String failCode = code.isValueNode() ? code.asText() : null;
                if (failCode != null
                        && spec.reloginCodes().contains(failCode)
                        && !renewed
                        && auth.invalidate(spec, device)) {
                    renewed = true;
                    continue;
                }
                if (failCode != null && spec.throttledCodes().contains(failCode)) {
                    throw report(
                            exchange,
                            redactor,
                            new HttpTransientException(
                                    what + ": the API answered fail code " + failCode + " (too frequent): "
                                            + redactor.clean(HttpCalls.excerpt(response.body())),
                                    null,
                                    null),
                            what,
                            response.status(),
                            response.text());
                }
                if (failCode != null && !failCode.equals("0") && !failCode.isBlank()) {
                    throw report(
                            exchange,
                            redactor,
                            new InputRejectedException(
                                    what + ": the API answered fail code " + failCode + ": "
                                            + redactor.clean(HttpCalls.excerpt(response.body())),
                                    Map.of("request", what, "failCode", failCode)),
                            what,
                            response.status(),
                            response.text());
                }
            }
            if ("link".equals(spec.paging())) {
                for (String link : response.headers().allValues("Link")) {
                    Matcher m = LINK_NEXT.matcher(link);
                    if (m.find()) {
                        exchange.setProperty(
                                "httpLinkNext",
                                URI.create(url).resolve(m.group(1)).toString());
                    }
                }
            }
            return body;
        }
    }

    /**
     * Keeps what the dead letter needs: the request (secrets removed) and an excerpt of the response, as the
     * dead letter's payload reference; a Retry-After becomes the delay of the next redelivery.
     */
    private RuntimeException report(
            Exchange exchange, Redactor redactor, RuntimeException failure, String what, int status, String response) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("request", redactor.clean(what));
        payload.put("status", status);
        payload.put("response", redactor.clean(HttpCalls.excerpt(response.getBytes(StandardCharsets.UTF_8))));
        try {
            exchange.setProperty(DeadLetters.PAYLOAD_REF, json.writeValueAsString(payload));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        if (failure instanceof HttpTransientException t) {
            if (t.retryAfter() != null) {
                // a server asking for hours would hold this source's thread: wait at most MAX_RETRY_AFTER, and
                // a window still refused then ends FAILED and is fetched again on the next run
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

    private static Redactor redactor(HttpSourceSpec spec, Device device, HttpAuth auth) {
        List<String> secrets = new ArrayList<>(spec.secrets());
        if (device.token() != null) {
            secrets.add(device.token());
        }
        secrets.addAll(auth.runtimeSecrets(spec));
        return new Redactor(secrets);
    }

    /** The URL of a page: the path template rendered, with the paging parameter added when it is not in it. */
    static String url(HttpSourceSpec spec, Device device, Window window, int page, long offset, String cursor) {
        String url = spec.baseUrl() + render(spec.path(), spec, device, window, page, offset, cursor, true);
        String template = spec.path() + (spec.body() == null ? "" : spec.body());
        String extra =
                switch (spec.paging()) {
                    case "page" -> template.contains("{page}") ? null : spec.pageParam() + "=" + page;
                    case "offset" -> template.contains("{offset}") ? null : spec.pageParam() + "=" + offset;
                    case "cursor" ->
                        cursor == null || template.contains("{cursor}")
                                ? null
                                : spec.cursorParam() + "=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8);
                    default -> null;
                };
        if (extra != null && spec.pageSizeParam() != null && !template.contains("{pageSize}")) {
            extra += "&" + spec.pageSizeParam() + "=" + spec.pageSize();
        }
        return extra == null ? url : url + (url.contains("?") ? "&" : "?") + extra;
    }

    static String render(
            String template,
            HttpSourceSpec spec,
            Device device,
            Window window,
            int page,
            long offset,
            String cursor,
            boolean forUrl) {
        if (template == null) {
            return "";
        }
        Matcher m = TOKEN.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String format = m.group(2);
            String value =
                    switch (m.group(1)) {
                        case "device" -> device.id();
                        case "start" -> Timestamps.format(window.start(), format, spec.timeZone());
                        case "end" -> Timestamps.format(window.end(), format, spec.timeZone());
                        case "page" -> String.valueOf(page);
                        case "offset" -> String.valueOf(offset);
                        case "pageSize" -> String.valueOf(spec.pageSize());
                        case "cursor" -> cursor == null ? "" : cursor;
                        default -> m.group();
                    };
            String escaped = forUrl
                    ? URLEncoder.encode(value, StandardCharsets.UTF_8)
                    : new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance()
                            .quoteAsString(value));
            m.appendReplacement(out, Matcher.quoteReplacement(escaped));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static Envelope envelope(
            HttpSourceSpec spec,
            Device device,
            String inputId,
            String uri,
            String sha256,
            Map<String, Object> metadata) {
        return new Envelope(
                spec.sourceId(),
                inputId,
                uri,
                Instant.now(),
                "json",
                spec.dataset(),
                device.deviceId(),
                spec.granularity(),
                sha256,
                metadata);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
