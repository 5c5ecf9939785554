package io.camelingestor.source.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * One run of a source with two devices, written as a user writes one (README "Adding an API source in YAML"),
 * its API key in the query string as {@code {token}}: each device's lines name its own batch only, and the key
 * shows nowhere (the base class checks every log line, stored URI and dead letter).
 */
class DevicesOfOneRunTest extends HttpSourceTest {

    private static final String SOURCE = "test.devices";

    private final Instant hour = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);

    @Autowired
    HttpSources sources;

    @BeforeEach
    void addSource() throws Exception {
        CamelContext camel = sources.camelContext();
        String yaml =
                """
                - templatedRoute:
                    routeTemplateRef: http-poll-source
                    routeId: test.devices
                    prefixId: "test.devices."
                    parameters:
                      - {name: schedule, value: "timer:test.devices?period=86400000&delay=86400000"}
                      - {name: requires, value: "TEST_API_URL"}
                      - {name: dataset, value: tago_energy_hourly}
                      - {name: baseUrl, value: "{{TEST_API_URL:}}/devices"}
                      - {name: path, value: "/readings?meter={device}&from={start}&key={token}"}
                      - {name: devices, value: "it-dev-1,it-dev-2"}
                      - {name: token, value: "{{TEST_API_PASSWORD:}}"}
                      - {name: recordsPath, value: "$.data"}
                      - {name: timeField, value: time}
                      - {name: lookbackDays, value: "2"}
                """;
        PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.fromString("test-devices.yaml", yaml));
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> camel.getRouteController().getRouteStatus(SOURCE) == ServiceStatus.Started);
        forget(SOURCE, "fact_energy_hourly");
    }

    @AfterEach
    void removeSource() throws Exception {
        forget(SOURCE, "fact_energy_hourly");
        CamelContext camel = sources.camelContext();
        camel.getRouteController().stopRoute(SOURCE);
        camel.removeRoute(SOURCE);
    }

    @Test
    void eachDevicesLinesNameItsOwnBatchAndTheKeyInTheQueryIsMaskedEverywhere() {
        API.stubFor(get(urlPathEqualTo("/devices/readings"))
                .withQueryParam("meter", equalTo("it-dev-1"))
                .willReturn(aResponse().withStatus(404).withBody("{\"error\":\"no such meter\"}")));
        // the second device's first request fails: its retry is logged before its own batch exists
        API.stubFor(get(urlPathEqualTo("/devices/readings"))
                .withQueryParam("meter", equalTo("it-dev-2"))
                .inScenario("dev-2")
                .whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(500).withBody("busy"))
                .willSetStateTo("up"));
        API.stubFor(get(urlPathEqualTo("/devices/readings"))
                .withQueryParam("meter", equalTo("it-dev-2"))
                .inScenario("dev-2")
                .whenScenarioStateIs("up")
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"data\":[{\"time\":\"" + hour + "\",\"hourly_consumption\":1.5}]}")));

        runner.run(SOURCE);

        List<Map<String, Object>> batches = batchesOf(SOURCE);
        assertThat(batches).extracting(b -> b.get("status")).containsExactly("REJECTED", "LOADED");
        String first = batches.get(0).get("id").toString();
        String second = batches.get(1).get("id").toString();
        // the key was sent, and is masked in what is stored
        API.verify(getRequestedFor(urlPathEqualTo("/devices/readings"))
                .withQueryParam("meter", equalTo("it-dev-2"))
                .withQueryParam("key", equalTo(TEST_PASSWORD)));
        assertThat(batches).allSatisfy(b -> assertThat(b.get("source_uri").toString())
                .contains("key=" + Redactor.MASK)
                .doesNotContain(TEST_PASSWORD));
        assertThat(deadLettersOf(SOURCE))
                .singleElement()
                .satisfies(d -> assertThat(d.get("payload_ref").toString()).contains("key=" + Redactor.MASK));

        List<ILoggingEvent> secondDevice = logLines().stream()
                .filter(e -> e.getFormattedMessage().contains("it-dev-2"))
                .toList();
        assertThat(secondDevice).isNotEmpty();
        assertThat(secondDevice).as("lines of the second device").allSatisfy(e -> assertThat(
                        e.getMDCPropertyMap().get("batchId"))
                .isNotEqualTo(first));
        assertThat(secondDevice)
                .filteredOn(e -> e.getFormattedMessage().contains("Failed delivery"))
                .isNotEmpty()
                .allSatisfy(
                        e -> assertThat(e.getMDCPropertyMap().get("batchId")).isNullOrEmpty());
        assertThat(logLines())
                .filteredOn(e -> e.getFormattedMessage().startsWith("HTTP source test.devices run failed"))
                .singleElement()
                .satisfies(e -> assertThat(e.getMDCPropertyMap().get("batchId")).isNullOrEmpty());
        assertThat(logLines())
                .filteredOn(e -> second.equals(e.getMDCPropertyMap().get("batchId")))
                .isNotEmpty();
    }
}
