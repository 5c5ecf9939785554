package io.camelingestor.source.http;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * One HTTP source, as its settings ({@link HttpSourceSettings}, the local bean of its route template) describe
 * it, placeholders resolved, grouped as a run uses it: the {@link Request}, the {@link Devices}, the
 * {@link Credentials}, the {@link Windows}, the {@link Pages}, the {@link Records} and the API's
 * {@link FailCodes}. The README's "HTTP sources" table explains every parameter. Secrets ({@code token},
 * {@code password}, {@code clientSecret}) are never printed: {@link #toString()} leaves them out and
 * {@link #secrets()} lists them for {@link Redactor}.
 *
 * @param rateLimit requests per minute at most (the route's {@code rate-limit} throttle), 0 for none
 */
public record HttpSourceSpec(
        String sourceId,
        String dataset,
        String granularity,
        boolean enabled,
        List<String> requires,
        Request request,
        Devices devices,
        Credentials credentials,
        Windows windows,
        Pages pages,
        Records records,
        int rateLimit,
        FailCodes failCodes) {

    /** How a window's pages follow each other (the {@code each-page} loop of routes/http-fetch.yaml). */
    public enum Paging {
        /** One request per window. */
        NONE,
        /** {@code pageParam} counts pages from {@code firstPage}; a page shorter than {@code pageSize} is the last. */
        PAGE,
        /** {@code pageParam} is the number of records already read; a short page is the last. */
        OFFSET,
        /** The body's {@code nextCursorPath} is sent back in {@code cursorParam}; absent or empty ends. */
        CURSOR,
        /** The {@code Link} header's {@code rel="next"} URL; absent ends. */
        LINK;

        static Paging of(String sourceId, String value) {
            for (Paging p : values()) {
                if (p.name().equalsIgnoreCase(value.trim())) {
                    return p;
                }
            }
            throw new IllegalArgumentException("source " + sourceId + ": paging '" + value + "' is not one of "
                    + Arrays.stream(values())
                            .map(v -> v.name().toLowerCase(java.util.Locale.ROOT))
                            .toList());
        }
    }

    /** How the records sit in a body (see {@link RecordShapes}); the parameter {@code shape} names it. */
    public enum Shape {
        /** An array of objects, one per record. */
        RECORDS("records"),
        /** Arrays side by side, sharing the {@code timeField} array (Open-Meteo). */
        COLUMNS("columns"),
        /** One item per variable and time, pivoted into one record per time (Tago). */
        VARIABLES("variables"),
        /** An object of variables, each with an array of time/value items (Airbeld). */
        VARIABLE_MAP("variableMap");

        private final String parameter;

        Shape(String parameter) {
            this.parameter = parameter;
        }

        /** The value as the template parameter spells it. */
        @Override
        public String toString() {
            return parameter;
        }

        static Shape of(String sourceId, String value) {
            return parameter(Shape.class, sourceId, "shape", value);
        }
    }

    /** Window boundaries on a calendar unit (in {@code timeZone}), for APIs that answer per day, month, year. */
    public enum WindowAlign {
        NONE,
        HOUR,
        DAY,
        MONTH,
        YEAR;

        /** The value as the template parameter spells it. */
        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static WindowAlign of(String sourceId, String value) {
            return parameter(WindowAlign.class, sourceId, "windowAlign", value);
        }
    }

    /** The constant of {@code type} a template parameter names (as its {@code toString} spells it). */
    private static <E extends Enum<E>> E parameter(Class<E> type, String sourceId, String name, String value) {
        for (E e : type.getEnumConstants()) {
            if (e.toString().equals(value.trim())) {
                return e;
            }
        }
        throw new IllegalArgumentException("source " + sourceId + ": " + name + " '" + value + "' is not one of "
                + Arrays.toString(type.getEnumConstants()));
    }

    /** The data requests: {@code baseUrl}, {@code method}, {@code path} and {@code body} templates, timeout. */
    public record Request(String baseUrl, String method, String path, String body, Duration timeout) {

        /**
         * The camel-http endpoint of the source's requests (its {@code toD}): scheme and host of {@code baseUrl},
         * the timeouts, and failures answered rather than thrown (the {@code check-answer} step sorts them). One
         * endpoint per source, whatever the page: the page's URL goes in the {@code CamelHttpUri} header.
         */
        public String endpoint() {
            java.net.URI base = java.net.URI.create(baseUrl);
            return base.getScheme() + "://" + base.getRawAuthority()
                    + "?throwExceptionOnFailure=false&followRedirects=true"
                    + "&httpClient.responseTimeout=" + timeout.toMillis()
                    + "&httpConnection.connectTimeout=10000"
                    + "&httpClientConfigurer=#" + HttpSourceCircuitConfig.CLIENT
                    + "&headerFilterStrategy=#" + HttpSourceCircuitConfig.HEADERS;
        }
    }

    /** The devices: {@code devices} ids, or a {@code devicesFile} with per-device tokens (null for none). */
    public record Devices(List<String> ids, String file) {}

    /** The {@link HttpAuth} bean ({@code auth}) and what it needs; secrets left out of {@link #toString()}. */
    public record Credentials(
            String bean,
            String authHeader,
            String token,
            String username,
            String password,
            String clientId,
            String clientSecret,
            String tokenUrl,
            String scope,
            String loginPath,
            String loginBody,
            String sessionTokenFrom,
            String sessionHeader,
            String sessionPrefix) {

        @Override
        public String toString() {
            return "Credentials[" + bean + "]";
        }
    }

    /** How the fetch windows are cut from the cursor (see {@link FetchWindows}). */
    public record Windows(int lookbackDays, Duration maxWindow, Duration lateDataGrace, WindowAlign windowAlign) {}

    /** The paging: its {@link Paging} mode and parameters. */
    public record Pages(
            Paging mode,
            String pageParam,
            String pageSizeParam,
            int pageSize,
            int firstPage,
            String cursorParam,
            String nextCursorPath,
            int maxPages) {}

    /** Where the records are in a body and their shape (see {@link RecordShapes}), and their time. */
    public record Records(
            String recordsPath,
            Shape shape,
            String timeField,
            String variableField,
            String valueField,
            String valuesPath,
            String itemTimeField,
            String itemValueField,
            ZoneId timeZone) {}

    /** An API-level failure code in a 200 body: where, which mean "too frequent", which "log in again". */
    public record FailCodes(String path, Set<String> throttled, Set<String> relogin) {}

    public HttpSourceSpec {
        if (windows.maxWindow().isNegative() || windows.maxWindow().isZero()) {
            throw new IllegalArgumentException("source " + sourceId + ": maxWindow must be positive");
        }
    }

    /** The values that must never appear in a log line, an error report or a stored URI. */
    public List<String> secrets() {
        return java.util.stream.Stream.of(credentials.token(), credentials.password(), credentials.clientSecret())
                .filter(s -> s != null && !s.isBlank())
                .toList();
    }

    @Override
    public String toString() {
        return "HttpSourceSpec[" + sourceId + " -> " + dataset + ", " + request.method() + " " + request.baseUrl()
                + request.path() + ", auth " + credentials.bean() + "]";
    }
}
