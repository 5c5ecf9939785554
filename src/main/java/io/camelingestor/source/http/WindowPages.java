package io.camelingestor.source.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.camelingestor.core.ExchangeProperties;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The fetch of one window, page by page (exchange property {@value ExchangeProperties#HTTP_PAGES}): which page comes next and its
 * URL, whether there is one ({@link #more()}, the {@code each-page} loop's condition), the rows written to
 * the window's spool file so far and the newest time among them. Created by {@code open-window}, read by
 * {@code prepare-request} and {@code check-answer}, moved on by {@code page-records}.
 */
public final class WindowPages {

    final HttpSourceSpec spec;
    final Device device;
    final Window window;
    final HttpAuth auth;
    final Path file;
    final MessageDigest sha;
    final JsonGenerator generator;
    /** The cursor when the window was opened: records at or before it are loaded already. */
    final Instant loaded;

    int page;
    long offset;
    String cursor;
    String url;
    String nextLink;
    int pages;
    boolean renewed;
    boolean more = true;
    long rows;
    Instant newest;
    String what;

    WindowPages(
            HttpSourceSpec spec,
            Device device,
            Window window,
            HttpAuth auth,
            Path file,
            MessageDigest sha,
            JsonGenerator generator,
            Instant loaded) {
        this.spec = spec;
        this.device = device;
        this.window = window;
        this.auth = auth;
        this.file = file;
        this.sha = sha;
        this.generator = generator;
        this.loaded = loaded;
        this.page = spec.pages().firstPage();
        this.url = url(spec, device, window, page, 0, null);
    }

    /** Whether another page is to be fetched. */
    public boolean more() {
        return more;
    }

    /** The source's camel-http endpoint (see {@link HttpSourceSpec#endpoint()}). */
    public String endpoint() {
        return spec.request().endpoint();
    }

    /** The URL of the page to fetch now. */
    public String url() {
        return url;
    }

    /** The request body of the page to fetch now (POST), or null. */
    String body() {
        return spec.request().body() == null
                ? null
                : HttpFetcher.render(spec.request().body(), spec, device, window, page, offset, cursor, false);
    }

    /** Secrets removed from every text about this window: configured ones, the device's token, session tokens. */
    Redactor redactor() {
        List<String> secrets = new ArrayList<>(spec.secrets());
        if (device.token() != null) {
            secrets.add(device.token());
        }
        secrets.addAll(auth.runtimeSecrets(spec));
        return new Redactor(secrets);
    }

    /** Moves to the page after the one just read ({@code items} records, its body's next cursor, if any). */
    void next(int items, String nextCursor) {
        renewed = false;
        switch (spec.pages().mode()) {
            case PAGE -> {
                page++;
                more = items >= spec.pages().pageSize();
            }
            case OFFSET -> {
                offset += items;
                more = items >= spec.pages().pageSize();
            }
            case CURSOR -> {
                cursor = nextCursor;
                more = cursor != null;
            }
            case LINK -> more = nextLink != null;
            case NONE -> more = false;
        }
        if (more) {
            url = spec.pages().mode() == HttpSourceSpec.Paging.LINK
                    ? nextLink
                    : url(spec, device, window, page, offset, cursor);
        }
        nextLink = null;
    }

    /** The URL of a page: the path template rendered, with the paging parameter added when it is not in it. */
    static String url(HttpSourceSpec spec, Device device, Window window, int page, long offset, String cursor) {
        String url = spec.request().baseUrl()
                + HttpFetcher.render(spec.request().path(), spec, device, window, page, offset, cursor, true);
        String template = spec.request().path()
                + (spec.request().body() == null ? "" : spec.request().body());
        String extra =
                switch (spec.pages().mode()) {
                    case PAGE ->
                        template.contains("{page}") ? null : spec.pages().pageParam() + "=" + page;
                    case OFFSET ->
                        template.contains("{offset}") ? null : spec.pages().pageParam() + "=" + offset;
                    case CURSOR ->
                        cursor == null || template.contains("{cursor}")
                                ? null
                                : spec.pages().cursorParam() + "=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8);
                    default -> null;
                };
        if (extra != null && spec.pages().pageSizeParam() != null && !template.contains("{pageSize}")) {
            extra += "&" + spec.pages().pageSizeParam() + "=" + spec.pages().pageSize();
        }
        return extra == null ? url : url + (url.contains("?") ? "&" : "?") + extra;
    }
}
