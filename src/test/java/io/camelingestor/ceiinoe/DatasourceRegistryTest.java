package io.camelingestor.ceiinoe;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelingestor.datasource.DatasourceRegistry;
import io.camelingestor.datasource.DeviceCsvImport;
import io.camelingestor.source.http.Device;
import io.camelingestor.source.http.HttpSources;
import io.camelingestor.source.http.SourceRunner;
import io.camelingestor.web.Http;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The datasource registry: conf/datasources.yaml mirrored into the datasource table and read again when it
 * changes, the original's device CSV imported (idempotent, no token stored), unknown devices registered, the
 * HTTP sources fetching the registry's devices, and GET /api/datasources.
 */
class DatasourceRegistryTest extends CeiInoeTest {

    @Autowired
    DatasourceRegistry registry;

    @Autowired
    DeviceCsvImport csvImport;

    @Autowired
    HttpSources sources;

    @Autowired
    SourceRunner runner;

    @LocalServerPort
    int port;

    @AfterEach
    void restoreTheRegistry() throws Exception {
        writeRegistry(REGISTRY);
        registry.refresh();
        jdbc.update("DELETE FROM datasource WHERE origin = 'csv'");
    }

    @Test
    void theFileIsMirroredIntoTheDatasourceTable() {
        Map<String, Object> north = jdbc.queryForMap(
                "SELECT kind, alias, client, site, timezone, status, files::text AS files, origin FROM datasource"
                        + " WHERE external_id = 'station-north'");

        assertThat(north)
                .containsEntry("kind", "file")
                .containsEntry("alias", "North weather station")
                .containsEntry("client", "Farm A")
                .containsEntry("site", "North field")
                .containsEntry("timezone", "Europe/Athens")
                .containsEntry("status", "online")
                .containsEntry("origin", "registry");
        assertThat((String) north.get("files"))
                .contains("\"pattern\": \"^north-\"")
                .contains("environmental_metrics");
        assertThat(jdbc.queryForObject(
                        "SELECT credentials->>'token' FROM datasource WHERE external_id = 'reg-tago-1'", String.class))
                .isEqualTo("IT_REG_TAGO_TOKEN");
    }

    @Test
    void anEditIsInForceAtOnceAndABrokenEditIsRefusedKeepingThePrevious() throws Exception {
        writeRegistry(REGISTRY.replace("alias: North weather station", "alias: North station (renamed)"));

        // the datasources-watch route reads the edited file
        await().atMost(Duration.ofSeconds(30)).until(() -> "North station (renamed)"
                .equals(jdbc.queryForObject(
                        "SELECT alias FROM datasource WHERE external_id = 'station-north'", String.class)));

        String secret = "abc-secret-value-77";
        writeRegistry(REGISTRY.replace("{token: IT_REG_TAGO_TOKEN}", "{token: \"" + secret + " x\"}"));
        await().atMost(Duration.ofSeconds(30)).until(() -> registry.error() != null);

        assertThat(registry.error())
                .contains("reg-tago-1")
                .contains("must be the name of an environment variable")
                .doesNotContain(secret);
        assertThat(registry.forFile("north-1.csv", "environmental_metrics"))
                .hasValueSatisfying(d -> assertThat(d.alias()).isEqualTo("North station (renamed)"));
        assertThat(jdbc.queryForObject(
                        "SELECT credentials->>'token' FROM datasource WHERE external_id = 'reg-tago-1'", String.class))
                .isEqualTo("IT_REG_TAGO_TOKEN");
        JsonNode api = new Http(port).get("/api/datasources", Http.VIEWER).json();
        assertThat(api.path("error").asText()).contains("reg-tago-1");
    }

    @Test
    void theApiListsDatasourcesWithTheNamesOfTheirCredentialsOnly() throws Exception {
        Http.Response response = new Http(port).get("/api/datasources", Http.VIEWER);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).doesNotContain(REGISTRY_TAGO_TOKEN);
        JsonNode tago = null;
        for (JsonNode d : response.json().path("datasources")) {
            if (d.path("externalId").asText().equals("reg-tago-1")) {
                tago = d;
            }
        }
        assertThat(tago).isNotNull();
        assertThat(tago.path("kind").asText()).isEqualTo("tago");
        assertThat(tago.path("credentials").path("token").asText()).isEqualTo("IT_REG_TAGO_TOKEN");
        assertThat(tago.path("credentialsSet").path("token").asBoolean()).isTrue();
        assertThat(new Http(port).get("/api/datasources", null).status()).isEqualTo(401);
    }

    @Test
    void theOriginalsDeviceCsvIsImportedOnceWithoutItsTokens() throws Exception {
        Path csv = Path.of("target/it-ceiinoe/devices.csv");
        // generic_device, as the original's compose file seeds it (\copy ... CSV HEADER)
        Files.writeString(
                csv,
                """
                device_id,device_type,alias,client,description,status,timezone,metadata
                csv-meter-1,energy,Barn meter,Farm A,Main barn,online,Europe/Athens,"{""name"": ""Barn"", ""device_token"": ""tok-5ecret-1""}"
                csv-station-1,weather,Yard station,Farm A,,online,UTC,"{""location"": ""yard""}"
                station-north,weather,Should not win,Farm Z,,offline,UTC,{}
                """);

        assertThat(csvImport.importCsv(csv)).isEqualTo(3);
        List<Timestamp> firstRun = jdbc.queryForList(
                "SELECT updated_at FROM datasource WHERE origin = 'csv' ORDER BY external_id", Timestamp.class);
        assertThat(csvImport.importCsv(csv)).isEqualTo(3);

        assertThat(jdbc.queryForList(
                        "SELECT updated_at FROM datasource WHERE origin = 'csv' ORDER BY external_id", Timestamp.class))
                .isEqualTo(firstRun)
                .hasSize(2);
        Map<String, Object> meter = jdbc.queryForMap(
                "SELECT kind, alias, client, timezone, metadata::text AS metadata, credentials->>'token' AS token"
                        + " FROM datasource WHERE external_id = 'csv-meter-1'");
        assertThat(meter)
                .containsEntry("kind", "tago")
                .containsEntry("alias", "Barn meter")
                .containsEntry("timezone", "Europe/Athens")
                .containsEntry("token", "TAGO_TOKEN_CSV_METER_1");
        assertThat((String) meter.get("metadata"))
                .contains("\"device_type\": \"energy\"")
                .contains("Barn");
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM datasource WHERE datasource::text LIKE '%5ecret%'", Long.class))
                .isZero();
        assertThat(jdbc.queryForObject("SELECT kind FROM datasource WHERE external_id = 'csv-station-1'", String.class))
                .isEqualTo("airbeld");
        // a datasource of datasources.yaml stays as the file says
        assertThat(jdbc.queryForObject(
                        "SELECT alias FROM datasource WHERE external_id = 'station-north'", String.class))
                .isEqualTo("North weather station");

        // the older device table's shape (device_id, device_token, device_name, client, alias)
        Files.writeString(
                csv,
                "device_id,device_token,device_name,client,alias\ncsv-meter-2,tok-5ecret-2,Silo,Farm B,Silo meter\n");
        assertThat(csvImport.importCsv(csv)).isEqualTo(1);
        assertThat(jdbc.queryForMap(
                        "SELECT kind, credentials->>'token' AS token, metadata->>'name' AS name FROM datasource"
                                + " WHERE external_id = 'csv-meter-2'"))
                .containsEntry("kind", "tago")
                .containsEntry("token", "TAGO_TOKEN_CSV_METER_2")
                .containsEntry("name", "Silo");
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM datasource WHERE datasource::text LIKE '%5ecret%'", Long.class))
                .isZero();
    }

    @Test
    void aDeviceTheRegistryDoesNotKnowIsRegisteredAsUnknownAndReferencedByItsBatch() throws Exception {
        String device = newDeviceId();
        String name = device + "-hourly.csv";
        drop("energy_hourly", name, "Date and Time,Hourly\n2025-07-01T00:00:00,1\n");

        Map<String, Object> batch = awaitBatch("energy_hourly", name);
        cleanUp(batch);

        assertThat(batch).containsEntry("status", "LOADED");
        assertThat(jdbc.queryForMap("SELECT kind, origin FROM datasource WHERE external_id = ?", device))
                .containsEntry("kind", "unknown")
                .containsEntry("origin", "unregistered");
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM ingest_batch b JOIN datasource d ON d.external_id = b.device_id WHERE b.id = ?",
                        Long.class,
                        batch.get("id")))
                .isEqualTo(1L);
    }

    @Test
    void tagoDevicesComeFromTheRegistryWithTheirTokenVariable() {
        var spec = sources.spec("tago.hourly");

        // TAGO_DEVICES_FILE names no file: the registry's tago datasources are enough
        assertThat(sources.configurationProblem(spec)).isNull();
        assertThat(sources.devices(spec)).containsExactly(new Device("reg-tago-1", REGISTRY_TAGO_TOKEN));
        // airbeld needs no AIRBELD_DEVICES either; an offline station is not fetched
        assertThat(sources.configurationProblem(sources.spec("airbeld"))).isNull();
        assertThat(sources.devices(sources.spec("airbeld")))
                .extracting(Device::id)
                .containsExactly("reg-airbeld-1");
    }

    @Test
    void airbeldFetchesTheRegistryStationsAndMapsTheOriginalsSensorNames() {
        API.resetAll();
        API.stubFor(post(urlPathEqualTo("/airbeld/api/v1/auth/token/"))
                .willReturn(json("{\"accessToken\":\"ceiinoe-airbeld-session\",\"refreshToken\":\"r\"}")));
        String day = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();
        API.stubFor(get(urlPathEqualTo("/airbeld/api/v1/devices/reg-airbeld-1/readings_by_date/"))
                .withHeader("Authorization", equalTo("Bearer ceiinoe-airbeld-session"))
                .willReturn(json(
                        """
                        {"device":"reg-airbeld-1","sensors":{
                          "temperature":{"values":[{"timestamp":"%1$sT10:00:00Z","value":18.4}]},
                          "atm_pressure":{"values":[{"timestamp":"%1$sT10:00:00Z","value":1013.2}]},
                          "noise_level_db":{"values":[{"timestamp":"%1$sT10:00:00Z","value":41.5}]},
                          "wind_direction":{"values":[{"timestamp":"%1$sT10:00:00Z","value":5}]},
                          "wind_angle":{"values":[{"timestamp":"%1$sT10:00:00Z","value":225}]}}}
                        """
                                .formatted(day))));

        runner.run("airbeld");

        List<Map<String, Object>> batches =
                jdbc.queryForList("SELECT id, status, device_id FROM ingest_batch WHERE source_id = 'airbeld'");
        batches.forEach(this::cleanUp);
        assertThat(batches).singleElement().satisfies(b -> assertThat(b)
                .containsEntry("status", "LOADED")
                .containsEntry("device_id", "reg-airbeld-1"));
        assertThat(
                        jdbc.queryForMap(
                                "SELECT atm_pressure::text AS p, noise_level_db::text AS n, wind_direction_sectors::text AS s,"
                                        + " wind_angle::text AS a FROM environmental_metrics WHERE device_id = 'reg-airbeld-1'"))
                .containsEntry("p", "1013.20")
                .containsEntry("n", "41.50")
                .containsEntry("s", "5.00")
                .containsEntry("a", "225.00");
        API.verify(0, getRequestedFor(urlPathMatching(".*/reg-airbeld-off/.*")));
        jdbc.update("DELETE FROM api_fetch_cursor WHERE source_id = 'airbeld'");
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
        return aResponse().withHeader("Content-Type", "application/json").withBody(body);
    }

    private static void writeRegistry(String text) throws Exception {
        Path file = CONF.resolve("datasources.yaml");
        FileTime before = Files.getLastModifiedTime(file);
        Files.writeString(file, text);
        // a change the watcher sees even where the file system keeps whole seconds
        Files.setLastModifiedTime(
                file,
                FileTime.from(
                        before.toInstant().plusSeconds(1).isAfter(Instant.now())
                                ? before.toInstant().plusSeconds(1)
                                : Instant.now()));
    }
}
