package io.camelingestor.restart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.camelingestor.TestDataDir;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Issue 14: several replicas (child JVMs) on one PostgreSQL and one data folder, clustering on. Files dropped
 * at once are spread over the replicas and each loaded once; the replica loading a large file is killed with
 * SIGKILL mid-file and the survivors finish it within the takeover timeout; replicas killed together are taken
 * over by a replica that starts under a new node id. Takeover after 20 s here (30 s by default).
 */
class ReplicasShareTheWorkTest {

    private static final int SMALL_FILES = 300;
    private static final int BIG_ROWS = 400_000;

    private final Path dataDir = Path.of("target/replicas-test/data").toAbsolutePath();
    private final List<ChildIngestor> replicas = new ArrayList<>();
    private SharedDatabase postgres;

    @AfterEach
    void stopAll() throws Exception {
        for (ChildIngestor replica : replicas) {
            replica.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void replicasShareFilesAndTakeOverADeadOnesWork() throws Exception {
        TestDataDir.delete(dataDir.getParent());
        Files.createDirectories(dataDir);
        postgres = SharedDatabase.start("ingestor_replica", "replica-secret-for-test");
        JdbcTemplate db = postgres.jdbc;
        Map<String, String> env = postgres.env(Map.of());
        Map<String, String> cluster = Map.of(
                "ingestor.cluster.enabled", "true",
                "ingestor.cluster.takeover-after", "20s",
                "ingestor.cluster.heartbeat", "2s");
        // the first one alone runs the migrations, then two more join
        replicas.add(ChildIngestor.start(dataDir, "r1", env, cluster, "256m"));
        List<CompletableFuture<ChildIngestor>> joining = new ArrayList<>();
        for (String node : List.of("r2", "r3")) {
            joining.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return ChildIngestor.start(dataDir, node, env, cluster, "256m");
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (CompletableFuture<ChildIngestor> j : joining) {
            replicas.add(j.join());
        }
        Map<String, ChildIngestor> byNode = new HashMap<>();
        replicas.forEach(r -> byNode.put(r.nodeId(), r));

        // 1. many small files at once: each LOADED once, spread over all three
        Path inbound = dataDir.resolve("inbound/energy_hourly");
        List<String> small = new ArrayList<>();
        for (int i = 0; i < SMALL_FILES; i++) {
            String name = String.format("%024x-hourly.csv", 0xa000 + i);
            write(inbound, name, 24, LocalDateTime.of(2001, 1, 1, 0, 0).plusDays(i));
            small.add(name);
        }
        await().atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> db.queryForObject(
                                        "SELECT count(*) FROM ingest_batch WHERE dataset = 'energy_hourly' AND status <> 'RUNNING'",
                                        Long.class)
                                >= SMALL_FILES
                        && Files.list(inbound).noneMatch(p -> p.toString().endsWith(".csv")));
        assertThat(db.queryForObject("SELECT count(*) FROM ingest_batch WHERE status = 'LOADED'", Long.class))
                .as("each file loaded once")
                .isEqualTo(SMALL_FILES);
        assertThat(db.queryForObject("SELECT count(*) FROM ingest_batch WHERE status <> 'LOADED'", Long.class))
                .as("no FAILED, REJECTED, DUPLICATE or RUNNING batch")
                .isZero();
        assertThat(db.queryForObject("SELECT count(DISTINCT input_id) FROM ingest_batch", Long.class))
                .isEqualTo(SMALL_FILES);
        assertThat(db.queryForObject("SELECT count(*) FROM fact_energy_hourly", Long.class))
                .isEqualTo(SMALL_FILES * 24L);
        assertThat(db.queryForList("SELECT DISTINCT node_id FROM ingest_batch ORDER BY 1", String.class))
                .as("the work spread over all replicas")
                .containsExactly("r1", "r2", "r3");

        // 2. the replica loading a large file is killed mid-file: the survivors finish it, once
        String big = "bbbbbbbbbbbbbbbbbbbbbbbb-hourly.csv";
        write(inbound, big, BIG_ROWS, LocalDateTime.of(1990, 1, 1, 0, 0));
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> "RUNNING".equals(ChildIngestor.latestStatus(db, big)));
        String loader = db.queryForObject(
                "SELECT node_id FROM ingest_batch WHERE input_id LIKE ? AND status = 'RUNNING'",
                String.class,
                big + ":%");
        byNode.get(loader).kill();
        assertThat(ChildIngestor.latestStatus(db, big))
                .as("killed before the load committed")
                .isEqualTo("RUNNING");
        await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> "LOADED".equals(ChildIngestor.latestStatus(db, big)));
        assertThat(rows(db, "bbbbbbbbbbbbbbbbbbbbbbbb")).as("every row once").isEqualTo(BIG_ROWS);
        List<Map<String, Object>> bigBatches = db.queryForList(
                "SELECT id, status, node_id, error FROM ingest_batch WHERE input_id LIKE ? ORDER BY started_at",
                big + ":%");
        assertThat(bigBatches).extracting(b -> b.get("status")).containsExactly("FAILED", "LOADED");
        assertThat((String) bigBatches.get(0).get("error")).contains("stopped renewing its lease");
        assertThat(bigBatches.get(1).get("node_id")).isNotEqualTo(loader);
        assertThat(db.queryForObject(
                        "SELECT count(*) FROM staging_energy_hourly WHERE batch_id = ?",
                        Long.class,
                        bigBatches.get(0).get("id")))
                .isZero();
        assertThat(db.queryForObject(
                        "SELECT replayed_at IS NOT NULL FROM dead_letter WHERE batch_id = ? AND error_class = 'Interrupted'",
                        Boolean.class,
                        bigBatches.get(0).get("id")))
                .isTrue();
        assertThat(db.queryForObject("SELECT taken_over_by FROM cluster_node WHERE node_id = ?", String.class, loader))
                .isNotNull()
                .isNotEqualTo(loader);

        // 3. the survivors are killed together mid-file; a replica under a new node id takes over both
        String third = "cccccccccccccccccccccccc-hourly.csv";
        write(inbound, third, 100_000, LocalDateTime.of(1970, 1, 1, 0, 0));
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> "RUNNING".equals(ChildIngestor.latestStatus(db, third)));
        for (ChildIngestor replica : replicas) {
            replica.kill();
        }
        String stuckOn = db.queryForObject(
                "SELECT node_id FROM ingest_batch WHERE input_id LIKE ? AND status = 'RUNNING'",
                String.class,
                third + ":%");
        replicas.add(ChildIngestor.start(dataDir, "r4-new-name", env, cluster, "256m"));
        await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> "LOADED".equals(ChildIngestor.latestStatus(db, third)));
        assertThat(rows(db, "cccccccccccccccccccccccc")).isEqualTo(100_000);
        assertThat(db.queryForObject("SELECT count(*) FROM ingest_batch WHERE status = 'RUNNING'", Long.class))
                .as("nothing stuck")
                .isZero();
        assertThat(db.queryForObject("SELECT taken_over_by FROM cluster_node WHERE node_id = ?", String.class, stuckOn))
                .isEqualTo("r4-new-name");
        assertThat(Files.list(inbound)
                        .filter(p -> p.toString().endsWith(".csv"))
                        .toList())
                .isEmpty();
    }

    private static void write(Path inbound, String name, int rows, LocalDateTime from) throws IOException {
        Files.createDirectories(inbound);
        Path tmp = inbound.resolve(name + ".tmp");
        try (BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            out.write("Date and Time,Hourly\n");
            for (int i = 0; i < rows; i++) {
                out.write(from.plusHours(i).toString());
                out.write(",1.25\n");
            }
        }
        Files.move(tmp, inbound.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    private static long rows(JdbcTemplate db, String device) {
        return db.queryForObject("SELECT count(*) FROM fact_energy_hourly WHERE device_id = ?", Long.class, device);
    }
}
