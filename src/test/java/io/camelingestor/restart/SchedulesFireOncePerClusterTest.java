package io.camelingestor.restart;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.camelingestor.TestDataDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Issue 14: with clustering on, a scheduled HTTP source (Open-Meteo every 2 s, against WireMock) runs once per
 * tick across two replicas: one Quartz trigger in the database, every request a firing of it; when the
 * replica that ran the last tick is killed, the other one runs the next ones.
 */
class SchedulesFireOncePerClusterTest {

    private static final Pattern RUN = Pattern.compile("(\\S+)\\s+INFO .*HTTP source open-meteo run ");

    private final Path dataDir = Path.of("target/schedules-test/data").toAbsolutePath();
    private final List<ChildIngestor> replicas = new ArrayList<>();
    private final WireMockServer api =
            new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
    private SharedDatabase postgres;

    @AfterEach
    void stopAll() throws Exception {
        for (ChildIngestor replica : replicas) {
            replica.close();
        }
        api.stop();
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void eachTickRunsOnOneReplicaAndMovesWhenItDies() throws Exception {
        TestDataDir.delete(dataDir.getParent());
        Files.createDirectories(dataDir);
        api.start();
        String day = LocalDate.now(ZoneOffset.UTC).minusDays(2).toString();
        api.stubFor(get(urlPathEqualTo("/v1/archive"))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody(
                                """
                                {"hourly":{"time":["%1$sT00:00","%1$sT01:00"],"temperature_2m":[12.5,12.1],
                                 "relative_humidity_2m":[81,83],"surface_pressure":[1012.3,1012.0],
                                 "wind_speed_10m":[2.1,1.8],"wind_direction_10m":[200,210]}}
                                """
                                        .formatted(day))));
        postgres = SharedDatabase.start("ingestor_sched", "sched-secret-for-test");
        JdbcTemplate db = postgres.jdbc;
        Map<String, String> env = postgres.env(Map.of(
                "OPEN_METEO_API_URL", "http://127.0.0.1:" + api.port(),
                "OPEN_METEO_LATITUDE", "37.98",
                "OPEN_METEO_LONGITUDE", "23.73",
                "OPEN_METEO_DEVICE_ID", "cluster-meteo",
                "OPEN_METEO_POLL_INTERVAL", "2"));
        Map<String, String> cluster = Map.of(
                "ingestor.cluster.enabled", "true",
                "ingestor.cluster.takeover-after", "6s",
                "ingestor.cluster.heartbeat", "1s",
                "ingestor.sources.initial-delay", "1000",
                "ingestor.sources.open-meteo.enabled", "true");
        replicas.add(ChildIngestor.start(dataDir, "s1", env, cluster, "256m"));
        replicas.add(ChildIngestor.start(dataDir, "s2", env, cluster, "256m"));

        await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> requests() >= 5
                        && runs(replicas.get(0)).size() + runs(replicas.get(1)).size() >= 4);
        int requests = requests();
        long fired = db.queryForObject(
                "SELECT sum(times_triggered) FROM qrtz_simple_triggers WHERE trigger_name = 'open-meteo'", Long.class);
        assertThat(db.queryForObject(
                        "SELECT count(*) FROM qrtz_triggers WHERE trigger_name = 'open-meteo'", Long.class))
                .as("one trigger for the cluster")
                .isEqualTo(1L);
        assertThat(requests)
                .as("each request is one firing of the cluster's one trigger, not one per replica")
                .isLessThanOrEqualTo((int) fired);
        assertThat(db.queryForObject(
                        "SELECT count(*) FROM environmental_metrics WHERE device_id = 'cluster-meteo'", Long.class))
                .isEqualTo(2L);

        // the replica that ran the last tick dies: the next ticks run on the other one
        ChildIngestor last = lastRunner();
        ChildIngestor other = replicas.get(0) == last ? replicas.get(1) : replicas.get(0);
        last.kill();
        int otherRunsBefore = runs(other).size();
        int requestsBefore = requests();
        await().atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> runs(other).size() >= otherRunsBefore + 2 && requests() >= requestsBefore + 2);
        assertThat(db.queryForObject("SELECT count(*) FROM ingest_batch WHERE status = 'RUNNING'", Long.class))
                .isZero();
    }

    private int requests() {
        return api.countRequestsMatching(
                        getRequestedFor(urlPathEqualTo("/v1/archive")).build())
                .getCount();
    }

    /** The times of the runs a replica logged. */
    private static List<String> runs(ChildIngestor replica) throws IOException {
        List<String> times = new ArrayList<>();
        Matcher m = RUN.matcher(replica.log());
        while (m.find()) {
            times.add(m.group(1));
        }
        return times;
    }

    private ChildIngestor lastRunner() throws IOException {
        ChildIngestor last = null;
        String latest = "";
        for (ChildIngestor replica : replicas) {
            List<String> times = runs(replica);
            if (!times.isEmpty() && times.get(times.size() - 1).compareTo(latest) > 0) {
                latest = times.get(times.size() - 1);
                last = replica;
            }
        }
        return last;
    }
}
