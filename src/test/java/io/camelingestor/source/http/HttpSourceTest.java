package io.camelingestor.source.http;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.camelingestor.IngestorIntegrationTest;
import io.camelingestor.batch.ApiCursors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the HTTP source tests: one WireMock server on loopback stands in for every API, the shipped
 * sources (and the test-only {@code test.paged}) point at it, and one Spring context (with its own data
 * directory and embedded PostgreSQL) is shared by all subclasses. Timers never fire (a day's delay): each test runs a source with {@link SourceRunner}. Every log
 * line of a test is captured, to check that no secret appears in any.
 */
abstract class HttpSourceTest extends IngestorIntegrationTest {

    static final WireMockServer API =
            new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());

    static final String TAGO_TOKEN = "tago-device-token-5ecret";
    static final String TEST_PASSWORD = "test-password-5ecret";
    static final String TEST_CLIENT_SECRET = "test-client-5ecret";
    static final String AIRBELD_PASSWORD = "airbeld-password-5ecret";
    static final String FUSIONSOLAR_SYSTEM_CODE = "fusionsolar-code-5ecret";
    static final List<String> SECRETS = List.of(
            TAGO_TOKEN,
            TEST_PASSWORD,
            TEST_CLIENT_SECRET,
            AIRBELD_PASSWORD,
            FUSIONSOLAR_SYSTEM_CODE,
            "access-token-1",
            "access-token-2",
            "airbeld-session-token",
            "xsrf-session-1",
            "xsrf-session-2");

    static final Path DATA_DIR = Path.of("target/it-data-http");

    static {
        // this context's own data folder (and database) starts empty once per test JVM, as the default one
        io.camelingestor.TestDataDir.delete(DATA_DIR);
        API.start();
    }

    @DynamicPropertySource
    static void apis(DynamicPropertyRegistry registry) throws IOException {
        String url = "http://127.0.0.1:" + API.port();
        Path devices = Path.of("target/it-http/tago-devices.yaml").toAbsolutePath();
        Files.createDirectories(devices.getParent());
        Files.writeString(devices, "devices:\n  - id: it-tago-1\n    token: ${TAGO_TOKEN_IT}\n");
        registry.add(
                "camel.main.routes-include-pattern",
                () -> "file:routes/**/*.yaml,file:src/test/resources/http-routes/*.yaml");
        // a context of its own (the sources configured) needs a database of its own: PostgreSQL locks its data
        // directory, and the default test context keeps its own open
        registry.add("ingestor.data-dir", DATA_DIR::toString);
        registry.add("ingestor.sources.initial-delay", () -> "86400000");
        registry.add("ingestor.http.redelivery-delay", () -> "100");
        registry.add("ingestor.sources.open-meteo.enabled", () -> "true");
        registry.add("OPEN_METEO_API_URL", () -> url);
        registry.add("OPEN_METEO_LATITUDE", () -> "37.98");
        registry.add("OPEN_METEO_LONGITUDE", () -> "23.73");
        registry.add("OPEN_METEO_DEVICE_ID", () -> "it-open-meteo");
        registry.add("TAGO_API_URL", () -> url);
        registry.add("TAGO_DEVICES_FILE", devices::toString);
        registry.add("TAGO_TOKEN_IT", () -> TAGO_TOKEN);
        registry.add("TAGO_PAGE_SIZE", () -> "2");
        registry.add("AIRBELD_API_URL", () -> url + "/airbeld/api/v1");
        registry.add("AIRBELD_EMAIL", () -> "it@example.org");
        registry.add("AIRBELD_PASSWORD", () -> AIRBELD_PASSWORD);
        registry.add("AIRBELD_DEVICES", () -> "it-airbeld-1");
        registry.add("FUSIONSOLAR_API_URL", () -> url);
        registry.add("FUSIONSOLAR_USER", () -> "it-user");
        registry.add("FUSIONSOLAR_SYSTEM_CODE", () -> FUSIONSOLAR_SYSTEM_CODE);
        registry.add("FUSIONSOLAR_STATION_CODES", () -> "NE=33554875");
        registry.add("FUSIONSOLAR_RATE_LIMIT", () -> "0");
        registry.add("TEST_API_URL", () -> url);
        registry.add("TEST_API_PASSWORD", () -> TEST_PASSWORD);
        registry.add("TEST_API_CLIENT_SECRET", () -> TEST_CLIENT_SECRET);
    }

    @Autowired
    protected SourceRunner runner;

    @Autowired
    protected ApiCursors cursors;

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void captureLogsAndReset() {
        API.resetAll();
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    }

    @AfterEach
    void noSecretInAnyLogLine() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        for (ILoggingEvent event : logs.list) {
            String line = event.getFormattedMessage()
                    + (event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy()));
            for (String secret : SECRETS) {
                if (line.contains(secret)) {
                    throw new AssertionError("a log line shows a secret: " + line);
                }
            }
        }
        // nor any stored error, report or URI
        for (String secret : SECRETS) {
            Integer found = jdbc.queryForObject(
                    """
                    SELECT (SELECT count(*) FROM ingest_batch WHERE concat(error, source_uri, metadata::text) LIKE ?)
                         + (SELECT count(*) FROM dead_letter WHERE concat(error_message, payload_ref) LIKE ?)
                    """,
                    Integer.class,
                    "%" + secret + "%",
                    "%" + secret + "%");
            if (found != null && found > 0) {
                throw new AssertionError("a stored batch or dead letter shows a secret");
            }
        }
        logs.stop();
        logs.list.clear();
    }

    /** The log lines captured so far in this test. */
    protected List<ILoggingEvent> logLines() {
        return List.copyOf(logs.list);
    }

    /** The messages captured so far in this test from one logger (a route's log EIP logs under its route id). */
    protected List<String> logged(String logger) {
        return logLines().stream()
                .filter(e -> e.getLoggerName().equals(logger))
                .map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    /** Removes everything a source left: rows, batches, dead letters, its cursors. */
    protected void forget(String sourceId, String table) {
        List<Object> ids = jdbc.queryForList("SELECT id FROM ingest_batch WHERE source_id = ?", Object.class, sourceId);
        for (Object id : ids) {
            for (String t : List.of(
                    table,
                    "staging_energy_hourly",
                    "staging_energy_daily",
                    "staging_environmental_metrics",
                    "staging_solar_station_hourly",
                    "staging_solar_station_daily",
                    "staging_solar_station_monthly",
                    "pipeline_execution",
                    "data_quality_check",
                    "dead_letter")) {
                jdbc.update("DELETE FROM " + t + " WHERE batch_id = ?", id);
            }
        }
        jdbc.update("DELETE FROM dead_letter WHERE source_id = ?", sourceId);
        jdbc.update("DELETE FROM ingest_batch WHERE source_id = ?", sourceId);
        jdbc.update("DELETE FROM api_fetch_cursor WHERE source_id = ?", sourceId);
    }

    protected List<Map<String, Object>> batchesOf(String sourceId) {
        return jdbc.queryForList("SELECT * FROM ingest_batch WHERE source_id = ? ORDER BY started_at", sourceId);
    }

    protected List<Map<String, Object>> deadLettersOf(String sourceId) {
        return jdbc.queryForList("SELECT * FROM dead_letter WHERE source_id = ? ORDER BY created_at", sourceId);
    }

    protected Optional<Instant> cursor(String sourceId, String deviceId) {
        return cursors.last(sourceId, deviceId);
    }
}
