package io.camelingestor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.zaxxer.hikari.HikariDataSource;
import io.camelingestor.core.IngestorProperties;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Issue 10, finding 7: the embedded PostgreSQL (started by the application's own configuration, on a real data
 * folder) refuses the superuser without its password, over TCP and on its local socket, from its first start
 * on, after a restart, and from the next start of a data folder created when it trusted every local user.
 */
class EmbeddedDatabasePasswordTest {

    private static final Path ROOT = Path.of("target", "embedded-db-password");

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private Level rootLevel;

    @BeforeEach
    void captureEveryLogLine() {
        logs.list = new CopyOnWriteArrayList<>(); // zonky logs PostgreSQL's output from threads of its own
        rootLevel = root.getLevel();
        root.setLevel(Level.ALL);
        logs.start();
        root.addAppender(logs);
    }

    @AfterEach
    void stopCapturing() {
        root.detachAppender(logs);
        root.setLevel(rootLevel);
    }

    @Test
    void aNewDataFolderRequiresThePasswordFromItsFirstStartAndAfterARestart() throws Exception {
        Path dataDir = emptyDataDir("fresh");
        Path passwordFile = dataDir.resolve("pgdata.password");
        String password;
        try (EmbeddedPostgres postgres = start(dataDir)) {
            assertThat(passwordFile).isRegularFile();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile)))
                    .isEqualTo("rw-------");
            password = Files.readString(passwordFile);
            assertThat(password).matches("[A-Za-z0-9_-]{43}");
            assertRequiresExactly(postgres, password);
            try (HikariDataSource application =
                    (HikariDataSource) new EmbeddedDatabaseConfiguration().dataSource(postgres, properties(dataDir))) {
                assertThat(new JdbcTemplate(application).queryForObject("SELECT current_user", String.class))
                        .isEqualTo("postgres");
            }
        }
        try (EmbeddedPostgres again = start(dataDir)) {
            assertThat(Files.readString(passwordFile)).isEqualTo(password);
            assertRequiresExactly(again, password);
        }
        assertNeverLogged(password);

        // the password file lost while the database still requires it: a start says what is missing
        Files.delete(passwordFile);
        assertThatThrownBy(() -> start(dataDir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("requires the password kept in " + passwordFile.toAbsolutePath())
                .hasMessageContaining("restore it from a backup");
        assertThat(passwordFile).doesNotExist();

        // the way out it names: the rules set back to trust, the next start generates a new password and asks for it
        Path hba = dataDir.resolve("pgdata/pg_hba.conf");
        Files.writeString(hba, Files.readString(hba).replace("scram-sha-256", "trust"));
        try (EmbeddedPostgres recovered = start(dataDir)) {
            String newPassword = Files.readString(passwordFile);
            assertThat(newPassword).isNotEqualTo(password);
            assertRequiresExactly(recovered, newPassword);
        }
    }

    @Test
    void aDataFolderThatTrustedEveryLocalUserRequiresThePasswordFromItsNextStart() throws Exception {
        Path dataDir = emptyDataDir("upgraded");
        Path pgdata = dataDir.resolve("pgdata");
        // as the versions before this one created it: zonky's own initdb -A trust
        try (EmbeddedPostgres before = EmbeddedPostgres.builder()
                .setDataDirectory(pgdata)
                .setCleanDataDirectory(false)
                .start()) {
            new JdbcTemplate(before.getPostgresDatabase()).execute("CREATE TABLE kept (id int)");
        }
        assertThat(HostBasedAuthentication.trusts(pgdata.resolve("pg_hba.conf")))
                .isTrue();

        try (EmbeddedPostgres postgres = start(dataDir)) {
            String password = Files.readString(dataDir.resolve("pgdata.password"));
            assertRequiresExactly(postgres, password);
            assertThat(HostBasedAuthentication.trusts(pgdata.resolve("pg_hba.conf")))
                    .isFalse();
            assertThat(new JdbcTemplate(postgres.getPostgresDatabase())
                            .queryForObject("SELECT count(*) FROM kept", Long.class))
                    .isZero();
        }
        try (EmbeddedPostgres again = start(dataDir)) {
            assertRequiresExactly(again, Files.readString(dataDir.resolve("pgdata.password")));
        }
        assertNeverLogged(Files.readString(dataDir.resolve("pgdata.password")));
    }

    @Test
    void aPasswordFileOthersCouldReadIsMadeOwnerOnlyAndAMalformedOneIsRefused() throws Exception {
        Path dataDir = emptyDataDir("file");
        Path file = dataDir.resolve("pgdata.password");
        String password = EmbeddedDatabasePassword.readOrCreate(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(EmbeddedDatabasePassword.readOrCreate(file)).isEqualTo(password);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(dataDir).isDirectoryNotContaining("glob:**.tmp");

        Files.writeString(file, "x' OR 'a'='a");
        assertThatThrownBy(() -> EmbeddedDatabasePassword.read(file))
                .hasMessageContaining("does not hold a password as this service writes it")
                .hasMessageNotContaining("x' OR");
        assertNeverLogged(password);
    }

    /** Refused without a password and with a wrong one; accepted with the file's; every loaded rule asks. */
    private static void assertRequiresExactly(EmbeddedPostgres postgres, String password) throws SQLException {
        String url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
        for (String none : new String[] {null, ""}) {
            assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", none))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("The server requested SCRAM-based authentication");
        }
        assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", password + "x"))
                .isInstanceOf(SQLException.class)
                .extracting(e -> ((SQLException) e).getSQLState())
                .isEqualTo("28P01");
        try (Connection connection = DriverManager.getConnection(url, "postgres", password)) {
            JdbcTemplate db = new JdbcTemplate(
                    new org.springframework.jdbc.datasource.SingleConnectionDataSource(connection, true));
            // the rules the server has loaded, local socket (the psql default) and TCP alike
            List<String> rules = db.queryForList(
                    "SELECT type || ' ' || auth_method FROM pg_hba_file_rules ORDER BY rule_number", String.class);
            assertThat(rules)
                    .isNotEmpty()
                    .allSatisfy(rule -> assertThat(rule).endsWith(" scram-sha-256"))
                    .anySatisfy(rule -> assertThat(rule).startsWith("local "))
                    .anySatisfy(rule -> assertThat(rule).startsWith("host "));
            assertThat(db.queryForObject("SELECT rolpassword FROM pg_authid WHERE rolname = 'postgres'", String.class))
                    .startsWith("SCRAM-SHA-256$");
        }
    }

    private void assertNeverLogged(String password) {
        String everything = logs.list.stream()
                .map(e -> e.getFormattedMessage() + " "
                        + (e.getThrowableProxy() == null
                                ? ""
                                : e.getThrowableProxy().getMessage()))
                .collect(Collectors.joining("\n"));
        assertThat(logs.list).as("log lines captured").isNotEmpty();
        assertThat(everything).doesNotContain(password);
    }

    private static EmbeddedPostgres start(Path dataDir) throws Exception {
        return new EmbeddedDatabaseConfiguration().embeddedPostgres(properties(dataDir));
    }

    private static IngestorProperties properties(Path dataDir) {
        return new IngestorProperties(
                dataDir, Path.of("routes"), Path.of("mappings"), Path.of("sql"), "embedded-db-password");
    }

    private static Path emptyDataDir(String name) throws Exception {
        Path dataDir = ROOT.resolve(name);
        TestDataDir.delete(dataDir);
        return Files.createDirectories(dataDir);
    }
}
