package io.camelingestor.config;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Starts an embedded PostgreSQL (zonky, PostgreSQL 17 binaries) when no {@code spring.datasource.url} is
 * set, keeping its data under {@code <data-dir>/pgdata} so that a restart keeps what was loaded. It listens
 * on loopback only.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${spring.datasource.url:}'.isBlank()")
class EmbeddedDatabaseConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(IngestorProperties properties) throws IOException {
        Path pgdata = properties.dataDir().resolve("pgdata");
        Files.createDirectories(pgdata.getParent());
        stopOrphanedPostmaster(pgdata);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(pgdata)
                .setCleanDataDirectory(false)
                .setServerConfig("listen_addresses", "localhost")
                .setPGStartupWait(Duration.ofSeconds(60))
                .start();
        log.info("Embedded PostgreSQL 17 started on localhost:{} with data in {}", postgres.getPort(), pgdata);
        return postgres;
    }

    @Bean(destroyMethod = "close")
    DataSource dataSource(EmbeddedPostgres postgres) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        dataSource.setUsername("postgres");
        dataSource.setPoolName("ingestor-embedded");
        dataSource.setMaximumPoolSize(10);
        return dataSource;
    }

    /**
     * A JVM killed with SIGKILL leaves its postmaster running (pg_ctl daemonises it), holding the data
     * directory. Stop it so that this start can take the data directory over.
     */
    private static void stopOrphanedPostmaster(Path pgdata) throws IOException {
        Path pidFile = pgdata.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        Optional<ProcessHandle> postmaster = lines.isEmpty()
                ? Optional.empty()
                : ProcessHandle.of(Long.parseLong(lines.get(0).trim()))
                        .filter(p -> p.info().command().orElse("").contains("postgres"));
        if (postmaster.isEmpty()) {
            return;
        }
        log.warn(
                "A PostgreSQL left running by a previous run holds {}; stopping it (pid {})",
                pgdata,
                postmaster.get().pid());
        postmaster.get().destroy(); // SIGTERM: smart shutdown, its clients died with the old JVM
        try {
            postmaster.get().onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException(
                    "could not stop the orphaned PostgreSQL (pid "
                            + postmaster.get().pid() + ")",
                    e);
        }
    }
}
