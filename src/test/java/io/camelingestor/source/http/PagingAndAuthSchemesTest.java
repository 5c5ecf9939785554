package io.camelingestor.source.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The paging styles and authentication schemes the shipped sources do not use: a next-page token in the
 * body (POST, OAuth2 client credentials) and the Link header (HTTP Basic).
 */
class PagingAndAuthSchemesTest extends HttpSourceTest {

    private final Instant hour = Instant.now().minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);

    @Autowired
    OAuth2Auth oauth2;

    @Autowired
    HttpSources sources;

    @AfterEach
    void forgetSources() {
        forget("test.cursor", "fact_energy_hourly");
        forget("test.link", "fact_energy_hourly");
    }

    @Test
    void aNextPageTokenInTheBodyIsFollowedUntilItIsAbsent() {
        oauth2.invalidate(sources.spec("test.cursor"), new Device("it-http-2", null));
        API.stubFor(post(urlPathEqualTo("/cursor/token"))
                .withRequestBody(equalTo("grant_type=client_credentials"))
                .withHeader("Authorization", equalTo("Basic " + base64("ingestor-client:" + TEST_CLIENT_SECRET)))
                .willReturn(json("{\"access_token\":\"access-token-1\",\"expires_in\":60}")));
        API.stubFor(post(urlPathEqualTo("/cursor/search"))
                .withRequestBody(matchingJsonPath("$.cursor", equalTo("")))
                .withRequestBody(matchingJsonPath("$.meter", equalTo("it-http-2")))
                .willReturn(json("{\"results\":[" + row(0, 1.0) + "],\"paging\":{\"next\":\"c2\"}}")));
        API.stubFor(post(urlPathEqualTo("/cursor/search"))
                .withRequestBody(matchingJsonPath("$.cursor", equalTo("c2")))
                .willReturn(json("{\"results\":[" + row(1, 2.0) + "],\"paging\":{\"next\":\"c3\"}}")));
        API.stubFor(post(urlPathEqualTo("/cursor/search"))
                .withRequestBody(matchingJsonPath("$.cursor", equalTo("c3")))
                .willReturn(json("{\"results\":[" + row(2, 3.0) + "],\"paging\":{}}")));

        runner.run("test.cursor");

        assertThat(batchesOf("test.cursor"))
                .singleElement()
                .satisfies(b -> assertThat(b).containsEntry("status", "LOADED").containsEntry("rows_loaded", 3L));
        assertThat(cursor("test.cursor", "it-http-2")).contains(hour.plusSeconds(7200));
        API.verify(
                3,
                postRequestedFor(urlPathEqualTo("/cursor/search"))
                        .withHeader("Authorization", equalTo("Bearer access-token-1")));
    }

    @Test
    void theLinkHeadersNextPageIsFollowed() {
        String basic = "Basic " + base64("it-basic:" + TEST_PASSWORD);
        API.stubFor(get(urlPathEqualTo("/link/readings"))
                .withQueryParam("page", absent())
                .withHeader("Authorization", equalTo(basic))
                .willReturn(json("[" + row(0, 1.5) + "]")
                        .withHeader(
                                "Link",
                                "</link/readings?page=2>; rel=\"next\", </link/readings?page=9>; rel=\"last\"")));
        API.stubFor(get(urlPathEqualTo("/link/readings"))
                .withQueryParam("page", equalTo("2"))
                .withHeader("Authorization", equalTo(basic))
                .willReturn(json("[" + row(1, 2.5) + "]")));

        runner.run("test.link");

        assertThat(batchesOf("test.link"))
                .singleElement()
                .satisfies(b -> assertThat(b).containsEntry("status", "LOADED").containsEntry("rows_loaded", 2L));
        API.verify(1, getRequestedFor(urlPathEqualTo("/link/readings")).withQueryParam("since", containing("")));
        assertThat(cursor("test.link", "it-http-3")).contains(hour.plusSeconds(3600));
    }

    @Test
    void aPageThatFailsOnceIsSentAgainAloneThePagesBeforeItAreNotFetchedAgain() {
        String basic = "Basic " + base64("it-basic:" + TEST_PASSWORD);
        API.stubFor(get(urlPathEqualTo("/link/readings"))
                .withQueryParam("page", absent())
                .withHeader("Authorization", equalTo(basic))
                .willReturn(json("[" + row(0, 1.5) + "]").withHeader("Link", "</link/readings?page=2>; rel=\"next\"")));
        API.stubFor(get(urlPathEqualTo("/link/readings"))
                .withQueryParam("page", equalTo("2"))
                .inScenario("page 2")
                .whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
                .willReturn(aResponse().withStatus(503).withBody("busy"))
                .willSetStateTo("up"));
        API.stubFor(get(urlPathEqualTo("/link/readings"))
                .withQueryParam("page", equalTo("2"))
                .inScenario("page 2")
                .whenScenarioStateIs("up")
                .willReturn(json("[" + row(1, 2.5) + "]")));

        runner.run("test.link");

        assertThat(batchesOf("test.link"))
                .singleElement()
                .satisfies(b -> assertThat(b).containsEntry("status", "LOADED").containsEntry("rows_loaded", 2L));
        API.verify(1, getRequestedFor(urlPathEqualTo("/link/readings")).withQueryParam("page", absent()));
        API.verify(2, getRequestedFor(urlPathEqualTo("/link/readings")).withQueryParam("page", equalTo("2")));
    }

    private String row(int hours, double kwh) {
        return "{\"time\":\"" + hour.plusSeconds(hours * 3600L) + "\",\"hourly_consumption\":" + kwh + "}";
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
        return aResponse().withHeader("Content-Type", "application/json").withBody(body);
    }
}
