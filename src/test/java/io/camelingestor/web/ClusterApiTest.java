package io.camelingestor.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelingestor.IngestorIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** {@code GET /api/cluster} and {@code /actuator/health/cluster} on the one replica of the default deployment. */
class ClusterApiTest extends IngestorIntegrationTest {

    @LocalServerPort
    int port;

    @Test
    void theReplicaSeesItselfAliveWithItsWorkers() throws Exception {
        Http http = new Http(port);
        JsonNode cluster = http.get("/api/cluster", Http.VIEWER).json();
        assertThat(cluster.path("self").asText()).isEqualTo("it-node");
        assertThat(cluster.path("clusteredSchedules").asBoolean()).isFalse();
        assertThat(cluster.path("workers").asInt()).isEqualTo(2);
        JsonNode self = null;
        for (JsonNode replica : cluster.path("replicas")) {
            if ("it-node".equals(replica.path("nodeId").asText())) {
                self = replica;
            }
        }
        assertThat(self).as("this replica has a lease").isNotNull();
        assertThat(self.path("alive").asBoolean()).isTrue();
        assertThat(self.path("runningBatches").isArray()).isTrue();
        assertThat(self.path("claimedFiles").isArray()).isTrue();

        JsonNode health = http.get("/actuator/health/cluster", Http.VIEWER).json();
        assertThat(health.path("status").asText()).isEqualTo("UP");
        assertThat(health.path("components")
                        .path("cluster")
                        .path("details")
                        .path("nodeId")
                        .asText())
                .isEqualTo("it-node");
        assertThat(http.get("/api/cluster", null).status()).isEqualTo(401);
    }
}
