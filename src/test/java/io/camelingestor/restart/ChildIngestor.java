package io.camelingestor.restart;

import static org.awaitility.Awaitility.await;

import io.camelingestor.IngestorApplication;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The real application in its own JVM (the test JVM's class path), so that a test can kill it with SIGKILL
 * and start it again, as an operator or a power cut would.
 */
final class ChildIngestor implements AutoCloseable {

    private final Process process;
    private final Path log;

    private ChildIngestor(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static ChildIngestor start(Path dataDir, String nodeId, Map<String, String> env) throws IOException {
        Path log = dataDir.resolveSibling(dataDir.getFileName() + "-" + System.nanoTime() + ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                "-Dingestor.data-dir=" + dataDir.toAbsolutePath(),
                "-Dingestor.routes-dir=" + Path.of("routes").toAbsolutePath(),
                "-Dingestor.mappings-dir=" + Path.of("mappings").toAbsolutePath(),
                "-Dingestor.routes.reload=false",
                "-Dingestor.node-id=" + nodeId,
                "-Dserver.port=0",
                IngestorApplication.class.getName()));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("SPRING_") || k.startsWith("INGESTOR_"));
        builder.environment().putAll(env);
        ChildIngestor child = new ChildIngestor(builder.start(), log);
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    if (!child.process.isAlive()) {
                        throw new IllegalStateException("the application exited at start:\n" + child.log());
                    }
                    return child.log().contains("Started IngestorApplication");
                });
        return child;
    }

    String log() throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
    }

    /** SIGKILL: no shutdown hook runs, the embedded PostgreSQL is left running as after a crash. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy(); // SIGTERM: graceful shutdown, the embedded PostgreSQL is stopped
            if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
