package io.camelingestor.source.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelingestor.core.InputRejectedException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The response shapes turned into rows, the time formats read for the cursor, and secrets masked. */
class RecordShapesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void recordsAreRowsWithNestedObjectsFlattened() throws Exception {
        List<String> rows = rows(
                spec(Map.of("recordsPath", "$.data", "timeField", "collectTime")),
                "{\"data\":[{\"collectTime\":1,\"dataItemMap\":{\"inverter_power\":2.5,\"x\":{\"y\":1}}}]}");
        assertThat(rows)
                .containsExactly("{\"collectTime\":1,\"dataItemMap.inverter_power\":2.5,\"dataItemMap.x.y\":1}");
    }

    @Test
    void columnsSharingTheTimeArrayBecomeOneRowPerTime() throws Exception {
        List<String> rows = rows(
                spec(Map.of("recordsPath", "$.hourly", "shape", "columns", "timeField", "time")),
                "{\"hourly\":{\"time\":[\"t1\",\"t2\"],\"a\":[1,2],\"b\":[null,4]},\"hourly_units\":{\"a\":\"C\"}}");
        assertThat(rows).containsExactly("{\"time\":\"t1\",\"a\":1,\"b\":null}", "{\"time\":\"t2\",\"a\":2,\"b\":4}");
    }

    @Test
    void columnsOfDifferentLengthsAreNotTheExpectedShape() {
        assertThatThrownBy(() -> rows(
                        spec(Map.of("recordsPath", "$.hourly", "shape", "columns", "timeField", "time")),
                        "{\"hourly\":{\"time\":[\"t1\",\"t2\"],\"a\":[1]}}"))
                .isInstanceOf(InputRejectedException.class)
                .hasMessageContaining("'a' to have as many values as 'time' (2), found 1");
    }

    @Test
    void oneItemPerVariableAndTimeIsPivotedIntoOneRowPerTime() throws Exception {
        List<String> rows = rows(
                spec(Map.of("recordsPath", "$.result", "shape", "variables", "timeField", "time")),
                """
                {"status":true,"result":[
                  {"time":"t1","variable":"a","value":1,"unit":"kWh"},
                  {"time":"t1","variable":"b","value":2},
                  {"time":"t2","variable":"a","value":3}]}
                """);
        assertThat(rows).containsExactly("{\"time\":\"t1\",\"a\":1,\"b\":2}", "{\"time\":\"t2\",\"a\":3}");
    }

    @Test
    void aMapOfVariablesWithTheirValuesIsPivotedIntoOneRowPerTime() throws Exception {
        List<String> rows = rows(
                spec(Map.of("recordsPath", "$.sensors", "shape", "variableMap", "timeField", "timestamp")),
                """
                {"sensors":{"temperature":{"values":[{"timestamp":"t1","value":18.5},{"timestamp":"t2","value":19}]},
                            "pm10":{"values":[{"timestamp":"t2","value":20}]}}}
                """);
        assertThat(rows)
                .containsExactly(
                        "{\"timestamp\":\"t1\",\"temperature\":18.5}",
                        "{\"timestamp\":\"t2\",\"temperature\":19,\"pm10\":20}");
    }

    @Test
    void aBodyWithoutTheRecordsIsNotTheExpectedShape() {
        assertThatThrownBy(() -> rows(spec(Map.of("recordsPath", "$.data", "timeField", "t")), "{\"error\":\"x\"}"))
                .isInstanceOf(InputRejectedException.class)
                .hasMessageContaining("nothing at $.data");
        assertThatThrownBy(() -> rows(spec(Map.of("recordsPath", "$.data", "timeField", "t")), "{\"data\":{\"a\":1}}"))
                .isInstanceOf(InputRejectedException.class)
                .hasMessageContaining("an array of records at $.data, found OBJECT");
        assertThatThrownBy(() -> rows(spec(Map.of("recordsPath", "$.data", "timeField", "t")), "{\"data\":[1,2]}"))
                .isInstanceOf(InputRejectedException.class)
                .hasMessageContaining("objects in the array");
    }

    @Test
    void recordTimesAreReadInTheFormatsApisSend() {
        ZoneId athens = ZoneId.of("Europe/Athens");
        assertThat(Timestamps.parse(JSON.getNodeFactory().numberNode(1700000000000L), athens))
                .isEqualTo(Instant.ofEpochMilli(1700000000000L));
        assertThat(Timestamps.parse(JSON.getNodeFactory().numberNode(1700000000L), athens))
                .isEqualTo(Instant.ofEpochSecond(1700000000L));
        assertThat(Timestamps.parse(JSON.getNodeFactory().textNode("2024-01-01T10:00:00.000Z"), athens))
                .isEqualTo(Instant.parse("2024-01-01T10:00:00Z"));
        assertThat(Timestamps.parse(JSON.getNodeFactory().textNode("2024-01-01T10:00:00+02:00"), athens))
                .isEqualTo(Instant.parse("2024-01-01T08:00:00Z"));
        assertThat(Timestamps.parse(JSON.getNodeFactory().textNode("2024-07-01T10:00"), athens))
                .isEqualTo(Instant.parse("2024-07-01T07:00:00Z"));
        assertThat(Timestamps.parse(JSON.getNodeFactory().textNode("2024-07-01 10:00:00"), athens))
                .isEqualTo(Instant.parse("2024-07-01T07:00:00Z"));
        assertThat(Timestamps.parse(JSON.getNodeFactory().textNode("2024-07-01"), athens))
                .isEqualTo(Instant.parse("2024-06-30T21:00:00Z"));
        assertThat(Timestamps.parse(JSON.getNodeFactory().textNode("yesterday"), athens))
                .isNull();
    }

    @Test
    void requestTemplatesGetTheWindowInTheFormatAsked() {
        HttpSourceSpec spec = spec(Map.of(
                "timeField",
                "t",
                "timeZone",
                "Europe/Athens",
                "paging",
                "page",
                "pageSizeParam",
                "n",
                "pageSize",
                "50"));
        Window window = new Window(
                Instant.parse("2024-01-01T22:30:00Z"),
                Instant.parse("2024-01-02T00:00:00Z"),
                null,
                1,
                1,
                new DeviceRun());
        Device device = new Device("NE=1 2", null);
        assertThat(HttpFetcher.render(
                        "/d/{device}?from={start}&day={start:yyyy-MM-dd}&ms={end:epochMillis}&s={end:epochSeconds}",
                        spec,
                        device,
                        window,
                        1,
                        0,
                        null,
                        true))
                .isEqualTo("/d/NE%3D1+2?from=2024-01-01T22%3A30%3A00Z&day=2024-01-02&ms=1704153600000&s=1704153600");
        assertThat(HttpFetcher.render(
                        "{\"s\": \"{device}\", \"t\": {start:epochMillis}}",
                        spec,
                        new Device("a\"b", null),
                        window,
                        1,
                        0,
                        null,
                        false))
                .isEqualTo("{\"s\": \"a\\\"b\", \"t\": 1704148200000}");
        assertThat(WindowPages.url(spec, device, window, 3, 0, null)).endsWith("?page=3&n=50");
    }

    @Test
    void secretsAreMaskedAlsoWhenUrlEncoded() {
        Redactor redactor = new Redactor(List.of("p@ss word!", "abc"));
        assertThat(redactor.clean("login p@ss word! and p%40ss+word%21, abc kept (too short to mask)"))
                .isEqualTo("login *** and ***, abc kept (too short to mask)");
    }

    @Test
    void windowsAlignOnTheCalendarUnitAskedInTheSourcesZone() {
        Instant at = Instant.parse("2024-03-15T13:45:10Z");
        assertThat(FetchWindows.align(at, spec(Map.of("timeField", "t", "windowAlign", "hour"))))
                .isEqualTo("2024-03-15T13:00:00Z");
        assertThat(FetchWindows.align(
                        at, spec(Map.of("timeField", "t", "windowAlign", "day", "timeZone", "Europe/Athens"))))
                .isEqualTo("2024-03-14T22:00:00Z");
        assertThat(FetchWindows.align(at, spec(Map.of("timeField", "t", "windowAlign", "month"))))
                .isEqualTo("2024-03-01T00:00:00Z");
        assertThat(FetchWindows.align(at, spec(Map.of("timeField", "t", "windowAlign", "year"))))
                .isEqualTo("2024-01-01T00:00:00Z");
        assertThat(FetchWindows.align(at, spec(Map.of("timeField", "t")))).isEqualTo(at);
    }

    @Test
    void aSpecRefusesUnknownShapesPagingAndAlignment() {
        assertThatThrownBy(() -> spec(Map.of("timeField", "t", "shape", "rows")))
                .hasMessageContaining("shape 'rows'")
                .hasMessageContaining("[records, columns, variables, variableMap]");
        assertThatThrownBy(() -> spec(Map.of("timeField", "t", "paging", "pages")))
                .hasMessageContaining("paging 'pages'");
        assertThatThrownBy(() -> spec(Map.of("timeField", "t", "windowAlign", "week")))
                .hasMessageContaining("windowAlign 'week'");
        assertThatThrownBy(() -> bind(Map.of("dataset", "d")).toSpec("s"))
                .hasMessageContaining("'timeField' is required");
        assertThat(spec(Map.of("timeField", "t", "token", "tok-123", "password", "pw-456"))
                        .toString())
                .doesNotContain("tok-123")
                .doesNotContain("pw-456");
    }

    private static HttpSourceSpec spec(Map<String, String> parameters) {
        Map<String, String> p = new HashMap<>(parameters);
        p.putIfAbsent("dataset", "d");
        p.putIfAbsent("baseUrl", "http://api");
        return bind(p).toSpec("s");
    }

    /** The template parameter names of http-poll-source and the settings bean's properties they set there. */
    private static final Map<String, String> PROPERTY = Map.ofEntries(
            Map.entry("dataset", "dataset"),
            Map.entry("baseUrl", "request.baseUrl"),
            Map.entry("recordsPath", "records.path"),
            Map.entry("timeField", "records.timeField"),
            Map.entry("shape", "records.shape"),
            Map.entry("timeZone", "records.timeZone"),
            Map.entry("windowAlign", "windows.align"),
            Map.entry("paging", "pages.mode"),
            Map.entry("pageSizeParam", "pages.pageSizeParam"),
            Map.entry("pageSize", "pages.pageSize"),
            Map.entry("token", "credentials.token"),
            Map.entry("password", "credentials.password"));

    /** The settings bean as Camel fills it from a template body (its property binding and type conversion). */
    private static HttpSourceSettings bind(Map<String, String> parameters) {
        Map<String, Object> properties = new HashMap<>();
        parameters.forEach((name, value) -> properties.put(PROPERTY.get(name), value));
        HttpSourceSettings settings = new HttpSourceSettings();
        var camel = new org.apache.camel.impl.DefaultCamelContext();
        org.apache.camel.support.PropertyBindingSupport.build()
                .withMandatory(true)
                .bind(camel, settings, properties);
        camel.stop(); // never started: nothing to release
        return settings;
    }

    private static List<String> rows(HttpSourceSpec spec, String body) throws Exception {
        JsonNode node = JSON.readTree(body);
        return RecordShapes.rows(spec, node, "GET http://api").stream()
                .map(JsonNode::toString)
                .toList();
    }
}
