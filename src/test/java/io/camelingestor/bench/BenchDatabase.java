package io.camelingestor.bench;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

/**
 * Where the benchmark's application keeps its data: its own embedded PostgreSQL (the default), or an external
 * server named by {@code -Dbench.database-url}, {@code -Dbench.database-user} and {@code
 * -Dbench.database-password} (bench/run.sh --external-postgres starts Debian's PostgreSQL and sets them), which
 * the application gets as SPRING_DATASOURCE_* and the floor uses too.
 */
record BenchDatabase(String url, String user, String password) {

    static BenchDatabase fromSystemProperties() {
        return new BenchDatabase(
                System.getProperty("bench.database-url", ""),
                System.getProperty("bench.database-user", ""),
                System.getProperty("bench.database-password", ""));
    }

    boolean external() {
        return !url.isBlank();
    }

    /** The application's environment for this database: none for the embedded one. */
    Map<String, String> env() {
        return external()
                ? Map.of(
                        "SPRING_DATASOURCE_URL", url,
                        "SPRING_DATASOURCE_USERNAME", user,
                        "SPRING_DATASOURCE_PASSWORD", password)
                : Map.of();
    }

    Connection connect(RunningIngestor app) throws IOException, SQLException {
        return external() ? DriverManager.getConnection(url, user, password) : app.database();
    }

    String describe() {
        return external()
                ? "an external PostgreSQL server on the same machine (" + url.replaceAll("\\?.*", "") + ")"
                : "the application's embedded PostgreSQL";
    }
}
