package io.camelingestor.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.postgresql.PGConnection;

/**
 * The least any loader must do for an input, on the same database: {@code COPY} its valid rows into a typed
 * staging table and {@code INSERT ... SELECT ... ON CONFLICT DO UPDATE} them into the dataset's table with its
 * unique key, each committed. No reading, coercion, validation, raw values or bookkeeping. Many small files
 * are measured per file ({@link #measurePerFile}), each file's rows in a transaction of their own.
 */
final class Floor {

    /** Seconds of each step. */
    record Timing(double copySeconds, double insertSeconds) {
        double total() {
            return copySeconds + insertSeconds;
        }
    }

    private Floor() {}

    static Timing measure(Connection connection, Path floorCsv) throws SQLException, IOException {
        connection.setAutoCommit(false);
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS bench_floor_staging"
                    + " (device_id text, ts timestamptz, energy_kwh double precision)");
            s.execute("TRUNCATE bench_floor_staging");
            connection.commit();
            long t0 = System.nanoTime();
            copy(connection, "bench_floor_staging", floorCsv);
            connection.commit();
            long t1 = System.nanoTime();
            insert(s, "bench_floor_staging");
            connection.commit();
            long t2 = System.nanoTime();
            return new Timing((t1 - t0) / 1e9, (t2 - t1) / 1e9);
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /**
     * The floor of many files: for each file, one after another in one session, {@code COPY} of its rows and the
     * keyed {@code INSERT}, committed as one transaction per file (what a file's own batch commits). The rows
     * go through a temporary table emptied at each commit, so that no file pays for the one before.
     */
    static Timing measurePerFile(Connection connection, List<Path> floorCsvs) throws SQLException, IOException {
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE TEMP TABLE IF NOT EXISTS bench_floor_file"
                    + " (device_id text, ts timestamptz, energy_kwh double precision) ON COMMIT DELETE ROWS");
        }
        connection.setAutoCommit(false);
        long copyNanos = 0;
        long insertNanos = 0;
        try (Statement s = connection.createStatement()) {
            for (Path csv : floorCsvs) {
                long t0 = System.nanoTime();
                copy(connection, "bench_floor_file", csv);
                long t1 = System.nanoTime();
                insert(s, "bench_floor_file");
                connection.commit();
                long t2 = System.nanoTime();
                copyNanos += t1 - t0;
                insertNanos += t2 - t1;
            }
        } finally {
            connection.setAutoCommit(true);
        }
        return new Timing(copyNanos / 1e9, insertNanos / 1e9);
    }

    private static void copy(Connection connection, String table, Path csv) throws SQLException, IOException {
        try (InputStream in = Files.newInputStream(csv)) {
            connection
                    .unwrap(PGConnection.class)
                    .getCopyAPI()
                    .copyIn("COPY " + table + " FROM STDIN (FORMAT csv, HEADER true)", in, 1 << 16);
        }
    }

    private static void insert(Statement s, String table) throws SQLException {
        s.executeUpdate("INSERT INTO fact_energy_hourly (device_id, ts, energy_kwh) SELECT device_id, ts, energy_kwh"
                + " FROM " + table + " ON CONFLICT (device_id, ts) DO UPDATE SET energy_kwh = EXCLUDED.energy_kwh");
    }
}
