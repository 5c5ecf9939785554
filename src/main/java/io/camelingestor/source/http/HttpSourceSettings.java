package io.camelingestor.source.http;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * The settings of one HTTP source, as a route-template local bean: every template in {@code routes/templates/}
 * that makes an HTTP source declares one ({@code beans: - name: settings, type:
 * "#class:io.camelingestor.source.http.HttpSourceSettings", initMethod: register}) and writes its properties in
 * the template body, from the template's parameters or as the vendor's fixed values. Camel creates it when it
 * creates the source's route (the route's {@code begin-run} step refers to it), converts each property to its
 * type, and calls {@link #register()}, which hands it to {@link HttpSources} under the route's id: health,
 * {@code requires} and "run now" know the source before it ever runs, and Java never reads the template's
 * parameters back. A source route removed (its file deleted or reloaded) drops its settings
 * ({@link HttpSources} listens for the route's removal).
 *
 * <p>The properties are grouped as {@link HttpSourceSpec} is: {@code request.*}, {@code devices.*},
 * {@code credentials.*}, {@code windows.*}, {@code pages.*}, {@code records.*}, {@code failCodes.*}. The
 * enumerated ones ({@code pages.mode}, {@code records.shape}, {@code windows.align}), the numbers, durations
 * and {@code enabled} are text checked when the spec is built, so a wrong value leaves the source stopped
 * ("misconfigured: ...", naming the property and the value) instead of failing the route's creation. {@link #toString()} names no secret.
 */
public class HttpSourceSettings {

    private HttpSources sources;
    private String dataset;
    private String granularity;
    private String enabled = "true";
    private String requires = "";
    private String rateLimit = "0";
    private final Request request = new Request();
    private final Devices devices = new Devices();
    private final Credentials credentials = new Credentials();
    private final Windows windows = new Windows();
    private final Pages pages = new Pages();
    private final Records records = new Records();
    private final FailCodes failCodes = new FailCodes();

    /** Init method (Camel calls it once the properties are set): registers the settings under the route's id. */
    public void register() {
        if (sources == null) {
            throw new IllegalStateException("HTTP source settings need the property sources: \"#bean:httpSources\"");
        }
        sources.register(this);
    }

    /** Step {@code begin-run} of the source's route: see {@link HttpSources#begin}. */
    public void begin(org.apache.camel.Exchange exchange) {
        sources.begin(exchange);
    }

    /** The spec a run uses; a value that is wrong or missing is an {@link IllegalArgumentException} naming it. */
    public HttpSourceSpec toSpec(String sourceId) {
        return new HttpSourceSpec(
                sourceId,
                required(dataset, "dataset", sourceId),
                blankToNull(granularity),
                flag(enabled, "enabled", sourceId),
                list(requires),
                new HttpSourceSpec.Request(
                        stripSlash(request.baseUrl),
                        trim(request.method, "GET").toUpperCase(Locale.ROOT),
                        request.path == null ? "" : request.path,
                        blankToNull(request.body),
                        Duration.ofSeconds(whole(request.timeoutSeconds, "timeoutSeconds", sourceId))),
                new HttpSourceSpec.Devices(list(devices.ids), blankToNull(devices.file)),
                new HttpSourceSpec.Credentials(
                        trim(credentials.auth, "noAuth"),
                        trim(credentials.authHeader, "Authorization"),
                        blankToNull(credentials.token),
                        blankToNull(credentials.username),
                        blankToNull(credentials.password),
                        blankToNull(credentials.clientId),
                        blankToNull(credentials.clientSecret),
                        blankToNull(credentials.tokenUrl),
                        blankToNull(credentials.scope),
                        blankToNull(credentials.loginPath),
                        blankToNull(credentials.loginBody),
                        trim(credentials.sessionTokenFrom, "json:/accessToken"),
                        trim(credentials.sessionHeader, "Authorization"),
                        credentials.sessionPrefix == null ? "" : credentials.sessionPrefix),
                new HttpSourceSpec.Windows(
                        whole(windows.lookbackDays, "lookbackDays", sourceId),
                        duration(windows.maxWindow, "maxWindow", sourceId),
                        duration(windows.lateDataGrace, "lateDataGrace", sourceId),
                        HttpSourceSpec.WindowAlign.of(sourceId, trim(windows.align, "none"))),
                new HttpSourceSpec.Pages(
                        HttpSourceSpec.Paging.of(sourceId, trim(pages.mode, "none")),
                        trim(pages.pageParam, "page"),
                        blankToNull(pages.pageSizeParam),
                        whole(pages.pageSize, "pageSize", sourceId),
                        whole(pages.firstPage, "firstPage", sourceId),
                        trim(pages.cursorParam, "cursor"),
                        trim(pages.nextCursorPath, "/next"),
                        whole(pages.maxPages, "maxPages", sourceId)),
                new HttpSourceSpec.Records(
                        trim(records.path, "$"),
                        HttpSourceSpec.Shape.of(sourceId, trim(records.shape, "records")),
                        required(records.timeField, "timeField", sourceId),
                        trim(records.variableField, "variable"),
                        trim(records.valueField, "value"),
                        trim(records.valuesPath, "values"),
                        trim(records.itemTimeField, "timestamp"),
                        trim(records.itemValueField, "value"),
                        ZoneId.of(trim(records.timeZone, "UTC"))),
                whole(rateLimit, "rateLimit", sourceId),
                new HttpSourceSpec.FailCodes(
                        blankToNull(failCodes.path),
                        new LinkedHashSet<>(list(failCodes.throttled)),
                        new LinkedHashSet<>(list(failCodes.relogin))));
    }

    @Override
    public String toString() {
        return "HttpSourceSettings[" + dataset + ", " + request.method + " " + request.baseUrl + request.path
                + ", auth " + credentials.auth + "]";
    }

    // --- the template's properties: the top level

    /** The sources' registry ({@code "#bean:httpSources"}). */
    public void setSources(HttpSources sources) {
        this.sources = sources;
    }

    /** The mapping ({@code mappings/<dataset>.yaml}) the rows are loaded with; required. */
    public void setDataset(String dataset) {
        this.dataset = dataset;
    }

    /** {@code raw}, {@code hourly}, {@code daily} ... kept with each batch; empty for none. */
    public void setGranularity(String granularity) {
        this.granularity = granularity;
    }

    /** {@code false} keeps the source stopped. */
    public void setEnabled(String enabled) {
        this.enabled = enabled;
    }

    /** Comma-separated settings (environment variables, properties) that must be set for the source to start. */
    public void setRequires(String requires) {
        this.requires = requires;
    }

    /** Requests per minute at most, logins included; 0 for no limit. */
    public void setRateLimit(String rateLimit) {
        this.rateLimit = rateLimit;
    }

    public Request getRequest() {
        return request;
    }

    public Devices getDevices() {
        return devices;
    }

    public Credentials getCredentials() {
        return credentials;
    }

    public Windows getWindows() {
        return windows;
    }

    public Pages getPages() {
        return pages;
    }

    public Records getRecords() {
        return records;
    }

    public FailCodes getFailCodes() {
        return failCodes;
    }

    /** {@code request.*}: the data requests. */
    public static class Request {
        private String baseUrl = "";
        private String method = "GET";
        private String path = "";
        private String body;
        private String timeoutSeconds = "30";

        /** Scheme, host and base path of the API. */
        public void setBaseUrl(String baseUrl) {
            this.baseUrl = baseUrl;
        }

        /** {@code GET} or {@code POST}. */
        public void setMethod(String method) {
            this.method = method;
        }

        /** Path and query after the base URL, with {@code {device}}, {@code {start}} ... tokens. */
        public void setPath(String path) {
            this.path = path;
        }

        /** JSON body (POST) with the same tokens; empty for none. */
        public void setBody(String body) {
            this.body = body;
        }

        /** Seconds to wait for a response. */
        public void setTimeoutSeconds(String timeoutSeconds) {
            this.timeoutSeconds = timeoutSeconds;
        }
    }

    /** {@code devices.*}: whom the source fetches for. */
    public static class Devices {
        private String ids = "";
        private String file;

        /** Comma-separated device ids. */
        public void setIds(String ids) {
            this.ids = ids;
        }

        /** YAML file listing devices with per-device tokens given as environment references; replaces ids. */
        public void setFile(String file) {
            this.file = file;
        }
    }

    /** {@code credentials.*}: the {@link HttpAuth} bean and what it needs. */
    public static class Credentials {
        private String auth = "noAuth";
        private String authHeader = "Authorization";
        private String token;
        private String username;
        private String password;
        private String clientId;
        private String clientSecret;
        private String tokenUrl;
        private String scope;
        private String loginPath;
        private String loginBody;
        private String sessionTokenFrom = "json:/accessToken";
        private String sessionHeader = "Authorization";
        private String sessionPrefix = "Bearer ";

        public void setAuth(String auth) {
            this.auth = auth;
        }

        public void setAuthHeader(String authHeader) {
            this.authHeader = authHeader;
        }

        public void setToken(String token) {
            this.token = token;
        }

        public void setUsername(String username) {
            this.username = username;
        }

        public void setPassword(String password) {
            this.password = password;
        }

        public void setClientId(String clientId) {
            this.clientId = clientId;
        }

        public void setClientSecret(String clientSecret) {
            this.clientSecret = clientSecret;
        }

        public void setTokenUrl(String tokenUrl) {
            this.tokenUrl = tokenUrl;
        }

        public void setScope(String scope) {
            this.scope = scope;
        }

        public void setLoginPath(String loginPath) {
            this.loginPath = loginPath;
        }

        public void setLoginBody(String loginBody) {
            this.loginBody = loginBody;
        }

        public void setSessionTokenFrom(String sessionTokenFrom) {
            this.sessionTokenFrom = sessionTokenFrom;
        }

        public void setSessionHeader(String sessionHeader) {
            this.sessionHeader = sessionHeader;
        }

        public void setSessionPrefix(String sessionPrefix) {
            this.sessionPrefix = sessionPrefix;
        }
    }

    /** {@code windows.*}: how the fetch windows are cut from the cursor. */
    public static class Windows {
        private String lookbackDays = "7";
        private String maxWindow = "P7D";
        private String lateDataGrace = "P1D";
        private String align = "none";

        public void setLookbackDays(String lookbackDays) {
            this.lookbackDays = lookbackDays;
        }

        /** ISO-8601 duration. */
        public void setMaxWindow(String maxWindow) {
            this.maxWindow = maxWindow;
        }

        /** ISO-8601 duration. */
        public void setLateDataGrace(String lateDataGrace) {
            this.lateDataGrace = lateDataGrace;
        }

        /** {@code none}, {@code hour}, {@code day}, {@code month} or {@code year}. */
        public void setAlign(String align) {
            this.align = align;
        }
    }

    /** {@code pages.*}: the paging. */
    public static class Pages {
        private String mode = "none";
        private String pageParam = "page";
        private String pageSizeParam;
        private String pageSize = "100";
        private String firstPage = "1";
        private String cursorParam = "cursor";
        private String nextCursorPath = "/next";
        private String maxPages = "1000";

        /** {@code none}, {@code page}, {@code offset}, {@code cursor} or {@code link}. */
        public void setMode(String mode) {
            this.mode = mode;
        }

        public void setPageParam(String pageParam) {
            this.pageParam = pageParam;
        }

        public void setPageSizeParam(String pageSizeParam) {
            this.pageSizeParam = pageSizeParam;
        }

        public void setPageSize(String pageSize) {
            this.pageSize = pageSize;
        }

        public void setFirstPage(String firstPage) {
            this.firstPage = firstPage;
        }

        public void setCursorParam(String cursorParam) {
            this.cursorParam = cursorParam;
        }

        public void setNextCursorPath(String nextCursorPath) {
            this.nextCursorPath = nextCursorPath;
        }

        public void setMaxPages(String maxPages) {
            this.maxPages = maxPages;
        }
    }

    /** {@code records.*}: where the records are in a body, their shape and their time. */
    public static class Records {
        private String path = "$";
        private String shape = "records";
        private String timeField;
        private String variableField = "variable";
        private String valueField = "value";
        private String valuesPath = "values";
        private String itemTimeField = "timestamp";
        private String itemValueField = "value";
        private String timeZone = "UTC";

        /** {@code $} or {@code $.key.key}. */
        public void setPath(String path) {
            this.path = path;
        }

        /** {@code records}, {@code columns}, {@code variables} or {@code variableMap}. */
        public void setShape(String shape) {
            this.shape = shape;
        }

        /** The records' time key; required. */
        public void setTimeField(String timeField) {
            this.timeField = timeField;
        }

        public void setVariableField(String variableField) {
            this.variableField = variableField;
        }

        public void setValueField(String valueField) {
            this.valueField = valueField;
        }

        public void setValuesPath(String valuesPath) {
            this.valuesPath = valuesPath;
        }

        public void setItemTimeField(String itemTimeField) {
            this.itemTimeField = itemTimeField;
        }

        public void setItemValueField(String itemValueField) {
            this.itemValueField = itemValueField;
        }

        /** A zone id such as {@code UTC} or {@code Europe/Athens}. */
        public void setTimeZone(String timeZone) {
            this.timeZone = timeZone;
        }
    }

    /** {@code failCodes.*}: an API-level failure code in a 200 body. */
    public static class FailCodes {
        private String path;
        private String throttled = "";
        private String relogin = "";

        /** JSON pointer of the code; empty for none. */
        public void setPath(String path) {
            this.path = path;
        }

        /** Comma-separated codes meaning "too frequent" (retried like a 429). */
        public void setThrottled(String throttled) {
            this.throttled = throttled;
        }

        /** Comma-separated codes meaning "session expired" (log in again, once). */
        public void setRelogin(String relogin) {
            this.relogin = relogin;
        }
    }

    private static String required(String value, String name, String sourceId) {
        String v = blankToNull(value);
        if (v == null) {
            throw new IllegalArgumentException("source " + sourceId + ": '" + name + "' is required");
        }
        return v.trim();
    }

    // numbers, durations and flags are checked here rather than converted by Camel when it creates the route:
    // a wrong value (an environment variable set to "many") leaves this source stopped and says why in health,
    // instead of failing the route's creation (and, at start, the whole service)

    private static int whole(String value, String name, String sourceId) {
        try {
            return Integer.parseInt(value == null ? "" : value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "source " + sourceId + ": '" + name + "' must be a whole number, found '" + value + "'");
        }
    }

    private static Duration duration(String value, String name, String sourceId) {
        try {
            return Duration.parse(value == null ? "" : value.trim());
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("source " + sourceId + ": '" + name
                    + "' must be an ISO-8601 duration such as P7D or PT6H, found '" + value + "'");
        }
    }

    /** true or false; empty is false, as an unset VENDOR_ENABLED= always meant. */
    private static boolean flag(String value, String name, String sourceId) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "true" -> true;
            case "false", "" -> false;
            default ->
                throw new IllegalArgumentException(
                        "source " + sourceId + ": '" + name + "' must be true or false, found '" + value + "'");
        };
    }

    private static String trim(String value, String otherwise) {
        return value == null || value.isBlank() ? otherwise : value.trim();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static String stripSlash(String url) {
        String u = url == null ? "" : url.trim();
        return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }

    private static List<String> list(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }
}
