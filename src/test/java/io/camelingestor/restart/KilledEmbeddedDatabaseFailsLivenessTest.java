package io.camelingestor.restart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.camelingestor.TestDataDir;
import io.camelingestor.web.Http;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, finding 9: {@code kill -9} of the embedded PostgreSQL's postmaster. Liveness goes DOWN (503), so an
 * orchestrator restarts the service, whose next start takes the data directory over.
 */
class KilledEmbeddedDatabaseFailsLivenessTest {

    private final Path root = Path.of("target", "killed-postmaster");

    @Test
    void livenessIsDownOnceThePostmasterIsKilled() throws Exception {
        TestDataDir.delete(root);
        Path dataDir = Files.createDirectories(root).resolve("data");
        try (ChildIngestor child = ChildIngestor.start(
                dataDir, "killed-pg-node", Map.of("INGESTOR_SECURITY_PASSWORD", "killed-pg-secret-77a0"))) {
            Http http = new Http(child.port());
            assertThat(http.get("/actuator/health/liveness", null).status()).isEqualTo(200);
            String pid = Files.readAllLines(dataDir.resolve("pgdata/postmaster.pid"))
                    .get(0)
                    .trim();
            Process kill = new ProcessBuilder("kill", "-9", pid).inheritIO().start();
            assertThat(kill.waitFor()).isZero();
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> http.get("/actuator/health/liveness", null).status() == 503);
            assertThat(http.get("/actuator/health/liveness", null).body()).contains("DOWN");
        }
    }
}
