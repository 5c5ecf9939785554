package io.camelingestor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.camelingestor.core.IngestorProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * Migrations in the SQL folder ({@code ingestor.sql-dir}) on a database of their own: applied after the built-in
 * ones with their own history, again when the folder changes, never twice; a broken one leaves the service going.
 */
class SqlFolderMigrationsTest extends IngestorIntegrationTest {

    private static final String DB = "sql_folder_test";

    @org.springframework.beans.factory.annotation.Autowired
    DataSource testDataSource;

    private Path dir;
    private SingleConnectionDataSource database;

    @BeforeEach
    void freshDatabaseWithTheBuiltInTables() throws Exception {
        jdbc.execute("DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)");
        jdbc.execute("CREATE DATABASE " + DB);
        String url = ((HikariDataSource) testDataSource).getJdbcUrl().replaceFirst("/postgres(\\?.*)?$", "/" + DB);
        HikariDataSource hikari = (HikariDataSource) testDataSource;
        database = new SingleConnectionDataSource(url, hikari.getUsername(), hikari.getPassword(), true);
        Flyway.configure()
                .dataSource(database)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        dir = Files.createTempDirectory("sql-dir");
    }

    @AfterEach
    void dropIt() {
        database.destroy();
        jdbc.execute("DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)");
        TestDataDir.delete(dir);
    }

    @Test
    void newFilesAreAppliedOnceAndABrokenOneIsReportedNotThrown() throws Exception {
        DatasetMigrations migrations =
                new DatasetMigrations(database, new IngestorProperties(dir, dir, dir, dir, "test"));
        JdbcTemplate db = new JdbcTemplate(database);
        assertThat(migrations.migrateChanges()).as("an empty folder").isZero();

        Files.writeString(
                dir.resolve("V1__rain.sql"),
                """
                CREATE TABLE rain (device_id text, ts timestamptz NOT NULL, mm double precision, batch_id uuid);
                CREATE TABLE staging_rain (LIKE staging_template INCLUDING ALL);
                """);
        assertThat(migrations.migrateChanges()).isEqualTo(1);
        assertThat(db.queryForObject("SELECT count(*) FROM staging_rain", Long.class))
                .isZero();
        assertThat(migrations.migrateChanges()).as("nothing changed").isZero();

        Files.writeString(
                dir.resolve("V2__rain_key.sql"), "ALTER TABLE rain ADD UNIQUE NULLS NOT DISTINCT (device_id, ts);");
        assertThat(migrations.migrateChanges()).isEqualTo(1);

        Files.writeString(dir.resolve("V3__broken.sql"), "CREATE TABLE broken (;");
        assertThat(migrations.migrateChanges()).as("logged, not thrown").isZero();

        // the built-in history is untouched; the folder's has its baseline and its two versions
        assertThat(db.queryForList(
                        "SELECT version FROM " + DatasetMigrations.HISTORY_TABLE
                                + " WHERE success ORDER BY installed_rank",
                        String.class))
                .containsExactly("0", "1", "2");
        assertThat(db.queryForObject(
                        "SELECT count(*) FROM flyway_schema_history WHERE description LIKE '%rain%'", Long.class))
                .isZero();

        // at start a broken migration stops the service, as a broken built-in one would
        assertThatThrownBy(() -> migrations
                        .builtInThenSqlDir()
                        .migrate(Flyway.configure()
                                .dataSource(database)
                                .locations("classpath:db/migration")
                                .load()))
                .hasMessageContaining("broken");
    }
}
