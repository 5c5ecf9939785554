package io.camelingestor.source.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The shipped sources that log in first: Airbeld (a JSON access token, readings per sensor) and FusionSolar
 * (an XSRF-TOKEN cookie sent back as a header, its own failure codes in HTTP 200 answers).
 */
class LoginSessionSourcesLoadTest extends HttpSourceTest {

    @Autowired
    LoginSessionAuth logins;

    @Autowired
    HttpSources sources;

    @BeforeEach
    void noSession() {
        for (String id : List.of("airbeld", "fusionsolar.hourly", "fusionsolar.daily")) {
            logins.invalidate(sources.spec(id), new Device("", null));
        }
    }

    @AfterEach
    void forgetSources() {
        forget("airbeld", "environmental_metrics");
        forget("fusionsolar.hourly", "solar_station_hourly");
        forget("fusionsolar.daily", "solar_station_daily");
    }

    @Test
    void airbeldSensorsArePivotedIntoOneRowPerHour() {
        API.stubFor(post(urlPathEqualTo("/airbeld/api/v1/auth/token/"))
                .withRequestBody(
                        equalToJson("{\"email\":\"it@example.org\",\"password\":\"" + AIRBELD_PASSWORD + "\"}"))
                .willReturn(json("{\"accessToken\":\"airbeld-session-token\",\"refreshToken\":\"r\"}")));
        String day = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();
        API.stubFor(get(urlPathEqualTo("/airbeld/api/v1/devices/it-airbeld-1/readings_by_date/"))
                .withHeader("Authorization", equalTo("Bearer airbeld-session-token"))
                .withQueryParam("period", equalTo("hour"))
                .willReturn(json(
                        """
                        {"device":"it-airbeld-1","sensors":{
                          "temperature":{"unit":"°C","values":[{"timestamp":"%1$sT10:00:00Z","value":18.4},{"timestamp":"%1$sT11:00:00Z","value":19.0}]},
                          "humidity":{"unit":"%%","values":[{"timestamp":"%1$sT10:00:00Z","value":62},{"timestamp":"%1$sT11:00:00Z","value":60}]},
                          "pm10":{"unit":"µg/m³","values":[{"timestamp":"%1$sT10:00:00Z","value":21.5}]}}}
                        """
                                .formatted(day))));

        runner.run("airbeld");

        assertThat(batchesOf("airbeld"))
                .singleElement()
                .satisfies(b -> assertThat(b).containsEntry("status", "LOADED").containsEntry("rows_loaded", 2L));
        List<Map<String, Object>> rows = jdbc.queryForList(
                "SELECT temperature::text AS t, humidity::text AS h, pm10::text AS pm FROM environmental_metrics WHERE device_id = 'it-airbeld-1' ORDER BY \"timestamp\"");
        assertThat(rows)
                .containsExactly(
                        Map.of("t", "18.40", "h", "62.00", "pm", "21.50"),
                        new java.util.HashMap<>(java.util.Map.of("t", "19.00", "h", "60.00")) {
                            {
                                put("pm", null);
                            }
                        });
        assertThat(cursor("airbeld", "it-airbeld-1")).contains(Instant.parse(day + "T11:00:00Z"));
        API.verify(1, postRequestedFor(urlPathEqualTo("/airbeld/api/v1/auth/token/")));
    }

    @Test
    void fusionSolarLogsInAgainWhenTheSessionExpiresAndRetriesTooFrequent() {
        API.stubFor(post(urlPathEqualTo("/thirdData/login"))
                .inScenario("login")
                .whenScenarioStateIs(STARTED)
                .withRequestBody(
                        equalToJson("{\"userName\":\"it-user\",\"systemCode\":\"" + FUSIONSOLAR_SYSTEM_CODE + "\"}"))
                .willReturn(json("{\"success\":true,\"failCode\":0,\"data\":null}")
                        .withHeader("Set-Cookie", "XSRF-TOKEN=xsrf-session-1;path=/;HttpOnly"))
                .willSetStateTo("logged in once"));
        API.stubFor(post(urlPathEqualTo("/thirdData/login"))
                .inScenario("login")
                .whenScenarioStateIs("logged in once")
                .willReturn(json("{\"success\":true,\"failCode\":0,\"data\":null}")
                        .withHeader("Set-Cookie", "XSRF-TOKEN=xsrf-session-2;path=/;HttpOnly")));
        // the first session has expired (failCode 305); the second is throttled once (407), then answers
        API.stubFor(post(urlPathEqualTo("/thirdData/getKpiStationHour"))
                .withHeader("XSRF-TOKEN", equalTo("xsrf-session-1"))
                .willReturn(
                        json("{\"success\":false,\"failCode\":305,\"message\":\"USER_MUST_RELOGIN\",\"data\":null}")));
        API.stubFor(post(urlPathEqualTo("/thirdData/getKpiStationHour"))
                .inScenario("kpi")
                .whenScenarioStateIs(STARTED)
                .withHeader("XSRF-TOKEN", equalTo("xsrf-session-2"))
                .willReturn(
                        json(
                                "{\"success\":false,\"failCode\":407,\"message\":\"ACCESS_FREQUENCY_IS_TOO_HIGH\",\"data\":null}"))
                .willSetStateTo("free"));
        Instant day = LocalDate.now(ZoneOffset.UTC)
                .minusDays(1)
                .atStartOfDay(ZoneOffset.UTC)
                .toInstant();
        API.stubFor(post(urlPathEqualTo("/thirdData/getKpiStationHour"))
                .inScenario("kpi")
                .whenScenarioStateIs("free")
                .withHeader("XSRF-TOKEN", equalTo("xsrf-session-2"))
                .withRequestBody(matchingJsonPath("$.stationCodes", equalTo("NE=33554875")))
                .willReturn(json(
                        """
                        {"success":true,"failCode":0,"params":{"stationCodes":"NE=33554875","currentTime":%2$d},
                         "data":[{"stationCode":"NE=33554875","collectTime":%1$d,
                                  "dataItemMap":{"radiation_intensity":0.6,"theory_power":120.5,"inverter_power":98.2,"ongrid_power":97.1,"power_profit":15.3}},
                                 {"stationCode":"NE=33554875","collectTime":%3$d,
                                  "dataItemMap":{"radiation_intensity":0.7,"theory_power":130.0,"inverter_power":101.4,"ongrid_power":100.0,"power_profit":16.0,"self_use_power":3.2}}]}
                        """
                                .formatted(
                                        day.plusSeconds(10 * 3600).toEpochMilli(),
                                        Instant.now().toEpochMilli(),
                                        day.plusSeconds(11 * 3600).toEpochMilli())))
                .willSetStateTo("answered"));
        API.stubFor(post(urlPathEqualTo("/thirdData/getKpiStationHour"))
                .inScenario("kpi")
                .whenScenarioStateIs("answered")
                .willReturn(json("{\"success\":true,\"failCode\":0,\"data\":[]}")));

        runner.run("fusionsolar.hourly");

        List<Map<String, Object>> batches = batchesOf("fusionsolar.hourly");
        assertThat(batches).filteredOn(b -> "LOADED".equals(b.get("status"))).hasSize(1);
        assertThat(batches).allSatisfy(b -> assertThat(b.get("status")).isEqualTo("LOADED"));
        assertThat(jdbc.queryForList(
                        "SELECT inverter_power::text FROM solar_station_hourly WHERE device_id = 'NE=33554875' ORDER BY ts",
                        String.class))
                .containsExactly("98.2000", "101.4000");
        assertThat(cursor("fusionsolar.hourly", "NE=33554875")).contains(day.plusSeconds(11 * 3600));
        API.verify(2, postRequestedFor(urlPathEqualTo("/thirdData/login")));
        assertThat(deadLettersOf("fusionsolar.hourly")).isEmpty();
    }

    @Test
    void fusionSolarDailyKpisAskForTheMonthAndLoadEachDay() {
        API.stubFor(post(urlPathEqualTo("/thirdData/login"))
                .willReturn(json("{\"success\":true,\"failCode\":0}")
                        .withHeader("Set-Cookie", "XSRF-TOKEN=xsrf-session-1;path=/")));
        Instant yesterday = LocalDate.now(ZoneOffset.UTC)
                .minusDays(1)
                .atStartOfDay(ZoneOffset.UTC)
                .toInstant();
        Instant dayBefore = yesterday.minus(1, java.time.temporal.ChronoUnit.DAYS);
        API.stubFor(post(urlPathEqualTo("/thirdData/getKpiStationDay"))
                .withHeader("XSRF-TOKEN", equalTo("xsrf-session-1"))
                .willReturn(json(
                        """
                        {"success":true,"failCode":0,"data":[
                          {"stationCode":"NE=33554875","collectTime":%d,"dataItemMap":{"installed_capacity":150.0,"inverter_power":612.5,"performance_ratio":81.2,"reduction_total_co2":0.61}},
                          {"stationCode":"NE=33554875","collectTime":%d,"dataItemMap":{"installed_capacity":150.0,"inverter_power":640.0,"performance_ratio":83.0,"reduction_total_co2":0.64}}]}
                        """
                                .formatted(dayBefore.toEpochMilli(), yesterday.toEpochMilli()))));

        runner.run("fusionsolar.daily");

        assertThat(batchesOf("fusionsolar.daily"))
                .filteredOn(b -> "LOADED".equals(b.get("status")))
                .singleElement()
                .satisfies(b -> assertThat(b).containsEntry("rows_loaded", 2L));
        assertThat(jdbc.queryForList(
                        "SELECT inverter_power::text FROM solar_station_daily WHERE device_id = 'NE=33554875' ORDER BY ts",
                        String.class))
                .containsExactly("612.5000", "640.0000");
        // each request asks for the month (of its window's start) in epoch milliseconds
        assertThat(API.findAll(postRequestedFor(urlPathEqualTo("/thirdData/getKpiStationDay"))))
                .allSatisfy(r -> assertThat(r.getBodyAsString()).matches(".*\"collectTime\": \\d{13}.*"));
        assertThat(cursor("fusionsolar.daily", "NE=33554875")).contains(yesterday);
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
        return aResponse().withHeader("Content-Type", "application/json").withBody(body);
    }
}
