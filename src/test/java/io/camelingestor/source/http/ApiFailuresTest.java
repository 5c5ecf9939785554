package io.camelingestor.source.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What an API does wrong, and what the source does about it: retried with back-off (500, 429, timeouts),
 * dead-lettered at once (malformed JSON, other 4xx), re-authenticated once (401); in every failure the
 * cursor stays where it was, so the next run starts again from it. The test-only source {@code test.paged}
 * (src/test/resources/http-routes) pages with page/size and logs in with an OAuth2 password grant.
 */
class ApiFailuresTest extends HttpSourceTest {

    private static final String SOURCE = "test.paged";
    private static final String DEVICE = "it-http-1";

    private final Instant hour = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);

    @Autowired
    OAuth2Auth oauth2;

    @Autowired
    HttpSources sources;

    @Autowired
    org.apache.camel.CamelContext camel;

    @Autowired
    org.springframework.boot.test.web.client.TestRestTemplate anonymous;

    private org.springframework.boot.test.web.client.TestRestTemplate health;

    @BeforeEach
    void viewer() {
        health = anonymous.withBasicAuth("viewer", "it-viewer-secret-7a1f");
    }

    @BeforeEach
    void tokenEndpoint() {
        forget(SOURCE, "fact_energy_hourly");
        oauth2.invalidate(sources.spec(SOURCE), new Device(DEVICE, null)); // each test starts without a token
        API.stubFor(post(urlPathEqualTo("/oauth/token"))
                .inScenario("token")
                .whenScenarioStateIs(STARTED)
                .willReturn(json("{\"access_token\":\"access-token-1\",\"token_type\":\"Bearer\",\"expires_in\":3600}"))
                .willSetStateTo("second"));
        API.stubFor(post(urlPathEqualTo("/oauth/token"))
                .inScenario("token")
                .whenScenarioStateIs("second")
                .willReturn(
                        json("{\"access_token\":\"access-token-2\",\"token_type\":\"Bearer\",\"expires_in\":3600}")));
    }

    @AfterEach
    void forgetSource() {
        forget(SOURCE, "fact_energy_hourly");
        sources.resetCircuit(SOURCE);
    }

    @Test
    void threePagesAreOneWindowAndATokenThatExpiresMidRunIsRenewedOnce() {
        page(1, "access-token-1", row(0, 1.0) + "," + row(1, 1.1));
        // the first token expires after page 1: the API refuses it, the source fetches a new one, once
        API.stubFor(get(urlPathEqualTo("/readings"))
                .withQueryParam("page", equalTo("2"))
                .withHeader("Authorization", equalTo("Bearer access-token-1"))
                .willReturn(aResponse().withStatus(401).withBody("{\"error\":\"invalid_token\"}")));
        page(2, "access-token-2", row(2, 1.2) + "," + row(3, 1.3));
        page(3, "access-token-2", row(4, 1.4));

        runner.run(SOURCE);

        List<Map<String, Object>> batches = batchesOf(SOURCE);
        assertThat(batches).singleElement().satisfies(b -> {
            assertThat(b).containsEntry("status", "LOADED").containsEntry("rows_loaded", 5L);
            assertThat(b.get("source_uri").toString()).doesNotContain("token");
        });
        assertThat(jdbc.queryForList(
                        "SELECT energy_kwh FROM fact_energy_hourly WHERE device_id = ? ORDER BY ts",
                        Double.class,
                        DEVICE))
                .containsExactly(1.0, 1.1, 1.2, 1.3, 1.4);
        assertThat(cursor(SOURCE, DEVICE)).contains(hour.plusSeconds(4 * 3600));
        API.verify(
                2,
                postRequestedFor(urlPathEqualTo("/oauth/token"))
                        .withRequestBody(containing("grant_type=password"))
                        .withHeader("Authorization", containing("Basic ")));
        API.verify(
                1,
                getRequestedFor(urlPathEqualTo("/readings"))
                        .withQueryParam("size", equalTo("2"))
                        .withQueryParam("page", equalTo("3")));
    }

    @Test
    void aServerErrorTwiceThenSuccessIsRetriedAndLoaded() {
        API.stubFor(get(urlPathEqualTo("/readings"))
                .inScenario("flaky")
                .whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(500).withBody("internal error"))
                .willSetStateTo("failed once"));
        API.stubFor(get(urlPathEqualTo("/readings"))
                .inScenario("flaky")
                .whenScenarioStateIs("failed once")
                .willReturn(aResponse().withStatus(503).withBody("unavailable"))
                .willSetStateTo("recovered"));
        API.stubFor(get(urlPathEqualTo("/readings"))
                .inScenario("flaky")
                .whenScenarioStateIs("recovered")
                .willReturn(json(data(row(0, 2.0)))));

        runner.run(SOURCE);

        assertThat(batchesOf(SOURCE)).singleElement().satisfies(b -> assertThat(b)
                .containsEntry("status", "LOADED"));
        assertThat(deadLettersOf(SOURCE)).isEmpty();
        assertThat(cursor(SOURCE, DEVICE)).contains(hour);
        API.verify(3, getRequestedFor(urlPathEqualTo("/readings")));
    }

    @Test
    void tooManyRequestsWaitsAsRetryAfterSaysThenLoads() {
        API.stubFor(get(urlPathEqualTo("/readings"))
                .inScenario("busy")
                .whenScenarioStateIs(STARTED)
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("Retry-After", "1")
                        .withBody("slow down"))
                .willSetStateTo("free"));
        API.stubFor(get(urlPathEqualTo("/readings"))
                .inScenario("busy")
                .whenScenarioStateIs("free")
                .willReturn(json(data(row(0, 3.0)))));

        runner.run(SOURCE);

        assertThat(batchesOf(SOURCE)).singleElement().satisfies(b -> assertThat(b)
                .containsEntry("status", "LOADED"));
        List<LoggedRequest> requests = API.findAll(getRequestedFor(urlPathEqualTo("/readings")));
        assertThat(requests).hasSize(2);
        // Retry-After: 1 is honoured over the 100 ms back-off the tests configure
        assertThat(requests.get(1).getLoggedDate().getTime()
                        - requests.get(0).getLoggedDate().getTime())
                .isGreaterThanOrEqualTo(1000);
    }

    @Test
    void aReadTimeoutIsRetriedThenDeadLetteredAndTheCursorStays() throws java.io.IOException {
        cursors.advance(SOURCE, DEVICE, hour.minusSeconds(3600));
        API.stubFor(get(urlPathEqualTo("/readings"))
                .willReturn(json(data(row(0, 4.0))).withFixedDelay(3000))); // test.paged waits 2 s

        runner.run(SOURCE);

        assertThat(batchesOf(SOURCE)).singleElement().satisfies(b -> {
            assertThat(b).containsEntry("status", "FAILED");
            assertThat(b.get("error").toString()).contains("SocketTimeoutException");
        });
        assertThat(deadLettersOf(SOURCE)).singleElement().satisfies(d -> assertThat(
                        d.get("payload_ref").toString())
                .contains("GET http://127.0.0.1:" + API.port() + "/readings?device=it-http-1"));
        API.verify(5, getRequestedFor(urlPathEqualTo("/readings"))); // 1 + 4 redeliveries
        assertThat(cursor(SOURCE, DEVICE)).contains(hour.minusSeconds(3600));
        HttpSources.SourceState state = sources.states().get(SOURCE);
        assertThat(state.consecutiveFailures()).isPositive();
        assertThat(state.lastError()).contains("FAILED").contains("SocketTimeoutException");

        // the failure stopped nothing else: a file dropped now is loaded, and the next run starts from the cursor
        String device = newDeviceId();
        drop("energy_hourly", device + "-hourly.csv", "Date and Time,Hourly\n2026-01-01 10:00:00,1.5\n");
        cleanUp(awaitBatch("energy_hourly", device + "-hourly.csv"));
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM fact_energy_hourly WHERE device_id = ?", Integer.class, device))
                .isEqualTo(1);
        API.resetRequests();
        API.stubFor(get(urlPathEqualTo("/readings")).willReturn(json(data(row(0, 4.0)))));
        runner.run(SOURCE);
        API.verify(getRequestedFor(urlPathEqualTo("/readings"))
                .withQueryParam("from", equalTo(hour.minusSeconds(3600).toString())));
        assertThat(sources.states().get(SOURCE).consecutiveFailures()).isZero();
        assertThat(cursor(SOURCE, DEVICE)).contains(hour);
    }

    @Test
    void malformedJsonIsDeadLetteredAtOnceWithTheRequestAndAnExcerpt() {
        API.stubFor(get(urlPathEqualTo("/readings")).willReturn(json("{\"data\": [{\"time\": \"2026-01-0")));

        runner.run(SOURCE);

        assertThat(batchesOf(SOURCE)).singleElement().satisfies(b -> {
            assertThat(b).containsEntry("status", "REJECTED");
            assertThat(b.get("error").toString()).contains("malformed JSON");
        });
        assertThat(deadLettersOf(SOURCE)).singleElement().satisfies(d -> {
            assertThat(d.get("error_class")).isEqualTo("io.camelingestor.core.InputRejectedException");
            assertThat(d.get("payload_ref").toString())
                    .contains("/readings?device=it-http-1")
                    .contains("2026-01-0");
        });
        API.verify(1, getRequestedFor(urlPathEqualTo("/readings"))); // no retry
        assertThat(cursor(SOURCE, DEVICE)).isEmpty();
    }

    @Test
    void aBodyOfTheWrongShapeOrAClientErrorIsRejectedAndTheNextRunStartsFromTheSameCursor() {
        cursors.advance(SOURCE, DEVICE, hour.minusSeconds(7200));
        API.stubFor(get(urlPathEqualTo("/readings")).willReturn(json("{\"items\": []}")));

        runner.run(SOURCE);

        assertThat(batchesOf(SOURCE)).singleElement().satisfies(b -> {
            assertThat(b).containsEntry("status", "REJECTED");
            assertThat(b.get("error").toString()).contains("not the expected shape");
        });
        assertThat(cursor(SOURCE, DEVICE)).contains(hour.minusSeconds(7200));

        API.stubFor(get(urlPathEqualTo("/readings"))
                .willReturn(aResponse().withStatus(404).withBody("no such device")));
        runner.run(SOURCE);
        assertThat(batchesOf(SOURCE)).hasSize(2).last().satisfies(b -> assertThat(
                        b.get("error").toString())
                .contains("HTTP 404")
                .contains("no such device"));
        // both runs asked from the same, unchanged cursor
        API.verify(
                2,
                getRequestedFor(urlPathEqualTo("/readings"))
                        .withQueryParam("page", equalTo("1"))
                        .withQueryParam("from", equalTo(hour.minusSeconds(7200).toString()))
                        .withHeader("Authorization", equalTo("Bearer access-token-1")));

        API.stubFor(get(urlPathEqualTo("/readings")).willReturn(json(data(row(0, 5.0)))));
        runner.run(SOURCE);
        assertThat(batchesOf(SOURCE)).hasSize(3).last().satisfies(b -> assertThat(b)
                .containsEntry("status", "LOADED"));
        assertThat(cursor(SOURCE, DEVICE)).contains(hour);
    }

    @Test
    void aGapLongerThanTheMaximumWindowIsFetchedAsSeveralWindowsOldestFirst() {
        Instant tenDaysAgo = Instant.now().minus(10, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        cursors.advance(SOURCE, DEVICE, tenDaysAgo);
        // each window answers with one record at its end
        API.stubFor(get(urlPathEqualTo("/readings"))
                .willReturn(json("{\"data\":[{\"time\":\"{{request.query.to}}\",\"hourly_consumption\":7.0}]}")
                        .withTransformers("response-template")));

        runner.run(SOURCE);

        List<LoggedRequest> requests = API.findAll(getRequestedFor(urlPathEqualTo("/readings")));
        assertThat(requests).hasSize(4); // 10 days in windows of at most 3
        assertThat(requests.get(0).queryParameter("from").firstValue()).isEqualTo(tenDaysAgo.toString());
        for (int i = 1; i < requests.size(); i++) {
            assertThat(requests.get(i).queryParameter("from").firstValue())
                    .isEqualTo(requests.get(i - 1).queryParameter("to").firstValue());
        }
        assertThat(batchesOf(SOURCE)).hasSize(4).allSatisfy(b -> assertThat(b).containsEntry("status", "LOADED"));
        assertThat(cursor(SOURCE, DEVICE))
                .contains(Instant.parse(requests.get(3).queryParameter("to").firstValue()));
    }

    @Test
    void aWindowAlreadyLoadedIsADuplicateAndTheWindowsAfterItStillLoad() {
        Instant threeDaysAgo = hour.minus(2, ChronoUnit.DAYS);
        String loadedBefore = data("{\"time\":\"" + threeDaysAgo + "\",\"hourly_consumption\":8.0}");
        API.stubFor(get(urlPathEqualTo("/readings")).willReturn(json(loadedBefore)));
        runner.run(SOURCE);
        assertThat(batchesOf(SOURCE)).singleElement().satisfies(b -> assertThat(b)
                .containsEntry("status", "LOADED"));

        // an operator moves the cursor back a day to fetch again: the first window answers what was loaded
        // already, the second something new
        jdbc.update(
                "UPDATE api_fetch_cursor SET last_ts = ? WHERE source_id = ?",
                java.sql.Timestamp.from(threeDaysAgo.minus(1, ChronoUnit.DAYS)),
                SOURCE);
        API.stubFor(get(urlPathEqualTo("/readings"))
                .inScenario("again")
                .whenScenarioStateIs(STARTED)
                .willReturn(json(loadedBefore))
                .willSetStateTo("second window"));
        API.stubFor(get(urlPathEqualTo("/readings"))
                .inScenario("again")
                .whenScenarioStateIs("second window")
                .willReturn(json(data(row(0, 9.0)))));

        runner.run(SOURCE);

        assertThat(batchesOf(SOURCE)).extracting(b -> b.get("status")).containsExactly("LOADED", "DUPLICATE", "LOADED");
        assertThat(cursor(SOURCE, DEVICE)).contains(hour);
    }

    @Test
    void aWindowThatFailsLeavesTheLaterWindowsForTheNextRun() {
        Instant tenDaysAgo = Instant.now().minus(10, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        cursors.advance(SOURCE, DEVICE, tenDaysAgo);
        // window 1 loads; window 2's only record breaks the mapping's constraint (energy_kwh >= 0), so the
        // pipeline rejects it; windows 3 and 4 must not be fetched, or the cursor would pass window 2
        API.stubFor(get(urlPathEqualTo("/readings"))
                .inScenario("gap")
                .whenScenarioStateIs(STARTED)
                .willReturn(json("{\"data\":[{\"time\":\"{{request.query.to}}\",\"hourly_consumption\":7.0}]}")
                        .withTransformers("response-template"))
                .willSetStateTo("bad window"));
        API.stubFor(get(urlPathEqualTo("/readings"))
                .inScenario("gap")
                .whenScenarioStateIs("bad window")
                .willReturn(json("{\"data\":[{\"time\":\"{{request.query.to}}\",\"hourly_consumption\":-7.0}]}")
                        .withTransformers("response-template")));

        runner.run(SOURCE);

        List<LoggedRequest> requests = API.findAll(getRequestedFor(urlPathEqualTo("/readings")));
        assertThat(requests).hasSize(2);
        assertThat(batchesOf(SOURCE)).extracting(b -> b.get("status")).containsExactly("LOADED", "REJECTED");
        assertThat(cursor(SOURCE, DEVICE))
                .contains(Instant.parse(requests.get(0).queryParameter("to").firstValue()));
    }

    @Test
    void aWindowThatFailedInThePipelineIsReplayedFromItsKeptRecordsOnceFixed(@LocalServerPort int port)
            throws Exception {
        page(1, "access-token-1", row(0, 6.0) + "," + row(1, 7.5));
        page(2, "access-token-1", "");
        jdbc.execute("ALTER TABLE staging_energy_hourly RENAME TO staging_energy_hourly_away");
        try {
            runner.run(SOURCE); // the database fails under the pipeline: retried, then FAILED
        } finally {
            jdbc.execute("ALTER TABLE staging_energy_hourly_away RENAME TO staging_energy_hourly");
        }
        int requests = API.findAll(getRequestedFor(urlPathEqualTo("/readings"))).size();
        Map<String, Object> failed = batchesOf(SOURCE).get(0);
        assertThat(failed).containsEntry("status", "FAILED");
        Map<String, Object> letter = deadLettersOf(SOURCE).get(0);
        java.nio.file.Path kept = java.nio.file.Path.of((String) letter.get("payload_ref"));
        assertThat(kept).exists().hasFileName(failed.get("id") + ".json");
        assertThat(kept.getParent()).endsWith(java.nio.file.Path.of("rejected", "http", SOURCE));
        assertThat(cursor(SOURCE, DEVICE)).isEmpty();

        var replay = new io.camelingestor.web.Http(port)
                .post("/api/dead-letters/" + letter.get("id") + "/replay", io.camelingestor.web.Http.ADMIN);

        assertThat(replay.status()).isEqualTo(202);
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(30))
                .until(() -> last(batchesOf(SOURCE)).get("status").equals("LOADED"));
        Map<String, Object> loaded = last(batchesOf(SOURCE));
        assertThat(loaded.get("input_id")).isEqualTo(failed.get("input_id")); // exactly the same window
        assertThat(loaded.get("sha256")).isEqualTo(failed.get("sha256"));
        assertThat(loaded).containsEntry("rows_loaded", 2L);
        assertThat(jdbc.queryForObject(
                        "SELECT replay_batch_id FROM dead_letter WHERE id = ?", java.util.UUID.class, letter.get("id")))
                .isEqualTo(loaded.get("id"));
        assertThat(cursor(SOURCE, DEVICE)).contains(hour.plusSeconds(3600)); // moved by the replayed load
        assertThat(API.findAll(getRequestedFor(urlPathEqualTo("/readings")))).hasSize(requests); // not fetched again
        assertThat(kept).doesNotExist();
    }

    @Test
    void aKeptWindowIsNotReplayedOverTheRowsALaterRunLoaded(@LocalServerPort int port) throws Exception {
        page(1, "access-token-1", row(0, -1.0)); // out of range: no valid row, the window REJECTED and kept
        runner.run(SOURCE);
        assertThat(batchesOf(SOURCE)).singleElement().satisfies(b -> assertThat(b)
                .containsEntry("status", "REJECTED"));
        Map<String, Object> letter = deadLettersOf(SOURCE).get(0);
        // the cursor did not move: the next run fetches the same hour again, the API has it right now
        page(1, "access-token-1", row(0, 6.0));
        runner.run(SOURCE);
        assertThat(last(batchesOf(SOURCE))).containsEntry("status", "LOADED");
        assertThat(cursor(SOURCE, DEVICE)).contains(hour);

        var replay = new io.camelingestor.web.Http(port)
                .post("/api/dead-letters/" + letter.get("id") + "/replay", io.camelingestor.web.Http.ADMIN);

        // the kept records are older than what is loaded: replaying them would put -1.0 back over 6.0
        assertThat(replay.status()).isEqualTo(409);
        assertThat(replay.body()).contains("fetched again").contains(hour.toString());
        assertThat(batchesOf(SOURCE)).hasSize(2);
        assertThat(jdbc.queryForList(
                        "SELECT energy_kwh FROM fact_energy_hourly WHERE device_id = ? ORDER BY ts",
                        Double.class,
                        DEVICE))
                .containsExactly(6.0);
        assertThat(jdbc.queryForObject(
                        "SELECT replayed_at IS NULL FROM dead_letter WHERE id = ?", Boolean.class, letter.get("id")))
                .isTrue();
        assertThat(java.nio.file.Path.of((String) letter.get("payload_ref"))).exists(); // still there
    }

    @Test
    void afterThreeFailedRunsTheCircuitOpensScheduledRunsPauseAndARunNowClosesIt() throws Exception {
        API.stubFor(get(urlPathEqualTo("/readings"))
                .willReturn(aResponse().withStatus(404).withBody("no device")));
        for (int i = 0; i < 3; i++) {
            scheduledRun(); // as the timer fires it
        }
        int requests = API.findAll(getRequestedFor(urlPathEqualTo("/readings"))).size();
        assertThat(requests).isEqualTo(3);
        assertThat(sources.circuitState(SOURCE)).isEqualTo("open");
        // each failed run says so, with its error; none says it was skipped (it ran), the third that it opened
        assertThat(logged("http-source-fallback"))
                .hasSize(3)
                .allSatisfy(line -> assertThat(line)
                        .startsWith("HTTP source test.paged: the run counts as failed for its circuit")
                        .contains("answered HTTP 404")
                        .doesNotContain("skipped", "null"))
                .last()
                .satisfies(line -> assertThat(line).contains("circuit now OPEN"));

        scheduledRun();

        assertThat(API.findAll(getRequestedFor(urlPathEqualTo("/readings")))).hasSize(requests); // paused
        assertThat(logged("http-source-fallback")).hasSize(4).last().satisfies(line -> assertThat(line)
                .startsWith("HTTP source test.paged failed its last runs: its circuit is open and this"
                        + " scheduled run is skipped"));
        assertThat(batchesOf(SOURCE)).hasSize(3);
        assertThat(health.getForObject("/actuator/health/source-routes", String.class))
                .contains("\"circuit\":\"open\"");

        API.stubFor(get(urlPathEqualTo("/readings")).willReturn(json(data(row(0, 6.0)))));
        runner.run(SOURCE); // an operator's run goes through and, succeeding, closes the circuit

        assertThat(sources.circuitState(SOURCE)).isEqualTo("closed");
        assertThat(last(batchesOf(SOURCE))).containsEntry("status", "LOADED");
        sources.resetCircuit(SOURCE);
    }

    private void scheduledRun() {
        sources.fire(SOURCE, false); // as its trigger fires it: through the circuit
    }

    @Test
    void aRunWhileTheSourceIsRunningIsRefused() throws Exception {
        API.stubFor(get(urlPathEqualTo("/readings"))
                .willReturn(json(data(row(0, 6.0))).withFixedDelay(800)));
        var first = java.util.concurrent.CompletableFuture.supplyAsync(() -> runner.run(SOURCE));
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .until(() -> !API.findAll(getRequestedFor(urlPathEqualTo("/readings")))
                        .isEmpty());

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> runner.run(SOURCE))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("HTTP source test.paged is running already");

        assertThat(first.get(30, java.util.concurrent.TimeUnit.SECONDS).consecutiveFailures())
                .isZero();
        assertThat(batchesOf(SOURCE)).singleElement().satisfies(b -> assertThat(b)
                .containsEntry("status", "LOADED"));
        runner.run(SOURCE); // free again once the first run is over
    }

    private static <T> T last(List<T> list) {
        return list.get(list.size() - 1);
    }

    private void page(int page, String token, String rows) {
        API.stubFor(get(urlPathEqualTo("/readings"))
                .withQueryParam("page", equalTo(String.valueOf(page)))
                .withQueryParam("device", equalTo(DEVICE))
                .withHeader("Authorization", equalTo("Bearer " + token))
                .willReturn(json(data(rows))));
    }

    private String row(int hours, double kwh) {
        return "{\"time\":\"" + hour.plusSeconds(hours * 3600L) + "\",\"hourly_consumption\":" + kwh + "}";
    }

    private static String data(String rows) {
        return "{\"data\":[" + rows + "],\"meta\":{\"size\":2}}";
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
        return aResponse().withHeader("Content-Type", "application/json").withBody(body);
    }
}
