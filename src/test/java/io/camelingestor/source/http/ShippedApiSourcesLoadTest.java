package io.camelingestor.source.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.camelingestor.web.Http;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The shipped Open-Meteo and Tago sources against WireMock answering in the providers' documented shapes:
 * Open-Meteo's column-oriented {@code hourly} arrays and Tago's one item per variable and time, paged.
 */
class ShippedApiSourcesLoadTest extends HttpSourceTest {

    @Autowired
    HttpSources sources;

    @AfterEach
    void forgetSources() {
        forget("tago.daily", "fact_energy_daily");
        forget("open-meteo", "environmental_metrics");
        forget("tago.hourly", "fact_energy_hourly");
    }

    @Test
    void openMeteoColumnsBecomeOneRowPerHourAndASecondRunLoadsNothingTwice() throws java.io.IOException {
        String day = LocalDate.now(ZoneOffset.UTC).minusDays(2).toString();
        API.stubFor(get(urlPathEqualTo("/v1/archive"))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody(
                                """
                                {"latitude":37.98,"longitude":23.73,"generationtime_ms":0.2,"utc_offset_seconds":0,
                                 "timezone":"GMT","timezone_abbreviation":"GMT","elevation":95.0,
                                 "hourly_units":{"time":"iso8601","temperature_2m":"°C"},
                                 "hourly":{"time":["%1$sT00:00","%1$sT01:00","%1$sT02:00","%1$sT03:00"],
                                           "temperature_2m":[12.5,12.1,11.8,null],
                                           "relative_humidity_2m":[81,83,84,null],
                                           "surface_pressure":[1012.3,1012.0,1011.8,null],
                                           "wind_speed_10m":[2.1,1.8,1.5,null],
                                           "wind_direction_10m":[200,210,215,null]}}
                                """
                                        .formatted(day))));

        runner.run("open-meteo");

        List<Map<String, Object>> batches = batchesOf("open-meteo");
        assertThat(batches).hasSize(1);
        assertThat(batches.get(0)).containsEntry("status", "LOADED").containsEntry("rows_loaded", 3L);
        assertThat(batches.get(0).get("input_id").toString()).startsWith("open-meteo:it-open-meteo:");
        assertThat(batches.get(0).get("source_uri").toString())
                .contains("/v1/archive?latitude=37.98")
                .contains("start_date=");
        assertThat(jdbc.queryForList(
                        "SELECT temperature::text FROM environmental_metrics WHERE device_id = 'it-open-meteo' ORDER BY \"timestamp\"",
                        String.class))
                .containsExactly("12.50", "12.10", "11.80"); // the hour without values is not a record yet
        assertThat(cursor("open-meteo", "it-open-meteo")).contains(Instant.parse(day + "T02:00:00Z"));
        API.verify(getRequestedFor(urlPathEqualTo("/v1/archive"))
                .withQueryParam(
                        "hourly",
                        equalTo(
                                "temperature_2m,relative_humidity_2m,surface_pressure,wind_speed_10m,wind_direction_10m"))
                .withQueryParam("timezone", equalTo("UTC")));

        runner.run("open-meteo");

        assertThat(batchesOf("open-meteo")).hasSize(1); // nothing after the cursor: no batch, no dead letter
        assertThat(deadLettersOf("open-meteo")).isEmpty();
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM environmental_metrics WHERE device_id = 'it-open-meteo'", Integer.class))
                .isEqualTo(3);
        assertThat(cursor("open-meteo", "it-open-meteo")).contains(Instant.parse(day + "T02:00:00Z"));
        assertThat(sources.states().get("open-meteo").consecutiveFailures()).isZero();
        // the spooled windows are gone once ingested
        try (var spooled = java.nio.file.Files.list(properties.dataDir().resolve("spool/http/open-meteo"))) {
            assertThat(spooled).isEmpty();
        }
        assertThat(sources.states().get("open-meteo").lastSuccess()).isNotNull();
    }

    @Test
    void aSourceRunsNowThroughTheRestApiForAnAdminOnly(@LocalServerPort int port) throws Exception {
        String day = LocalDate.now(ZoneOffset.UTC).minusDays(2).toString();
        API.stubFor(get(urlPathEqualTo("/v1/archive"))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody(
                                """
                                {"hourly":{"time":["%1$sT00:00","%1$sT01:00"],
                                           "temperature_2m":[10.5,10.1], "relative_humidity_2m":[80,81],
                                           "surface_pressure":[1010.0,1010.2], "wind_speed_10m":[1.0,1.2],
                                           "wind_direction_10m":[90,95]}}
                                """
                                        .formatted(day))));
        Http http = new Http(port);

        assertThat(http.post("/api/sources/open-meteo/run", Http.VIEWER).status())
                .isEqualTo(403);
        assertThat(batchesOf("open-meteo")).isEmpty();

        Http.Response run = http.post("/api/sources/open-meteo/run", Http.ADMIN);

        assertThat(run.status()).isEqualTo(200);
        assertThat(run.json().path("source").asText()).isEqualTo("open-meteo");
        assertThat(run.json().path("consecutiveFailures").asInt()).isZero();
        assertThat(batchesOf("open-meteo"))
                .singleElement()
                .satisfies(b -> assertThat(b).containsEntry("status", "LOADED").containsEntry("rows_loaded", 2L));
        Http.Response sources = http.get("/api/sources", Http.VIEWER);
        assertThat(sources.body()).contains("\"id\":\"open-meteo\"", "\"kind\":\"http\"");
        assertThat(http.post("/api/sources/no-such-source/run", Http.ADMIN).status())
                .isEqualTo(404);
    }

    @Test
    void tagoVariablesArePivotedAcrossThreePagesWithTheDeviceToken() {
        Instant h = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
        stubTagoPage(0, item(h, 1.5) + "," + item(h.plusSeconds(3600), 2.0));
        stubTagoPage(2, item(h.plusSeconds(7200), 2.5) + "," + item(h.plusSeconds(10800), 3.0));
        // a new field Tago may add one day is carried along, not a failure
        stubTagoPage(4, item(h.plusSeconds(14400), 3.5).replace("\"unit\"", "\"serie\":\"x1\",\"unit\""));

        runner.run("tago.hourly");

        List<Map<String, Object>> batches = batchesOf("tago.hourly");
        assertThat(batches).hasSize(1);
        assertThat(batches.get(0)).containsEntry("status", "LOADED").containsEntry("rows_loaded", 5L);
        assertThat(batches.get(0).get("metadata").toString()).contains("\"pages\": 3");
        assertThat(jdbc.queryForList(
                        "SELECT energy_kwh FROM fact_energy_hourly WHERE device_id = 'it-tago-1' ORDER BY ts",
                        Double.class))
                .containsExactly(1.5, 2.0, 2.5, 3.0, 3.5);
        assertThat(cursor("tago.hourly", "it-tago-1")).contains(h.plusSeconds(14400));
        API.verify(3, getRequestedFor(urlPathEqualTo("/data")).withHeader("device-token", equalTo(TAGO_TOKEN)));
    }

    @Test
    void tagoDailyConsumptionLoadsOneRowPerDay() {
        Instant day = Instant.now().minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.DAYS);
        API.stubFor(get(urlPathEqualTo("/data"))
                .withQueryParam("variables", equalTo("daily_consumption"))
                .withHeader("device-token", equalTo(TAGO_TOKEN))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"status\":true,\"result\":["
                                + "{\"time\":\"" + day.toString().replace("Z", ".000Z")
                                + "\",\"value\":41.5,\"variable\":\"daily_consumption\",\"unit\":\"kWh\"}]}")));

        runner.run("tago.daily");

        assertThat(batchesOf("tago.daily"))
                .singleElement()
                .satisfies(b -> assertThat(b).containsEntry("status", "LOADED").containsEntry("rows_loaded", 1L));
        assertThat(jdbc.queryForObject(
                        "SELECT ts::text || ' ' || energy_kwh FROM fact_energy_daily WHERE device_id = 'it-tago-1'",
                        String.class))
                .isEqualTo(LocalDate.ofInstant(day, ZoneOffset.UTC) + " 41.5");
    }

    @Test
    void anEmptyResultCreatesNoBatchAndKeepsTheCursor() {
        API.stubFor(get(urlPathEqualTo("/data"))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"status\":true,\"result\":[]}")));

        runner.run("tago.hourly");

        assertThat(batchesOf("tago.hourly")).isEmpty();
        assertThat(deadLettersOf("tago.hourly")).isEmpty();
        assertThat(cursor("tago.hourly", "it-tago-1")).isEmpty();
        assertThat(sources.states().get("tago.hourly").lastError()).isNull();
    }

    @Test
    void aSourceFileAddedWhileRunningStartsWhenConfigured() throws Exception {
        CamelContext camel = sources.camelContext();
        String yaml =
                """
                - templatedRoute:
                    routeTemplateRef: http-poll-source
                    routeId: test.added
                    prefixId: "test.added."
                    parameters:
                      - {name: schedule, value: "timer:test.added?period=86400000&delay=86400000"}
                      - {name: requires, value: "TEST_API_URL"}
                      - {name: dataset, value: open_meteo_weather}
                      - {name: baseUrl, value: "{{TEST_API_URL:}}"}
                      - {name: timeField, value: time}
                """;
        PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.fromString("test-added.yaml", yaml));
        try {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> camel.getRouteController().getRouteStatus("test.added") == ServiceStatus.Started);
            assertThat(sources.states().get("test.added").status()).isEqualTo("started");
        } finally {
            camel.getRouteController().stopRoute("test.added");
            camel.removeRoute("test.added");
        }
    }

    private static String item(Instant time, double value) {
        return "{\"id\":\"6540f1\",\"time\":\"" + time + "\",\"value\":" + value
                + ",\"variable\":\"hourly_consumption\",\"unit\":\"kWh\",\"device\":\"it-tago-1\",\"group\":\"g1\"}";
    }

    private static void stubTagoPage(int skip, String items) {
        API.stubFor(get(urlPathEqualTo("/data"))
                .withQueryParam("skip", equalTo(String.valueOf(skip)))
                .withQueryParam("qty", equalTo("2"))
                .withQueryParam("variables", equalTo("hourly_consumption"))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"status\":true,\"result\":[" + items + "]}")));
    }
}
