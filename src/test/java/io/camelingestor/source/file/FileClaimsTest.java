package io.camelingestor.source.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.camelingestor.IngestorIntegrationTest;
import io.camelingestor.core.ClusterProperties;
import io.camelingestor.core.IngestorProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;

/** Claims of two replicas on the real table: one holder at a time, only the holder releases. */
class FileClaimsTest extends IngestorIntegrationTest {

    @Autowired
    DataSource dataSource;

    @Autowired
    PlatformTransactionManager transactions;

    @Autowired
    CamelContext camel;

    private FileClaims replica(String node) {
        FileClaims claims = new FileClaims(
                dataSource,
                transactions,
                camel,
                new IngestorProperties(
                        Path.of("target/it-data"), Path.of("routes"), Path.of("mappings"), Path.of("sql"), node),
                new ClusterProperties(true, Duration.ofSeconds(30), Duration.ofSeconds(5)));
        claims.startClaims();
        return claims;
    }

    @Test
    void oneHolderAtATimeAndOnlyItReleases() throws Exception {
        FileClaims a = replica("claims-a");
        FileClaims b = replica("claims-b");
        try {
            String key = "/claims-test/" + newDeviceId() + ".csv";
            assertThat(a.add(key)).isTrue();
            assertThat(b.add(key)).isFalse();
            assertThat(b.remove(key)).as("not b's to release").isFalse();
            assertThat(b.add(key)).as("still a's").isFalse();
            assertThat(a.remove(key)).isTrue();
            assertThat(b.add(key)).isTrue();
            b.remove(key);

            // many replicas racing for one file: exactly one wins
            for (int round = 0; round < 20; round++) {
                String raced = "/claims-test/race-" + round + "-" + newDeviceId();
                ExecutorService pool = Executors.newFixedThreadPool(4);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Boolean>> wins = new ArrayList<>();
                for (FileClaims c : List.of(a, b, a, b)) {
                    wins.add(pool.submit(() -> {
                        go.await();
                        return c.add(raced);
                    }));
                }
                go.countDown();
                int won = 0;
                for (Future<Boolean> w : wins) {
                    won += w.get() ? 1 : 0;
                }
                pool.shutdown();
                assertThat(won).as("winners of round %d", round).isEqualTo(1);
            }
        } finally {
            jdbc.update("DELETE FROM file_claim WHERE messageId LIKE '/claims-test/%'");
            a.stopClaims();
            b.stopClaims();
        }
    }
}
