package io.camelingestor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * CEI-InOE's settings, given as environment variables or in a .env file, become this service's properties, and a
 * property of this service set explicitly wins over its CEI-InOE name.
 */
class CeiInoeSettingsTest {

    @TempDir
    Path dir;

    /** An environment as Spring builds it: the given variables, then application.properties-like defaults. */
    private StandardEnvironment environment(Map<String, Object> variables) {
        StandardEnvironment env = new StandardEnvironment();
        var sources = env.getPropertySources();
        Map<String, Object> withDotEnv = new LinkedHashMap<>(variables);
        withDotEnv.putIfAbsent("ingestor.dotenv", dir.resolve(".env").toString());
        sources.replace(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, withDotEnv));
        sources.addLast(new MapPropertySource(
                "application.properties",
                Map.of(
                        "ingestor.mappings-dir",
                        "./mappings",
                        "ingestor.data-dir",
                        "./data",
                        "ingestor.conf-dir",
                        "./conf")));
        new CeiInoeSettings().postProcessEnvironment(env, new SpringApplication());
        return env;
    }

    @Test
    void everyOriginalSettingMapsOntoAPropertyOfThisService() {
        StandardEnvironment env = environment(Map.of(
                "DB_DSN", "postgres://ocei:p%40ss:w0rd@db.internal:5433/ocei3?sslmode=require",
                "WATCH_DIR", "/data/incoming",
                "PROCESSED_DIR", "/data/processed",
                "REJECTED_DIR", "/data/rejected",
                "MAPPINGS_DIR", "/app/mappings",
                "CONF_DIR", "/app/conf",
                "FILE_POLL_INTERVAL", "5",
                "FILE_STABLE_SECONDS", "3",
                "NUM_WORKERS", "4",
                "QUEUE_MAX_SIZE", "100"));

        assertThat(env.getProperty("spring.datasource.url"))
                .isEqualTo("jdbc:postgresql://db.internal:5433/ocei3?sslmode=require");
        assertThat(env.getProperty("spring.datasource.username")).isEqualTo("ocei");
        assertThat(env.getProperty("spring.datasource.password")).isEqualTo("p@ss:w0rd");
        assertThat(env.getProperty("ingestor.watch-dir")).isEqualTo("/data/incoming");
        assertThat(env.getProperty("ingestor.processed-dir")).isEqualTo("/data/processed");
        assertThat(env.getProperty("ingestor.rejected-dir")).isEqualTo("/data/rejected");
        assertThat(env.getProperty("ingestor.mappings-dir")).isEqualTo("/app/mappings"); // over application.properties
        assertThat(env.getProperty("ingestor.conf-dir")).isEqualTo("/app/conf");
        assertThat(env.getProperty("ingestor.files.poll-delay")).isEqualTo("5000");
        assertThat(env.getProperty("ingestor.files.stable-for")).isEqualTo("3000");
        assertThat(env.getProperty("ingestor.workers")).isEqualTo("4");
        assertThat(env.getProperty("ingestor.queue-max-size")).isEqualTo("100");
        // and the service's own properties bind them
        IngestorProperties properties =
                Binder.get(env).bind("ingestor", IngestorProperties.class).get();
        assertThat(properties.watchDir()).isEqualTo(Path.of("/data/incoming"));
        assertThat(properties.inbound("auto")).isEqualTo(Path.of("/data/incoming"));
        assertThat(properties.processed("energy_hourly")).isEqualTo(Path.of("/data/processed/energy_hourly"));
        assertThat(properties.rejected("energy_hourly")).isEqualTo(Path.of("/data/rejected/energy_hourly"));
        assertThat(properties.mappingsDir()).isEqualTo(Path.of("/app/mappings"));
    }

    @Test
    void aPropertyOfThisServiceSetExplicitlyWinsOverItsOriginalName() {
        StandardEnvironment env =
                environment(Map.of("MAPPINGS_DIR", "/app/mappings", "INGESTOR_MAPPINGS_DIR", "/srv/mappings"));

        assertThat(env.getProperty("ingestor.mappings-dir")).isEqualTo("/srv/mappings");
    }

    @Test
    void theDotEnvFileIsReadBelowTheRealEnvironment() throws Exception {
        Files.writeString(
                dir.resolve(".env"),
                """
                # CEI-InOE .env
                DB_DSN=postgresql://ingest:secret@pg:5432/ocei3
                export LOG_LEVEL=WARNING
                NUM_WORKERS="3"
                FUSIONSOLAR_API_URL=https://intl.fusionsolar.huawei.com/thirdData
                TAGO_LOOKBACK_DAYS=14 # two weeks
                """);

        StandardEnvironment env = environment(Map.of("NUM_WORKERS", "6"));

        assertThat(env.getProperty("spring.datasource.url")).isEqualTo("jdbc:postgresql://pg:5432/ocei3");
        assertThat(env.getProperty("spring.datasource.password")).isEqualTo("secret");
        assertThat(env.getProperty("logging.level.io.camelingestor")).isEqualTo("WARN");
        assertThat(env.getProperty("ingestor.workers")).isEqualTo("6"); // the real environment wins
        assertThat(env.getProperty("TAGO_LOOKBACK_DAYS")).isEqualTo("14");
        // as documented (ending in /thirdData): the routes add /thirdData/... themselves
        assertThat(env.getProperty("FUSIONSOLAR_API_URL")).isEqualTo("https://intl.fusionsolar.huawei.com");
    }

    @Test
    void theOriginalsDefaultsApplyWhereTheyDiffer() {
        StandardEnvironment env = environment(Map.of());

        assertThat(env.getProperty("FUSIONSOLAR_LOOKBACK_DAYS")).isEqualTo("30");
        assertThat(env.getProperty("spring.datasource.url")).isNull(); // no DB_DSN: the embedded database
        assertThat(environment(Map.of("FUSIONSOLAR_LOOKBACK_DAYS", "3")).getProperty("FUSIONSOLAR_LOOKBACK_DAYS"))
                .isEqualTo("3");
    }

    @Test
    void aBadSettingStopsTheStartNamingItButNeverEchoingAPassword() {
        assertThatThrownBy(() -> environment(Map.of("DB_DSN", "mysql://root:hunter2@db/x")))
                .hasMessageContaining("DB_DSN must have the form postgres://")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> environment(Map.of("FILE_POLL_INTERVAL", "5s")))
                .hasMessageContaining("FILE_POLL_INTERVAL must be a whole number");
    }
}
