package io.camelingestor;

import com.zaxxer.hikari.HikariDataSource;
import io.camelingestor.core.IngestorProperties;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Starts an embedded PostgreSQL (zonky, PostgreSQL 17 binaries) when no {@code spring.datasource.url} is
 * set, keeping its data under {@code <data-dir>/pgdata} so that a restart keeps what was loaded. It listens
 * on loopback only. A jar built without the binaries ({@code -Dembedded-db=none}, as the container image is)
 * refuses to start without an external database and says which variables to set.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${spring.datasource.url:}'.isBlank()")
class EmbeddedDatabaseConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(IngestorProperties properties) throws IOException {
        if (new PathMatchingResourcePatternResolver().getResources("classpath*:postgres-*.txz").length == 0) {
            throw new NoDatabaseConfiguredException();
        }
        Path pgdata = properties.dataDir().resolve("pgdata");
        Files.createDirectories(pgdata.getParent());
        stopOrphanedPostmaster(pgdata);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(pgdata)
                .setCleanDataDirectory(false)
                .setServerConfig("listen_addresses", "localhost")
                // zonky tunes for throw-away test databases (fsync and synchronous commit off); this one keeps
                // the user's data, so a power cut must not lose what a committed load reported
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setPGStartupWait(Duration.ofSeconds(60))
                .start();
        log.info("Embedded PostgreSQL 17 started on localhost:{} with data in {}", postgres.getPort(), pgdata);
        return postgres;
    }

    /**
     * Liveness of the service includes its embedded PostgreSQL: a postmaster that died (killed, out of memory)
     * is not started again by the pool's retries, so the process must be restarted (its next start takes the
     * data directory over). DOWN when nothing accepts connections on the embedded database's port. In the
     * {@code liveness} group (application.properties); with an external database there is no such bean.
     */
    @Bean
    HealthIndicator embeddedDatabase(EmbeddedPostgres postgres) {
        return () -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), postgres.getPort()), 2000);
                return Health.up().withDetail("port", postgres.getPort()).build();
            } catch (IOException e) {
                return Health.down()
                        .withDetail(
                                "error",
                                "the embedded PostgreSQL does not accept connections on port " + postgres.getPort()
                                        + ": it is not running; restart the service")
                        .build();
            }
        };
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
        // pg_ctl's fast mode disconnects any client still attached (a plain SIGTERM would wait for them)
        Path pgCtl = Path.of(postmaster.get().info().command().orElseThrow()).resolveSibling("pg_ctl");
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            command.addAll(List.of("unshare", "-U")); // as zonky does: pg_ctl refuses to run as root
        }
        command.addAll(List.of(pgCtl.toString(), "-D", pgdata.toString(), "stop", "-m", "fast", "-w", "-t", "60"));
        try {
            Process stop = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(stop.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!stop.waitFor(90, TimeUnit.SECONDS) || stop.exitValue() != 0) {
                throw new IOException("pg_ctl stop said: " + output.strip());
            }
            postmaster.get().onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException(
                    "could not stop the PostgreSQL left running on " + pgdata + " (pid "
                            + postmaster.get().pid() + "); stop it and start again",
                    e);
        }
    }
}
