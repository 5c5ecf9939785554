package io.camelingestor;

import io.camelingestor.core.IngestorProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.flyway.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Dataset tables that users add without rebuilding: Flyway migrations ({@code V<n>__<what>.sql}) in
 * {@code ingestor.sql-dir} (default {@code ./sql}), applied at start right after the built-in migrations of the
 * jar, and again while running when a file appears there (the {@code mappings-watch} route calls
 * {@link #migrateChanges()} before it re-reads the mappings).
 *
 * <p>They keep their own history table, {@value #HISTORY_TABLE}, rather than sharing the built-in one with a
 * reserved version range: a user's {@code V1__my_table.sql} can then never collide with a migration a later
 * release of the jar brings, nobody has to know which numbers the jar uses, and a release adding a built-in
 * migration does not trip Flyway's check that applied versions are in order. Built-in tables always exist
 * before the user's migrations run, so those may refer to them ({@code LIKE staging_template}).
 */
@Configuration(proxyBeanMethods = false)
public class DatasetMigrations {

    /** Flyway's history of the migrations from {@code ingestor.sql-dir}. */
    public static final String HISTORY_TABLE = "flyway_sql_dir_history";

    private static final Logger log = LoggerFactory.getLogger(DatasetMigrations.class);

    private final DataSource dataSource;
    private final Path dir;
    private String lastFingerprint;
    private String lastError;

    DatasetMigrations(DataSource dataSource, IngestorProperties properties) {
        this.dataSource = dataSource;
        this.dir = properties.sqlDir();
    }

    /** Spring Boot's Flyway runs the jar's migrations; the folder's follow in the same step, before any bean uses the database. */
    @Bean
    FlywayMigrationStrategy builtInThenSqlDir() {
        return flyway -> {
            flyway.migrate();
            migrateAtStart();
        };
    }

    private synchronized void migrateAtStart() {
        if (!Files.isDirectory(dir)) {
            log.info("No SQL folder {} (ingestor.sql-dir): only the built-in tables", dir);
            return;
        }
        lastFingerprint = fingerprint();
        migrate(); // a failing migration stops the start, as a failing built-in one does
    }

    /**
     * Applies the folder's pending migrations if its files changed since the last look (names, sizes, times).
     * A failure is logged once per distinct error and the service keeps running; the folder's next change is
     * tried again.
     *
     * @return the number of migrations applied
     */
    public synchronized int migrateChanges() {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        String fingerprint = fingerprint();
        if (fingerprint.equals(lastFingerprint)) {
            return 0;
        }
        lastFingerprint = fingerprint;
        try {
            int applied = migrate();
            lastError = null;
            return applied;
        } catch (RuntimeException e) {
            String error = e.getMessage();
            if (!error.equals(lastError)) {
                log.error("SQL folder {}: migration failed, tables unchanged until the file is fixed: {}", dir, error);
            }
            lastError = error;
            return 0;
        }
    }

    private int migrate() {
        MigrateResult result = Flyway.configure()
                .dataSource(dataSource)
                .locations("filesystem:" + dir)
                .table(HISTORY_TABLE)
                // the schema already holds the built-in tables: start this history empty at version 0
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .baselineDescription("before the migrations of the SQL folder")
                .load()
                .migrate();
        if (result.migrationsExecuted > 0) {
            log.info(
                    "SQL folder {}: applied {} migration(s), now at version {}",
                    dir,
                    result.migrationsExecuted,
                    result.targetSchemaVersion);
        }
        return result.migrationsExecuted;
    }

    private String fingerprint() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".sql"))
                    .sorted()
                    .map(f -> {
                        try {
                            return f.getFileName() + ":" + Files.size(f) + ":" + Files.getLastModifiedTime(f);
                        } catch (IOException e) {
                            return f.getFileName() + ":gone";
                        }
                    })
                    .collect(Collectors.joining("|"));
        } catch (IOException e) {
            return "unreadable:" + e.getMessage();
        }
    }
}
