package io.camelingestor.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelingestor.TestDataDir;
import io.camelingestor.restart.ChildIngestor;
import io.camelingestor.web.Http;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The packaged application in its own JVM with its own embedded PostgreSQL, run with credentials from the
 * environment as an operator would: a rejected file replayed after its mapping is fixed, readiness following
 * the embedded database down and up again (readiness and liveness follow it), and no secret in the log or the actuator.
 */
class OperatingARunningServiceTest {

    private static final String ADMIN_SECRET = "op-admin-Secret-91x";
    private static final String VIEWER_SECRET = "op-viewer-Secret-27y";
    private static final String WRONG_GUESS = "op-wrong-guess-55z";

    private final Path root = Path.of("target/operating").toAbsolutePath();
    private final Path mappings = root.resolve("mappings");
    private final Path dataDir = root.resolve("data");

    @Test
    void replayAfterAFixReadinessWithTheDatabaseAndNoSecretInTheLog() throws Exception {
        TestDataDir.delete(root);
        Files.createDirectories(mappings);
        try (Stream<Path> files = Files.list(Path.of("mappings"))) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.copy(file, mappings.resolve(file.getFileName()));
            }
        }
        Path mapping = mappings.resolve("energy_hourly.yaml");
        String original = Files.readString(mapping);
        Files.writeString(mapping, original + "\nquality:\n  min_valid_ratio: 0.9\n");

        try (ChildIngestor child = ChildIngestor.start(
                dataDir,
                "operating-node",
                Map.of("INGESTOR_SECURITY_PASSWORD", ADMIN_SECRET, "INGESTOR_SECURITY_VIEWER_PASSWORD", VIEWER_SECRET),
                Map.of(
                        "ingestor.mappings-dir",
                        mappings.toString(),
                        "ingestor.api.await-batch",
                        "20s",
                        // JSON logs, as a log collector would read them
                        "logging.structured.format.console",
                        "ecs"))) {
            Http http = new Http(child.port());
            String admin = "admin:" + ADMIN_SECRET;
            JdbcTemplate db = child.database();

            // a file under the mapping's quality threshold is rejected ...
            String file = "abcdefabcdefabcdefabcdef-hourly.csv";
            Path inbound = dataDir.resolve("inbound/energy_hourly");
            Files.writeString(
                    inbound.resolve(file + ".tmp"),
                    "Date and Time,Hourly\n2025-09-01T00:00:00,1\n2025-09-01T01:00:00,-1\n");
            Files.move(inbound.resolve(file + ".tmp"), inbound.resolve(file), StandardCopyOption.ATOMIC_MOVE);
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> "REJECTED".equals(ChildIngestor.latestStatus(db, file))
                            && Files.exists(
                                    dataDir.resolve("rejected/energy_hourly").resolve(file)));
            long deadLetter = db.queryForObject(
                    "SELECT id FROM dead_letter WHERE input_id LIKE ? ORDER BY id DESC LIMIT 1",
                    Long.class,
                    file + ":%");

            // ... the mapping is fixed, and the dead letter replayed: the same file, loaded this time
            Files.writeString(mapping, original);
            Http.Response replay = http.post("/api/dead-letters/" + deadLetter + "/replay", admin);
            assertThat(replay.status()).as(replay.body()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> "PARTIAL".equals(ChildIngestor.latestStatus(db, file)));
            String newBatch = db.queryForObject(
                    "SELECT id::text FROM ingest_batch WHERE input_id LIKE ? AND status = 'PARTIAL'",
                    String.class,
                    file + ":%");
            assertThat(db.queryForObject(
                            "SELECT replay_batch_id::text FROM dead_letter WHERE id = ?", String.class, deadLetter))
                    .isEqualTo(newBatch);
            assertThat(replay.json().path("batchId").asText()).isEqualTo(newBatch);
            assertThat(db.queryForObject(
                            "SELECT count(*) FROM fact_energy_hourly WHERE device_id = 'abcdefabcdefabcdefabcdef'",
                            Long.class))
                    .isEqualTo(1L);
            JsonNode batch = http.get("/api/batches/" + newBatch, "viewer:" + VIEWER_SECRET)
                    .json();
            assertThat(batch.path("status").asText()).isEqualTo("PARTIAL");
            assertThat(http.get("/api/batches", "admin:" + WRONG_GUESS).status())
                    .isEqualTo(401);

            // readiness follows the database; so does liveness, for the embedded database only (a restart of the
            // service brings it back; an external database's outage never fails liveness)
            assertThat(http.get("/actuator/health/readiness", null).status()).isEqualTo(200);
            List<String> postmaster = Files.readAllLines(dataDir.resolve("pgdata/postmaster.pid"));
            Path pgCtl = Path.of(
                            ProcessHandle.of(Long.parseLong(postmaster.get(0).trim()))
                                    .orElseThrow()
                                    .info()
                                    .command()
                                    .orElseThrow())
                    .resolveSibling("pg_ctl");
            pgCtl(pgCtl, "stop", "-m", "fast");
            Http.Response down = http.get("/actuator/health/readiness", null);
            assertThat(down.status()).isEqualTo(503);
            assertThat(down.json().path("status").asText()).isEqualTo("DOWN");
            assertThat(http.get("/actuator/health/liveness", null).status()).isEqualTo(503);
            JsonNode database = http.get("/actuator/health/database", admin).json();
            assertThat(database.path("status").asText()).isEqualTo("DOWN");

            pgCtl(
                    pgCtl,
                    "start",
                    "-o",
                    "-p " + postmaster.get(3).trim() + " -c listen_addresses=localhost",
                    "-l",
                    root.resolve("restarted-postgres.log").toString());
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> http.get("/actuator/health/readiness", null).status() == 200);
            // the other components follow at their next look (the replica's lease at its next heartbeat, 5 s)
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(
                            () -> assertThat(http.get("/actuator/health", admin).body())
                                    .startsWith("{\"status\":\"UP\""));

            // secrets (the embedded database's generated password too): masked in the actuator, absent from the log
            String databasePassword = child.databasePassword();
            for (String path : List.of("/actuator/env", "/actuator/configprops")) {
                assertThat(http.get(path, admin).body())
                        .as(path)
                        .doesNotContain(ADMIN_SECRET)
                        .doesNotContain(VIEWER_SECRET)
                        .doesNotContain(databasePassword);
            }
            String log = child.log();
            String line = log.lines()
                    .filter(l -> l.contains("Batch " + newBatch + " PARTIAL"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no end-of-batch line in\n" + log));
            JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
            assertThat(json.path("message").asText())
                    .startsWith("Batch " + newBatch
                            + " PARTIAL: source=files.energy_hourly dataset=energy_hourly input=" + file + ":")
                    .contains("rows=2 valid=1 invalid=1 loaded=1 duration=");
            assertThat(json.path("batchId").asText()).as(line).isEqualTo(newBatch);
            assertThat(json.path("inputId").asText()).as(line).startsWith(file + ":");
            assertThat(log)
                    .doesNotContain(ADMIN_SECRET)
                    .doesNotContain(VIEWER_SECRET)
                    .doesNotContain(WRONG_GUESS)
                    .doesNotContain(databasePassword);
        }
    }

    /** pg_ctl on the child's data directory, as zonky runs it (unshare -U when run as root). */
    private void pgCtl(Path pgCtl, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (io.zonky.test.db.postgres.util.LinuxUtils.isUnshareAvailable()) {
            command.addAll(List.of("unshare", "-U"));
        }
        command.addAll(List.of(pgCtl.toString(), "-D", dataDir.resolve("pgdata").toString(), "-w", "-t", "60"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }
}
