package io.camelingestor.ceiinoe;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.zaxxer.hikari.HikariDataSource;
import io.camelingestor.IngestorIntegrationTest;
import io.camelingestor.TestDataDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Base of the tests of a CEI-InOE takeover: one context of its own (data folder, database) whose mappings folder
 * holds the original's mapping files verbatim, copied at test time from {@code ../shared/original/} over the
 * project's, and whose datasource registry ({@code conf/datasources.yaml}) is the one below. WireMock on loopback
 * stands in for Airbeld.
 */
// the original's variable names, as a CEI-InOE deployment sets them (CeiInoeSettings maps them): in-lined
// properties are in the environment before the EnvironmentPostProcessors run (dynamic ones come later)
@TestPropertySource(properties = {"MAPPINGS_DIR=target/it-ceiinoe/mappings", "CONF_DIR=target/it-ceiinoe/conf"})
abstract class CeiInoeTest extends IngestorIntegrationTest {

    /** The snapshot of the original repository, beside the project (CI has it there too). */
    static final Path ORIGINAL = Path.of("../shared/original");

    static final Path ORIGINAL_MAPPINGS = ORIGINAL.resolve("ingestor/app/mappings");
    static final Path WIKI = Path.of("../shared/seeds/000_5cfc3ffd3d4a14b4.txt");

    static final Path DATA_DIR = Path.of("target/it-data-ceiinoe");
    static final Path MAPPINGS = Path.of("target/it-ceiinoe/mappings");
    static final Path CONF = Path.of("target/it-ceiinoe/conf");

    static final String AIRBELD_PASSWORD = "airbeld-password-ceiinoe-5ecret";
    static final String REGISTRY_TAGO_TOKEN = "registry-tago-token-5ecret";

    static final WireMockServer API =
            new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());

    static final String REGISTRY =
            """
            # the registry of the CEI-InOE takeover tests
            datasources:
              - external_id: station-north
                kind: file
                alias: North weather station
                client: Farm A
                site: North field
                timezone: Europe/Athens
                files: {pattern: '^north-', dataset: environmental_metrics}
              - external_id: station-south
                kind: file
                files: {pattern: '^south-'}
              - external_id: herd-a
                kind: file
                files: {pattern: '^herd-a', dataset: dairy_production}
              - external_id: reg-airbeld-1
                kind: airbeld
                alias: Registry station
                status: online
              - external_id: reg-airbeld-off
                kind: airbeld
                status: offline
              - external_id: reg-tago-1
                kind: tago
                credentials: {token: IT_REG_TAGO_TOKEN}
            """;

    static {
        TestDataDir.delete(DATA_DIR);
        TestDataDir.delete(MAPPINGS.getParent());
        try {
            Files.createDirectories(MAPPINGS);
            Files.createDirectories(CONF);
            // the project's mappings (the API sources need theirs), then the original's verbatim over them
            copyYaml(Path.of("mappings"), MAPPINGS);
            copyYaml(ORIGINAL_MAPPINGS, MAPPINGS);
            // the wiki's mapping example, as the wiki prints it, under a name of its own
            Files.writeString(MAPPINGS.resolve("wiki_energy_hourly.yaml"), wikiMapping());
            Files.writeString(CONF.resolve("datasources.yaml"), REGISTRY);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        API.start();
    }

    @DynamicPropertySource
    static void ceiInoe(DynamicPropertyRegistry registry) {
        String url = "http://127.0.0.1:" + API.port();
        // a context of its own needs a database of its own (PostgreSQL locks its data directory)
        registry.add("ingestor.data-dir", DATA_DIR::toString);
        registry.add("ingestor.sources.initial-delay", () -> "86400000");
        registry.add("ingestor.http.redelivery-delay", () -> "100");
        registry.add("AIRBELD_API_URL", () -> url + "/airbeld/api/v1");
        registry.add("AIRBELD_EMAIL", () -> "ceiinoe@example.org");
        registry.add("AIRBELD_PASSWORD", () -> AIRBELD_PASSWORD);
        registry.add("TAGO_API_URL", () -> url);
        registry.add("TAGO_DEVICES_FILE", () -> "target/it-ceiinoe/no-such-tago-devices.yaml");
        registry.add("IT_REG_TAGO_TOKEN", () -> REGISTRY_TAGO_TOKEN);
    }

    /**
     * A database of its own on this test's PostgreSQL, with the original's schema built by its own migrations
     * ({@code ../shared/original/db/migrations/V*.sql}, in order); dropped by {@link #dropDatabase}.
     */
    Connection createOriginalDatabase(javax.sql.DataSource dataSource, String name) throws Exception {
        jdbc.execute("CREATE DATABASE " + name);
        HikariDataSource hikari = (HikariDataSource) dataSource;
        Connection connection =
                DriverManager.getConnection(url(hikari, name), hikari.getUsername(), hikari.getPassword());
        List<Path> migrations;
        try (Stream<Path> files = Files.list(ORIGINAL.resolve("db/migrations"))) {
            migrations = files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql"))
                    .sorted()
                    .toList();
        }
        if (migrations.size() < 9) {
            throw new IllegalStateException("the original's migrations are not all there: " + migrations);
        }
        try (Statement statement = connection.createStatement()) {
            for (Path migration : migrations) {
                statement.execute(Files.readString(migration));
            }
        }
        return connection;
    }

    /** The JDBC URL of another database on the same server. */
    static String url(HikariDataSource hikari, String database) {
        return hikari.getJdbcUrl().replaceFirst("/[A-Za-z0-9_]+(\\?|$)", "/" + database + "$1");
    }

    void dropDatabase(Connection connection, String name) throws Exception {
        if (connection != null) {
            connection.close();
        }
        jdbc.execute("DROP DATABASE IF EXISTS " + name);
    }

    private static void copyYaml(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** The YAML of the wiki's "YAML Mapping Example", cut out of the wiki text as it stands. */
    static String wikiMapping() throws IOException {
        String wiki = Files.readString(WIKI);
        int start = wiki.indexOf("dataset: energy_hourly", wiki.indexOf("YAML Mapping Example"));
        int end = wiki.indexOf("Adding a New Connector", start);
        return wiki.substring(start, end);
    }
}
