package io.camelingestor.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged application ({@code target/ingestor.jar}) in its own JVM, as a user runs it: real routes and
 * mappings from the project's folders, its own data folder and embedded PostgreSQL (fsync on), a flight
 * recording for the heap figures.
 */
final class RunningIngestor implements AutoCloseable {

    private final Process process;
    private final Path dataDir;
    private final Path log;
    final Path recording;

    private RunningIngestor(Process process, Path dataDir, Path log, Path recording) {
        this.process = process;
        this.dataDir = dataDir;
        this.log = log;
        this.recording = recording;
    }

    static RunningIngestor start(Path jar, Path workDir, String heap) throws IOException, InterruptedException {
        return start(jar, workDir, heap, List.of(), Map.of());
    }

    /** With more command-line arguments (settings) and environment variables (an external database). */
    static RunningIngestor start(Path jar, Path workDir, String heap, List<String> args, Map<String, String> env)
            throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        Path dataDir = workDir.resolve("data");
        Path log = workDir.resolve("ingestor.log");
        Path recording = workDir.resolve("ingestor.jfr");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap,
                "-XX:StartFlightRecording=filename=" + recording + ",dumponexit=true,settings=default",
                "-jar",
                jar.toString(),
                "--ingestor.data-dir=" + dataDir,
                "--ingestor.routes-dir=" + Path.of("routes").toAbsolutePath(),
                "--ingestor.mappings-dir=" + Path.of("mappings").toAbsolutePath(),
                "--ingestor.routes.reload=false",
                "--server.port=0"));
        command.addAll(args);
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("SPRING_") || k.startsWith("INGESTOR_"));
        builder.environment().putAll(env);
        RunningIngestor app = new RunningIngestor(builder.start(), dataDir, log, recording);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!app.log().contains("Started IngestorApplication")) {
            if (!app.process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the application did not start:\n" + app.log());
            }
            Thread.sleep(200);
        }
        return app;
    }

    Path inbound(String dataset) {
        return dataDir.resolve("inbound").resolve(dataset);
    }

    /**
     * A connection to the application's own embedded PostgreSQL (its port is in postmaster.pid, its password in
     * pgdata.password).
     */
    Connection database() throws IOException, SQLException {
        List<String> pid = Files.readAllLines(dataDir.resolve("pgdata/postmaster.pid"));
        return DriverManager.getConnection(
                "jdbc:postgresql://localhost:" + pid.get(3).trim() + "/postgres",
                "postgres",
                Files.readString(dataDir.resolve("pgdata.password")).strip());
    }

    String log() throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // SIGTERM: graceful, the flight recording is written, PostgreSQL stopped
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
        }
    }
}
