package io.camelingestor.source.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camelingestor.ops.RouteFilesReload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.model.ModelCamelContext;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The vendor templates (routes/templates/*-source.yaml): their parameters are the properties of the source's
 * settings bean (a route-template local bean) and reach the request; a source file written with one while the
 * service runs is loaded by the route files' watcher ({@link RouteFilesReload}) and started, and deleting the
 * file drops the source's settings and its entry in health.
 */
class VendorTemplatesTest extends HttpSourceTest {

    private static final String SOURCE = "vendor-test.weather";
    private static final Path FOLDER = Path.of("target/it-vendor-routes").toAbsolutePath();

    @Autowired
    HttpSources sources;

    @Autowired
    CamelContext camel;

    @AfterEach
    void forgetSource() {
        forget(SOURCE, "environmental_metrics");
        jdbc.update("DELETE FROM environmental_metrics WHERE device_id = 'it-vendor-point'");
    }

    @Test
    void theShippedSourcesAreTheVendorTemplates() {
        ModelCamelContext model = (ModelCamelContext) camel;
        assertThat(model.getRouteDefinition("open-meteo").getTemplateParameters())
                .containsEntry("latitude", "{{OPEN_METEO_LATITUDE:}}");
        // each shipped source is made from its vendor's template: a parameter only that template has
        for (String[] source : new String[][] {
            {"open-meteo", "longitude"},
            {"tago.hourly", "variable"},
            {"tago.daily", "variable"},
            {"airbeld", "email"},
            {"fusionsolar.hourly", "stationCodes"},
            {"fusionsolar.daily", "stationCodes"},
            {"fusionsolar.monthly", "stationCodes"}
        }) {
            assertThat(model.getRouteDefinition(source[0]).getTemplateParameters())
                    .as(source[0])
                    .containsKey(source[1])
                    .doesNotContainKey("shape"); // http-poll-source's
        }
        // the vendor's fixed settings, and the values looked up per granularity, as the spec has them
        HttpSourceSpec monthly = sources.spec("fusionsolar.monthly");
        assertThat(monthly.dataset()).isEqualTo("fusionsolar_station_monthly");
        assertThat(monthly.request().path()).isEqualTo("/thirdData/getKpiStationMonth");
        assertThat(monthly.windows().maxWindow()).isEqualTo(Duration.ofDays(366));
        assertThat(monthly.windows().windowAlign()).isEqualTo(HttpSourceSpec.WindowAlign.YEAR);
        assertThat(monthly.credentials().sessionPrefix()).isEmpty();
        assertThat(monthly.failCodes().throttled()).containsExactly("407");
        HttpSourceSpec daily = sources.spec("tago.daily");
        assertThat(daily.pages().mode()).isEqualTo(HttpSourceSpec.Paging.OFFSET);
        assertThat(daily.pages().pageSize()).isEqualTo(2); // TAGO_PAGE_SIZE of this test context, as a number
        assertThat(daily.windows().maxWindow()).isEqualTo(Duration.ofDays(31));
        assertThat(daily.request().path()).startsWith("/data?variables=daily_consumption&");
    }

    @Test
    void secretsReachTheSettingsBeanOnlyNeverARouteOrAnEndpoint() throws Exception {
        // the probe can fail: the settings have the secrets, resolved from the environment
        assertThat(sources.spec("airbeld").credentials().password()).isEqualTo(AIRBELD_PASSWORD);
        assertThat(sources.spec("fusionsolar.daily").credentials().password()).isEqualTo(FUSIONSOLAR_SYSTEM_CODE);
        ModelCamelContext model = (ModelCamelContext) camel;
        var dumper = org.apache.camel.support.PluginHelper.getModelToXMLDumper(camel);
        for (String id : List.of("airbeld", "fusionsolar.daily")) {
            // the route as Hawtio's "source" shows it, placeholders resolved
            String xml = dumper.dumpModelAsXml(camel, model.getRouteDefinition(id), true, false, false);
            assertThat(xml).as(id).contains("begin-run").doesNotContain(AIRBELD_PASSWORD, FUSIONSOLAR_SYSTEM_CODE);
        }
        assertThat(camel.getEndpoints()).allSatisfy(e -> assertThat(e.getEndpointUri())
                .doesNotContain(AIRBELD_PASSWORD, FUSIONSOLAR_SYSTEM_CODE));
    }

    @Test
    void aSourceFileWrittenWhileRunningWithAVendorTemplateRunsWithItsParametersAndItsRemovalDropsIt() throws Exception {
        Path file = FOLDER.resolve("vendor-test.yaml");
        RouteFilesReload reload = watch(file);
        try {
            writeOpenMeteoSource(
                    file,
                    SOURCE,
                    """
                          - {name: requires, value: "OPEN_METEO_API_URL"}
                          - {name: latitude, value: "40.64"}
                          - {name: longitude, value: "22.94"}
                          - {name: deviceId, value: it-vendor-point}
                          - {name: apiUrl, value: "{{OPEN_METEO_API_URL}}"}
                          - {name: lookbackDays, value: "3"}
                    """);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> camel.getRouteController().getRouteStatus(SOURCE) == ServiceStatus.Started);
            assertThat(sources.states().get(SOURCE).status()).isEqualTo("started");
            assertThat(sources.registeredIds()).contains(SOURCE);
            assertThat(sources.spec(SOURCE).windows().lookbackDays()).isEqualTo(3);
            assertThat(camel.getProcessor(SOURCE + ".circuit")).isNotNull();

            String day = LocalDate.now(ZoneOffset.UTC).minusDays(2).toString();
            API.stubFor(get(urlPathEqualTo("/v1/archive"))
                    .withQueryParam("latitude", equalTo("40.64"))
                    .willReturn(aResponse()
                            .withHeader("Content-Type", "application/json")
                            .withBody(
                                    """
                                    {"hourly":{"time":["%1$sT00:00","%1$sT01:00"],
                                               "temperature_2m":[9.5,9.25],
                                               "relative_humidity_2m":[70,71],
                                               "surface_pressure":[1015.0,1015.5],
                                               "wind_speed_10m":[1.0,1.5],
                                               "wind_direction_10m":[90,95]}}
                                    """
                                            .formatted(day))));

            runner.run(SOURCE);

            API.verify(getRequestedFor(urlPathEqualTo("/v1/archive"))
                    .withQueryParam("latitude", equalTo("40.64"))
                    .withQueryParam("longitude", equalTo("22.94"))
                    .withQueryParam("wind_speed_unit", equalTo("ms")));
            assertThat(batchesOf(SOURCE)).singleElement().satisfies(b -> assertThat(b)
                    .containsEntry("status", "LOADED")
                    .containsEntry("rows_loaded", 2L));
            assertThat(jdbc.queryForList(
                            "SELECT temperature::text FROM environmental_metrics WHERE device_id = 'it-vendor-point' ORDER BY \"timestamp\"",
                            String.class))
                    .containsExactly("9.50", "9.25");

            Files.delete(file);
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> camel.getRoute(SOURCE) == null);
            assertThat(sources.registeredIds()).doesNotContain(SOURCE); // its settings bean's registration dropped
            assertThat(sources.states()).doesNotContainKey(SOURCE);
            assertThat(sources.sourceIds()).doesNotContain(SOURCE);
            assertThatThrownBy(() -> sources.spec(SOURCE)).hasMessageStartingWith("no HTTP source '" + SOURCE + "'");
            assertThatThrownBy(() -> runner.run(SOURCE)).isInstanceOf(IllegalArgumentException.class);
        } finally {
            unwatch(reload, file, SOURCE);
        }
    }

    @Test
    void aWrongValueLeavesThatSourceStoppedSayingWhyAndTheOthersRunning() throws Exception {
        Path file = FOLDER.resolve("vendor-bad.yaml");
        RouteFilesReload reload = watch(file);
        try {
            writeOpenMeteoSource(
                    file,
                    "vendor-test.bad",
                    """
                          - {name: lookbackDays, value: "many"}
                    """);
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> sources.states()
                    .containsKey("vendor-test.bad"));
            // as a source whose settings are missing: its route is there, stopped, and health says why
            assertThat(sources.states().get("vendor-test.bad").status())
                    .isEqualTo("misconfigured: source vendor-test.bad: 'lookbackDays' must be a whole number,"
                            + " found 'many'");
            assertThat(sources.states().get("vendor-test.bad").configured()).isFalse();
            assertThat(camel.getRouteController().getRouteStatus("vendor-test.bad"))
                    .isEqualTo(ServiceStatus.Stopped);
            assertThat(camel.getRouteController().getRouteStatus("open-meteo")).isEqualTo(ServiceStatus.Started);
        } finally {
            unwatch(reload, file, "vendor-test.bad");
        }
    }

    /** The route files' watcher of the service, on a folder of this test's, which starts without {@code file}. */
    private RouteFilesReload watch(Path file) throws Exception {
        Files.createDirectories(FOLDER);
        Files.deleteIfExists(file);
        RouteFilesReload reload = new RouteFilesReload(FOLDER.toString(), "*.yaml");
        camel.addService(reload);
        return reload;
    }

    /** Stops the watcher, then removes the test's file and the route it made, whatever the test got to. */
    private void unwatch(RouteFilesReload reload, Path file, String routeId) throws Exception {
        camel.removeService(reload);
        reload.stop(); // removeService does not stop it: the folder watcher ends here
        Files.deleteIfExists(file);
        if (camel.getRoute(routeId) != null) {
            camel.getRouteController().stopRoute(routeId);
            camel.removeRoute(routeId);
        }
    }

    /** A source file with one templatedRoute of open-meteo-source: its own schedule, then the given parameters. */
    private static void writeOpenMeteoSource(Path file, String routeId, String parameters) throws Exception {
        Files.writeString(
                file,
                """
                - templatedRoute:
                    routeTemplateRef: open-meteo-source
                    routeId: %1$s
                    prefixId: "%1$s."
                    parameters:
                      - {name: schedule, value: "timer:%1$s?period=86400000&delay=86400000"}
                """
                                .formatted(routeId)
                        + parameters
                                .lines()
                                .filter(line -> !line.isBlank())
                                .map(line -> "      " + line.strip() + "\n")
                                .collect(java.util.stream.Collectors.joining()));
    }
}
