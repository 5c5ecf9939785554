package io.camelingestor.ops;

import io.camelingestor.batch.ReplicaLeases;
import io.camelingestor.core.IngestorProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import org.springframework.boot.actuate.autoconfigure.metrics.MeterRegistryCustomizer;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * This replica's membership: health component {@code cluster} (group {@code /actuator/health/cluster}) is UP
 * while its lease is renewed, DOWN once it has not been for the takeover timeout (other replicas may then take
 * over its work); every metric carries the tag {@code node} (the node id).
 */
@Configuration(proxyBeanMethods = false)
class ClusterHealth {

    @Bean("clusterHealthIndicator") // health component "cluster"
    HealthIndicator clusterHealthIndicator(ReplicaLeases leases) {
        return () -> {
            Instant renewed = leases.lastRenewed();
            Duration since = renewed == null ? null : Duration.between(renewed, Instant.now());
            boolean fresh = since != null && since.compareTo(leases.settings().takeoverAfter()) < 0;
            Health.Builder health = fresh ? Health.up() : Health.down();
            health.withDetail("nodeId", leases.nodeId())
                    .withDetail("clusteredSchedules", leases.settings().enabled())
                    .withDetail("workers", leases.workers())
                    .withDetail("leaseRenewed", String.valueOf(renewed))
                    .withDetail(
                            "takeoverAfter", leases.settings().takeoverAfter().toString());
            if (leases.lastProblem() != null) {
                health.withDetail("lastProblem", leases.lastProblem());
            }
            try {
                health.withDetail(
                        "replicasAlive",
                        leases.members().stream()
                                .filter(m -> Boolean.TRUE.equals(m.get("alive")))
                                .map(m -> m.get("nodeId"))
                                .toList());
            } catch (RuntimeException e) {
                health.withDetail("replicasAlive", "unknown: " + e.getMessage());
            }
            return health.build();
        };
    }

    @Bean
    MeterRegistryCustomizer<MeterRegistry> nodeTag(IngestorProperties properties) {
        return registry -> registry.config().commonTags("node", properties.nodeId());
    }
}
