package io.camelingestor.source.http;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelingestor.batch.ApiCursors;
import io.camelingestor.batch.BatchStore;
import io.camelingestor.core.Envelope;
import io.camelingestor.core.ExchangeHeaders;
import io.camelingestor.core.ExchangeProperties;
import io.camelingestor.core.IngestorProperties;
import io.camelingestor.core.InputRejectedException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.springframework.context.ApplicationContext;
import org.springframework.stereotype.Component;

/**
 * The window steps of routes/http-fetch.yaml around the {@code each-page} loop: {@link #open} starts a window
 * (its spool file under {@code <data-dir>/spool/http/}, which the pipeline then reads as a JSON file, and the
 * envelope a failure is recorded against), {@link #page} writes the rows of the page just fetched (already in
 * flat form, see {@link RecordShapes}) and moves to the next page, {@link #close} hands the spool file on. One
 * page is in memory at a time; the spool file is deleted when the exchange completes. Written by hand because
 * no Camel component reshapes an API's records into rows and keeps a cursor's high-water mark.
 *
 * <p>Request templates ({@code path}, {@code body}) may use {@code {device}}, {@code {start}}, {@code {end}}
 * (ISO instants), {@code {start:<format>}} / {@code {end:<format>}} ({@code epochMillis}, {@code epochSeconds}
 * or a {@link DateTimeFormatter} pattern, in {@code timeZone}), {@code {page}}, {@code {offset}},
 * {@code {pageSize}}, {@code {cursor}} and {@code {token}} (the device's token, else the source's {@code
 * token}: a secret, masked wherever the request is shown).
 */
@Component("httpFetcher")
public class HttpFetcher {

    private static final Pattern TOKEN =
            Pattern.compile("\\{(device|start|end|page|offset|pageSize|cursor|token)(?::([^}]+))?}");

    private final ApiCursors cursors;
    private final ApplicationContext beans;
    private final ObjectMapper json;
    private final Path spool;

    public HttpFetcher(ApiCursors cursors, ApplicationContext beans, ObjectMapper json, IngestorProperties properties) {
        this.cursors = cursors;
        this.beans = beans;
        this.json = json;
        this.spool = properties.dataDir().resolve("spool").resolve("http");
    }

    /**
     * Step {@code open-window}. Expects the exchange properties {@code source} ({@link HttpSourceSpec}),
     * {@code device} ({@link Device}) and {@code window} ({@link Window}). Sets {@code envelope} first, so that
     * a failure is recorded against this window, and {@value ExchangeProperties#HTTP_PAGES} at the first page.
     */
    public void open(Exchange exchange) throws IOException {
        HttpSourceSpec spec = exchange.getProperty(ExchangeProperties.SOURCE, HttpSourceSpec.class);
        Device device = exchange.getProperty(ExchangeProperties.DEVICE, Device.class);
        Window window = exchange.getProperty(ExchangeProperties.WINDOW, Window.class);
        HttpAuth auth = beans.getBean(spec.credentials().bean(), HttpAuth.class);
        exchange.getIn().removeHeader(HttpRequests.REDELIVERY_DELAY);
        exchange.removeProperty(ExchangeProperties.PAYLOAD_REF);
        // the window before (this device's or the one before's) put its batch in the MDC: not this window's
        BatchStore.noBatchMdcYet();

        Files.createDirectories(spool.resolve(spec.sourceId()));
        Path file = spool.resolve(spec.sourceId()).resolve(UUID.randomUUID() + ".json");
        MessageDigest sha = sha256();
        // the cursor as it is now: an earlier window of this run may have moved it since the run was planned
        Instant loaded = cursors.last(spec.sourceId(), device.id()).orElse(null);
        OutputStream out = new DigestOutputStream(Files.newOutputStream(file), sha);
        JsonGenerator generator = json.getFactory().createGenerator(out, JsonEncoding.UTF8);
        generator.writeStartArray();
        WindowPages pages = new WindowPages(spec, device, window, auth, file, sha, generator, loaded);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                try {
                    generator.close();
                } catch (IOException ignored) {
                    // closed already by close(), or the window failed: the file is deleted next
                }
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a spool file left behind is only disk space: the next start's data-dir stays usable
                }
            }
        });
        exchange.setProperty(ExchangeProperties.HTTP_PAGES, pages);
        exchange.setProperty(
                ExchangeProperties.ENVELOPE,
                envelope(
                        spec,
                        device,
                        inputId(spec, device, window),
                        pages.redactor().clean(pages.url()),
                        null,
                        Map.of("window", window.toString())));
    }

    /**
     * Step {@code page-records}: the rows of the page in the body (the {@link JsonNode} {@code check-answer}
     * left) written to the spool file, records at or before the cursor dropped; then the next page, if any.
     *
     * @throws InputRejectedException when the body is not of the expected shape, or the window has more than
     *     {@code maxPages} pages
     */
    public void page(Exchange exchange) throws IOException {
        WindowPages pages = exchange.getProperty(ExchangeProperties.HTTP_PAGES, WindowPages.class);
        HttpSourceSpec spec = pages.spec;
        pages.pages++;
        JsonNode body = exchange.getIn().getBody(JsonNode.class);
        RecordShapes.Page shaped;
        try {
            shaped = RecordShapes.page(spec, body, pages.what);
        } catch (InputRejectedException e) {
            throw HttpRequests.report(exchange, pages.redactor(), e, pages.what, 200, body.toString(), json);
        }
        for (ObjectNode row : shaped.rows()) {
            if (onlyTime(row, spec.records().timeField())) {
                continue; // a time without any value is not a record yet (Open-Meteo's recent hours)
            }
            Instant ts = Timestamps.parse(
                    row.get(spec.records().timeField()), spec.records().timeZone());
            if (ts != null && pages.loaded != null && !ts.isAfter(pages.loaded)) {
                continue; // loaded already
            }
            if (ts != null && (pages.newest == null || ts.isAfter(pages.newest))) {
                pages.newest = ts;
            }
            pages.generator.writeTree(row);
            pages.rows++;
        }
        String nextCursor = null;
        if (spec.pages().mode() == HttpSourceSpec.Paging.CURSOR) {
            JsonNode next = body.at(spec.pages().nextCursorPath());
            nextCursor = next.isValueNode() && !next.asText().isBlank() ? next.asText() : null;
        }
        pages.next(shaped.items(), nextCursor);
        exchange.getIn().setBody(null);
        exchange.getIn().removeHeader(HttpRequests.REDELIVERY_DELAY); // a Retry-After is for its own request
        if (pages.more() && pages.pages >= spec.pages().maxPages()) {
            String first = pages.redactor()
                    .clean(WindowPages.url(
                            spec, pages.device, pages.window, spec.pages().firstPage(), 0, null));
            throw new InputRejectedException(
                    first + ": more than " + spec.pages().maxPages() + " pages (maxPages)", Map.of("request", first));
        }
    }

    /**
     * Step {@code close-window}: leaves {@value ExchangeProperties#HTTP_RECORDS} (rows written) and, when there are rows, the envelope
     * with the spool file (the body), its sha256 and the cursor the load will advance to.
     */
    public void close(Exchange exchange) throws IOException {
        WindowPages pages = exchange.getProperty(ExchangeProperties.HTTP_PAGES, WindowPages.class);
        HttpSourceSpec spec = pages.spec;
        pages.generator.writeEndArray();
        pages.generator.close();
        exchange.removeProperty(ExchangeProperties.HTTP_PAGES);
        exchange.getIn().removeHeaders("*", ExchangeHeaders.SOURCE_ID, ExchangeHeaders.HTTP_SOURCE_RUN_NOW);
        exchange.setProperty(ExchangeProperties.HTTP_RECORDS, pages.rows);
        if (pages.rows == 0) {
            return;
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("payloadFile", pages.file.toString());
        metadata.put("window", pages.window.toString());
        metadata.put("pages", pages.pages);
        metadata.put("records", pages.rows);
        if (pages.newest != null) {
            Map<String, Object> cursorMeta = new LinkedHashMap<>();
            cursorMeta.put("sourceId", spec.sourceId());
            cursorMeta.put("deviceId", pages.device.id());
            cursorMeta.put("lastTs", pages.newest.toString());
            metadata.put(ApiCursors.METADATA_KEY, cursorMeta);
        }
        String firstUrl =
                WindowPages.url(spec, pages.device, pages.window, spec.pages().firstPage(), 0, null);
        exchange.setProperty(
                ExchangeProperties.ENVELOPE,
                envelope(
                        spec,
                        pages.device,
                        inputId(spec, pages.device, pages.window),
                        pages.redactor().clean(firstUrl),
                        HexFormat.of().formatHex(pages.sha.digest()),
                        metadata));
        exchange.getIn().setBody(pages.file);
    }

    private static String inputId(HttpSourceSpec spec, Device device, Window window) {
        return spec.sourceId() + ":" + device.id() + ":" + window.start() + "/" + window.end();
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
                        case "start" ->
                            Timestamps.format(
                                    window.start(), format, spec.records().timeZone());
                        case "end" ->
                            Timestamps.format(
                                    window.end(), format, spec.records().timeZone());
                        case "page" -> String.valueOf(page);
                        case "offset" -> String.valueOf(offset);
                        case "pageSize" -> String.valueOf(spec.pages().pageSize());
                        case "cursor" -> cursor == null ? "" : cursor;
                        // an API key in the query or body: a secret the Redactor knows, masked wherever
                        // the URL or the body is shown (a {{ENV}} placeholder written into the path is not)
                        case "token" -> StaticAuths.tokenOf(spec, device);
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
