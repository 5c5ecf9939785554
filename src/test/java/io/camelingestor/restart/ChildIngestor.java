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
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * The real application in its own JVM (the test JVM's class path), so that a test can kill it with SIGKILL
 * and start it again, as an operator or a power cut would.
 */
public final class ChildIngestor implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final Path dataDir;

    private String nodeId;

    private ChildIngestor(Process process, Path log, Path dataDir) {
        this.process = process;
        this.log = log;
        this.dataDir = dataDir;
    }

    /** The node id it was started with. */
    public String nodeId() {
        return nodeId;
    }

    /**
     * The child's embedded PostgreSQL, found through the port it writes into postmaster.pid, with the password it
     * generated into pgdata.password (it refuses connections without it).
     */
    public JdbcTemplate database() throws IOException {
        List<String> pid = Files.readAllLines(dataDir.resolve("pgdata/postmaster.pid"));
        String url = "jdbc:postgresql://localhost:" + pid.get(3).trim() + "/postgres";
        return new JdbcTemplate(new SingleConnectionDataSource(url, "postgres", databasePassword(), true));
    }

    /** The password of the child's embedded PostgreSQL. */
    public String databasePassword() throws IOException {
        return Files.readString(dataDir.resolve("pgdata.password")).strip();
    }

    /** The status of the newest batch of a file (by its name), or null before there is one. */
    public static String latestStatus(JdbcTemplate db, String fileName) {
        return db
                .queryForList(
                        "SELECT status FROM ingest_batch WHERE input_id LIKE ? ORDER BY started_at DESC LIMIT 1",
                        String.class,
                        fileName + ":%")
                .stream()
                .findFirst()
                .orElse(null);
    }

    /** The HTTP port the child's Tomcat took. */
    public int port() throws IOException {
        var m = java.util.regex.Pattern.compile("Tomcat started on port (\\d+)").matcher(log());
        if (!m.find()) {
            throw new IllegalStateException("no port in the log");
        }
        return Integer.parseInt(m.group(1));
    }

    public static ChildIngestor start(Path dataDir, String nodeId, Map<String, String> env) throws IOException {
        return start(dataDir, nodeId, env, Map.of());
    }

    /** @param properties system properties that override the defaults below (routes and mappings folders, ...) */
    public static ChildIngestor start(
            Path dataDir, String nodeId, Map<String, String> env, Map<String, String> properties) throws IOException {
        return start(dataDir, nodeId, env, properties, "512m");
    }

    /** @param heap the child's maximum heap ({@code -Xmx}) */
    public static ChildIngestor start(
            Path dataDir, String nodeId, Map<String, String> env, Map<String, String> properties, String heap)
            throws IOException {
        Path log = dataDir.resolveSibling(dataDir.getFileName() + "-" + nodeId + "-" + System.nanoTime() + ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap,
                "-cp",
                System.getProperty("java.class.path"),
                "-Dingestor.data-dir=" + dataDir.toAbsolutePath(),
                "-Dingestor.routes-dir=" + Path.of("routes").toAbsolutePath(),
                "-Dingestor.mappings-dir=" + Path.of("mappings").toAbsolutePath(),
                "-Dingestor.routes.reload=false",
                "-Dingestor.node-id=" + nodeId,
                "-Dserver.port=0"));
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add(IngestorApplication.class.getName());
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("SPRING_") || k.startsWith("INGESTOR_"));
        builder.environment().putAll(env);
        ChildIngestor child = new ChildIngestor(builder.start(), log, dataDir);
        child.nodeId = nodeId;
        try {
            // a generous bound: on a machine shared with other builds the start alone has taken over two minutes
            await().atMost(Duration.ofSeconds(300))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        if (!child.process.isAlive()) {
                            throw new IllegalStateException("the application exited at start:\n" + child.log());
                        }
                        return child.log().contains("Started IngestorApplication");
                    });
        } catch (RuntimeException e) {
            // a child left running would go on taking files from the folder of the next test that uses it
            child.process.destroyForcibly();
            throw e;
        }
        return child;
    }

    public String log() throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
    }

    /** SIGKILL: no shutdown hook runs, the embedded PostgreSQL is left running as after a crash. */
    public void kill() throws InterruptedException {
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
