package io.camelingestor.core;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Several replicas and parallel work (README "Several replicas" and "Configuration").
 *
 * @param enabled {@code ingestor.cluster.enabled}: the HTTP sources' schedules go to Quartz's clustered JDBC job
 *     store, so that each tick fires on one replica. Off by default: one replica needs no setting. File claims,
 *     leases and the takeover of a dead replica's work are always on (they cost a few statements per file and
 *     one per heartbeat), so that a replica restarted under another node id never leaves batches stuck
 * @param takeoverAfter {@code ingestor.cluster.takeover-after}: a replica whose lease was not renewed for this
 *     long is dead; its RUNNING batches are resolved and its files ingested again by another replica. Also the
 *     age after which a file claim nobody refreshes is free again
 * @param heartbeat {@code ingestor.cluster.heartbeat}: how often a replica renews its lease and refreshes its
 *     claims; must be well under {@code takeoverAfter}
 */
@ConfigurationProperties("ingestor.cluster")
public record ClusterProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("30s") Duration takeoverAfter,
        @DefaultValue("5s") Duration heartbeat) {

    public ClusterProperties {
        if (heartbeat.compareTo(takeoverAfter.dividedBy(2)) > 0) {
            throw new IllegalArgumentException("ingestor.cluster.heartbeat (" + heartbeat
                    + ") must be at most half of ingestor.cluster.takeover-after (" + takeoverAfter + ")");
        }
    }
}
