package io.camelingestor.restart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.camelingestor.IngestorIntegrationTest;
import io.camelingestor.TestDataDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * With SPRING_DATASOURCE_URL (and user and password) in the environment, the application uses that
 * PostgreSQL (here a fresh database on the test's server) and starts no embedded one.
 */
class ExternalDatabaseTest extends IngestorIntegrationTest {

    @Autowired
    DataSource testDataSource;

    @Test
    void environmentVariablesSelectTheDatabase() throws Exception {
        jdbc.execute("DROP DATABASE IF EXISTS external_db_test WITH (FORCE)");
        jdbc.execute("CREATE DATABASE external_db_test");
        jdbc.execute("DROP ROLE IF EXISTS ingestor_ext");
        jdbc.execute("CREATE ROLE ingestor_ext LOGIN PASSWORD 'ext-secret-for-test' SUPERUSER");
        String url = ((HikariDataSource) testDataSource)
                .getJdbcUrl()
                .replaceFirst("/postgres(\\?.*)?$", "/external_db_test");
        Path dataDir = Path.of("target/external-db-test/data").toAbsolutePath();
        TestDataDir.delete(dataDir.getParent());
        Files.createDirectories(dataDir);

        try (ChildIngestor child = ChildIngestor.start(
                dataDir,
                "external-node",
                Map.of(
                        "SPRING_DATASOURCE_URL", url,
                        "SPRING_DATASOURCE_USERNAME", "ingestor_ext",
                        "SPRING_DATASOURCE_PASSWORD", "ext-secret-for-test"))) {
            Path sample = Path.of("samples/energy_daily/68f1fb6550bcae000b4c2501-daily.csv");
            Path inbound = dataDir.resolve("inbound/energy_daily");
            Files.copy(sample, inbound.resolve("drop.tmp"));
            Files.move(
                    inbound.resolve("drop.tmp"), inbound.resolve(sample.getFileName()), StandardCopyOption.ATOMIC_MOVE);

            JdbcTemplate external =
                    new JdbcTemplate(new SingleConnectionDataSource(url, "ingestor_ext", "ext-secret-for-test", true));
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> external.queryForList("SELECT status FROM ingest_batch", String.class)
                            .contains("LOADED"));
            assertThat(external.queryForObject("SELECT count(*) FROM fact_energy_daily", Long.class))
                    .isEqualTo(31L);
            assertThat(dataDir.resolve("pgdata")).doesNotExist();
            assertThat(child.log()).doesNotContain("Embedded PostgreSQL").doesNotContain("ext-secret-for-test");
        } finally {
            jdbc.execute("DROP DATABASE IF EXISTS external_db_test WITH (FORCE)");
            jdbc.execute("DROP ROLE IF EXISTS ingestor_ext");
        }
    }
}
