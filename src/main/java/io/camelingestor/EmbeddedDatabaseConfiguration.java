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
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
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
 * on loopback only and requires the superuser's password, generated at the first start into
 * {@code <data-dir>/pgdata.password} (owner-only; see {@link EmbeddedDatabasePassword}). A jar built without
 * the binaries ({@code -Dembedded-db=none}, as the container image is) refuses to start without an external
 * database and says which variables to set.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${spring.datasource.url:}'.isBlank()")
class EmbeddedDatabaseConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);

    private static final String HBA_FILE = "pg_hba.conf";

    /**
     * pgjdbc's answer when the server asks for a password and none was given (08004), and the server's for a
     * wrong one (28P01) or a refused login (28000).
     */
    private static final Set<String> PASSWORD_REQUIRED = Set.of("08004", "28P01", "28000");

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(IngestorProperties properties) throws IOException {
        if (new PathMatchingResourcePatternResolver().getResources("classpath*:postgres-*.txz").length == 0) {
            throw new NoDatabaseConfiguredException();
        }
        Path pgdata = properties.dataDir().resolve("pgdata");
        Files.createDirectories(pgdata.getParent());
        stopOrphanedPostmaster(pgdata);
        Path passwordFile = properties.dataDir().resolve(EmbeddedDatabasePassword.FILE_NAME);
        boolean initialised = Files.exists(pgdata.resolve("postgresql.conf"));
        boolean trusting = initialised && HostBasedAuthentication.trusts(pgdata.resolve(HBA_FILE));
        if (initialised && !trusting && !Files.exists(passwordFile, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalStateException("The embedded PostgreSQL in " + pgdata + " requires the password kept in "
                    + passwordFile
                    + ", which is missing: restore it from a backup of the data folder (or, to have a new"
                    + " one generated, change each 'scram-sha-256' in " + pgdata.resolve(HBA_FILE)
                    + " to 'trust' and start again)");
        }
        String password = EmbeddedDatabasePassword.readOrCreate(passwordFile);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(pgdata)
                .setCleanDataDirectory(false)
                .setServerConfig("listen_addresses", "localhost")
                // zonky tunes for throw-away test databases (fsync and synchronous commit off); this one keeps
                // the user's data, so a power cut must not lose what a committed load reported
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                // zonky's readiness check (and its getDatabase) connects with these properties
                .setConnectConfig("password", password)
                .setPGStartupWait(Duration.ofSeconds(60));
        if (!initialised) {
            // zonky runs initdb with "-A trust"; the options it passes after that (its "locale config", each
            // as --key=value) override it: every line of pg_hba.conf, local socket and TCP, asks for a SCRAM
            // password from the first start on, with the superuser's password read from the file
            builder.setLocaleConfig("auth", "scram-sha-256")
                    .setLocaleConfig("pwfile", passwordFile.toAbsolutePath().toString());
        }
        EmbeddedPostgres postgres;
        try {
            postgres = builder.start();
        } catch (IOException e) {
            if (e.getCause() instanceof SQLException refused && "28P01".equals(refused.getSQLState())) {
                throw new IllegalStateException(
                        "The embedded PostgreSQL in " + pgdata + " refuses the password in " + passwordFile
                                + ": the file does not belong to this data folder; restore both from one backup",
                        e);
            }
            throw e;
        }
        try {
            if (trusting) {
                requirePassword(postgres, pgdata, password);
            }
            refusesWithoutPassword(postgres);
        } catch (SQLException | IOException | RuntimeException e) {
            postgres.close();
            throw new IllegalStateException("Could not make the embedded PostgreSQL require its password", e);
        }
        log.info(
                "Embedded PostgreSQL 17 started on localhost:{} with data in {}; it requires the password in {}",
                postgres.getPort(),
                pgdata,
                passwordFile);
        return postgres;
    }

    /**
     * A data directory created before the password (its {@code pg_hba.conf} trusts every local user): give the
     * superuser the password, switch every {@code trust} line to {@code scram-sha-256} and reload. Until the
     * reload (well under a second, once per installation) the old trust rule still applies.
     */
    private static void requirePassword(EmbeddedPostgres postgres, Path pgdata, String password)
            throws SQLException, IOException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
            // pgjdbc computes the SCRAM verifier itself: the clear password never reaches the server or its log
            connection
                    .unwrap(PGConnection.class)
                    .alterUserPassword("postgres", password.toCharArray(), "scram-sha-256");
            HostBasedAuthentication.requireScram(pgdata.resolve(HBA_FILE));
            try (Statement statement = connection.createStatement();
                    ResultSet reloaded = statement.executeQuery("SELECT pg_reload_conf()")) {
                if (!reloaded.next() || !reloaded.getBoolean(1)) {
                    throw new SQLException("pg_reload_conf() did not signal the server");
                }
            }
        }
        log.warn("The embedded PostgreSQL in {} trusted every local user; it now requires its password", pgdata);
    }

    /**
     * Checked at every start: a connection as the superuser without the password is refused (a reload takes a
     * moment to reach the postmaster, hence the few tries).
     */
    private static void refusesWithoutPassword(EmbeddedPostgres postgres) throws SQLException {
        DataSource withoutPassword = postgres.getDatabase("postgres", "postgres", Map.of());
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = withoutPassword.getConnection()) {
                if (attempt == 20) {
                    throw new IllegalStateException(
                            "the embedded PostgreSQL accepts the superuser without a password; check " + HBA_FILE
                                    + " in its data directory");
                }
            } catch (SQLException refused) {
                if (PASSWORD_REQUIRED.contains(refused.getSQLState())) {
                    return;
                }
                throw refused;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while checking the embedded PostgreSQL", e);
            }
        }
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
    DataSource dataSource(EmbeddedPostgres postgres, IngestorProperties properties) throws IOException {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        dataSource.setUsername("postgres");
        dataSource.setPassword(
                EmbeddedDatabasePassword.read(properties.dataDir().resolve(EmbeddedDatabasePassword.FILE_NAME)));
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
