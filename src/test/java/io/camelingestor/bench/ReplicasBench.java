package io.camelingestor.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Many small files through 1, 2 and 3 replicas of the packaged application (clustering on, one PostgreSQL,
 * one data folder), and through one replica with 1 and 2 workers: files per second from the first rename to
 * the last batch ended, and the mean time of one file's batch. Run with
 * {@code bench/run.sh -Dbench.replicas=true} (it is skipped otherwise); it rewrites its own section of
 * bench/results.md ({@link ResultSections}) and leaves the rest.
 */
class ReplicasBench {

    private static final int FILES = Integer.getInteger("bench.small-files", 500);
    private static final int ROWS = Integer.getInteger("bench.small-rows", 100);
    private static final String HEAP = System.getProperty("bench.heap", "256m");

    record Figure(String setup, int replicas, int workers, double seconds, double meanBatchMs) {}

    @Test
    void filesPerSecond() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("bench.replicas"), "-Dbench.replicas=true runs it");
        Path jar =
                Path.of(System.getProperty("bench.jar", "target/ingestor.jar")).toAbsolutePath();
        assertThat(jar).exists();
        Path work = Path.of("target/bench-replicas").toAbsolutePath();
        deleteTree(work);
        Path data = work.resolve("data");
        Files.createDirectories(data);
        List<Figure> figures = new ArrayList<>();
        // the server as in production: fsync and synchronous commit on
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder()
                        .setServerConfig("fsync", "on")
                        .setServerConfig("synchronous_commit", "on")
                        .setServerConfig("max_connections", "200")
                        .start();
                Connection db = pg.getPostgresDatabase().getConnection()) {
            String url = pg.getJdbcUrl("postgres", "postgres");
            try (Statement s = db.createStatement()) {
                s.execute("CREATE ROLE bench LOGIN PASSWORD 'bench-secret' SUPERUSER");
            }
            int run = 0;
            List<Process> replicas = new ArrayList<>();
            try {
                replicas.add(start(jar, work, url, "b1", 1));
                figures.add(measure("1 replica, 1 worker", 1, 1, db, data, ++run));
                stop(replicas.remove(0));
                replicas.add(start(jar, work, url, "b1", 2));
                figures.add(measure("1 replica, 2 workers", 1, 2, db, data, ++run));
                replicas.add(start(jar, work, url, "b2", 2));
                figures.add(measure("2 replicas, 2 workers each", 2, 2, db, data, ++run));
                replicas.add(start(jar, work, url, "b3", 2));
                figures.add(measure("3 replicas, 2 workers each", 3, 2, db, data, ++run));
            } finally {
                for (Process p : replicas) {
                    stop(p);
                }
            }
        }
        write(figures);
    }

    private static Figure measure(String setup, int replicas, int workers, Connection db, Path data, int run)
            throws Exception {
        Path staging = data.resolve("bench-staging-" + run);
        Path inbound = data.resolve("inbound/energy_hourly");
        Files.createDirectories(staging);
        Files.createDirectories(inbound);
        String prefix = String.format("%04x", 0xb000 + run);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < FILES; i++) {
            Path f = staging.resolve(prefix + String.format("%020x", i) + "-hourly.csv");
            try (BufferedWriter out = Files.newBufferedWriter(f, StandardCharsets.UTF_8)) {
                out.write("Date and Time,Hourly\n");
                LocalDateTime ts = LocalDateTime.of(2000 + run, 1, 1, 0, 0).plusHours((long) i * ROWS);
                for (int r = 0; r < ROWS; r++) {
                    out.write(ts.plusHours(r).toString());
                    out.write(",1.25\n");
                }
            }
            files.add(f);
        }
        Instant t0 = Instant.now();
        for (Path f : files) {
            Files.move(f, inbound.resolve(f.getFileName()), StandardCopyOption.ATOMIC_MOVE);
        }
        String like = prefix + "%";
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
        while (count(db, "SELECT count(*) FROM ingest_batch WHERE input_id LIKE ? AND status <> 'RUNNING'", like)
                < FILES) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(setup + ": not all files ended");
            }
            Thread.sleep(100);
        }
        double seconds;
        double meanMs;
        try (var q = db.prepareStatement(
                """
                SELECT extract(epoch FROM max(finished_at)), avg(extract(epoch FROM finished_at - started_at)) * 1000,
                       count(*) FILTER (WHERE status = 'LOADED'), count(DISTINCT node_id)
                FROM ingest_batch WHERE input_id LIKE ?
                """)) {
            q.setString(1, like);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                seconds = rs.getDouble(1) - t0.toEpochMilli() / 1000.0;
                meanMs = rs.getDouble(2);
                assertThat(rs.getLong(3)).as(setup + ": every file LOADED").isEqualTo(FILES);
                assertThat(rs.getLong(4))
                        .as(setup + ": replicas that took part")
                        .isEqualTo(replicas);
            }
        }
        System.out.printf(
                "[bench] %s: %d files in %.2f s = %.1f files/s, mean batch %.0f ms%n",
                setup, FILES, seconds, FILES / seconds, meanMs);
        return new Figure(setup, replicas, workers, seconds, meanMs);
    }

    private static long count(Connection db, String sql, String arg) throws Exception {
        try (var q = db.prepareStatement(sql)) {
            q.setString(1, arg);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Process start(Path jar, Path work, String url, String node, int workers) throws Exception {
        Path log = work.resolve(node + "-" + workers + ".log");
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx" + HEAP,
                        "-jar",
                        jar.toString(),
                        "--ingestor.data-dir=" + work.resolve("data"),
                        "--ingestor.routes-dir=" + Path.of("routes").toAbsolutePath(),
                        "--ingestor.mappings-dir=" + Path.of("mappings").toAbsolutePath(),
                        "--ingestor.routes.reload=false",
                        "--ingestor.node-id=" + node,
                        "--ingestor.workers=" + workers,
                        "--ingestor.cluster.enabled=true",
                        "--server.port=0")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("SPRING_") || k.startsWith("INGESTOR_"));
        builder.environment().put("SPRING_DATASOURCE_URL", url);
        builder.environment().put("SPRING_DATASOURCE_USERNAME", "bench");
        builder.environment().put("SPRING_DATASOURCE_PASSWORD", "bench-secret");
        builder.environment().put("INGESTOR_SECURITY_PASSWORD", "bench-admin-secret");
        Process p = builder.start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!Files.exists(log)
                || !Files.readString(log, StandardCharsets.ISO_8859_1).contains("Started IngestorApplication")) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException(node + " did not start, see " + log);
            }
            Thread.sleep(200);
        }
        return p;
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
        }
    }

    private static void write(List<Figure> figures) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("## Replicas and workers (many small files)\n\n");
        md.append("Written by `bench/run.sh -Dbench.replicas=true` (`ReplicasBench`) on ")
                .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
                        Instant.now().atOffset(ZoneOffset.UTC).withNano(0)))
                .append(" UTC, ")
                .append(Runtime.getRuntime().availableProcessors())
                .append(" cores shared by the replicas, the PostgreSQL server and the benchmark; ")
                .append(FILES)
                .append(" files × ")
                .append(ROWS)
                .append(
                        " rows renamed into `inbound/energy_hourly/` at once; seconds from the first rename to the last")
                .append(" batch ended. One PostgreSQL 17 (fsync on) shared by the replicas, each replica -Xmx")
                .append(HEAP)
                .append(", clustering on.\n\n");
        md.append("| setup | seconds | files/s | per file, wall (ms) | mean batch (ms) |\n|---|---:|---:|---:|---:|\n");
        for (Figure f : figures) {
            md.append(String.format(
                    "| %s | %.2f | %.1f | %.1f | %.0f |%n",
                    f.setup(), f.seconds(), FILES / f.seconds(), f.seconds() * 1000 / FILES, f.meanBatchMs()));
        }
        ResultSections.write("replicas-bench", md.toString());
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }
}
