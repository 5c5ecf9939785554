package io.camelingestor.restart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The default deployment (embedded PostgreSQL under data/pgdata) killed with SIGKILL in the middle of a large
 * file, then started again: what was loaded before is still there, the interrupted batch is resolved, the
 * file is loaded exactly once, and a file dropped while the service was down is picked up.
 */
class KilledMidFileIsIngestedExactlyOnceTest {

    private static final int BIG_ROWS = 300_000;

    private final Path dataDir = Path.of("target/kill-test/data").toAbsolutePath();

    @Test
    void restartAfterSigkillLoadsEveryFileExactlyOnce() throws Exception {
        io.camelingestor.TestDataDir.delete(dataDir.getParent());
        Files.createDirectories(dataDir);
        Path inbound = dataDir.resolve("inbound/energy_hourly");

        try (ChildIngestor first = ChildIngestor.start(dataDir, "kill-node", Map.of())) {
            JdbcTemplate db = first.database();
            drop(inbound, "aaaaaaaaaaaaaaaaaaaaaaaa-hourly.csv", 24);
            awaitStatus(db, "aaaaaaaaaaaaaaaaaaaaaaaa-hourly.csv", "LOADED");

            drop(inbound, "bbbbbbbbbbbbbbbbbbbbbbbb-hourly.csv", BIG_ROWS);
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() ->
                            "RUNNING".equals(ChildIngestor.latestStatus(db, "bbbbbbbbbbbbbbbbbbbbbbbb-hourly.csv")));
            first.kill();

            assertThat(ChildIngestor.latestStatus(db, "bbbbbbbbbbbbbbbbbbbbbbbb-hourly.csv"))
                    .as("the kill came before the load committed")
                    .isEqualTo("RUNNING");
            assertThat(inbound.resolve("bbbbbbbbbbbbbbbbbbbbbbbb-hourly.csv")).exists();
        }
        drop(inbound, "cccccccccccccccccccccccc-hourly.csv", 24); // while the service is down

        try (ChildIngestor second = ChildIngestor.start(dataDir, "kill-node", Map.of())) {
            JdbcTemplate db = second.database();
            awaitStatus(db, "bbbbbbbbbbbbbbbbbbbbbbbb-hourly.csv", "LOADED");
            awaitStatus(db, "cccccccccccccccccccccccc-hourly.csv", "LOADED");

            assertThat(rows(db, "aaaaaaaaaaaaaaaaaaaaaaaa")).isEqualTo(24);
            assertThat(rows(db, "bbbbbbbbbbbbbbbbbbbbbbbb")).isEqualTo(BIG_ROWS);
            assertThat(rows(db, "cccccccccccccccccccccccc")).isEqualTo(24);
            List<Map<String, Object>> big = db.queryForList(
                    "SELECT id, status, error FROM ingest_batch WHERE input_id LIKE 'bbbb%' ORDER BY started_at");
            assertThat(big).extracting(b -> b.get("status")).containsExactly("FAILED", "LOADED");
            assertThat((String) big.get(0).get("error")).startsWith("interrupted");
            assertThat(db.queryForObject(
                            "SELECT count(*) FROM staging_energy_hourly WHERE batch_id = ?",
                            Long.class,
                            big.get(0).get("id")))
                    .isZero();
            assertThat(db.queryForObject(
                            "SELECT error_class FROM dead_letter WHERE batch_id = ?",
                            String.class,
                            big.get(0).get("id")))
                    .isEqualTo("Interrupted");
            assertThat(second.log()).contains("was left RUNNING by a stop");
            assertThat(dataDir.resolve(
                            "processed/energy_hourly/" + LocalDate.now() + "/bbbbbbbbbbbbbbbbbbbbbbbb-hourly.csv"))
                    .exists();
        }
    }

    private static void drop(Path inbound, String name, int rows) throws IOException {
        Path tmp = inbound.resolve(name + ".tmp");
        try (BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            out.write("Date and Time,Hourly\n");
            // each file its own hours, so that no two files have the same content (that would be a DUPLICATE)
            LocalDateTime ts = LocalDateTime.of(2000 + name.charAt(0) - 'a', 1, 1, 0, 0);
            for (int i = 0; i < rows; i++) {
                out.write(ts.plusHours(i).toString());
                out.write(",1.25\n");
            }
        }
        Files.move(tmp, inbound.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    private static void awaitStatus(JdbcTemplate db, String file, String status) {
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> status.equals(ChildIngestor.latestStatus(db, file)));
    }

    private static long rows(JdbcTemplate db, String device) {
        return db.queryForObject("SELECT count(*) FROM fact_energy_hourly WHERE device_id = ?", Long.class, device);
    }
}
