package io.camelingestor.source.http;

import io.camelingestor.core.ClusterProperties;
import io.camelingestor.core.IngestorProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * One run of an HTTP source at a time across all replicas (table {@code source_run}), whether scheduled or
 * started with {@code POST /api/sources/{id}/run}: a source's cursor is never advanced by two replicas at once.
 * The row is the lock; it is deleted at the end of the run, and a row whose node stopped renewing its lease
 * ({@code ingestor.cluster.takeover-after}) no longer counts. A plain row rather than a PostgreSQL advisory lock,
 * because a run can last minutes and an advisory lock would hold a pooled connection all that time.
 */
@Component
public class SourceRunLocks {

    private final JdbcTemplate jdbc;
    private final String nodeId;
    private final String timeout;

    public SourceRunLocks(JdbcTemplate jdbc, IngestorProperties properties, ClusterProperties cluster) {
        this.jdbc = jdbc;
        this.nodeId = properties.nodeId();
        this.timeout = cluster.takeoverAfter().toMillis() + " milliseconds";
    }

    /** @return true when this replica now holds the source's run */
    public boolean tryLock(String sourceId) {
        return jdbc.update(
                        """
                        INSERT INTO source_run (source_id, node_id, started_at) VALUES (?, ?, now())
                        ON CONFLICT (source_id) DO UPDATE SET node_id = excluded.node_id, started_at = now()
                        WHERE NOT EXISTS (SELECT 1 FROM cluster_node n WHERE n.node_id = source_run.node_id
                                          AND n.heartbeat_at >= now() - ?::interval)
                        """,
                        sourceId,
                        nodeId,
                        timeout)
                == 1;
    }

    public void unlock(String sourceId) {
        jdbc.update("DELETE FROM source_run WHERE source_id = ? AND node_id = ?", sourceId, nodeId);
    }

    /** The node running the source now, or null. */
    public String holder(String sourceId) {
        return jdbc
                .queryForList(
                        """
                        SELECT r.node_id FROM source_run r JOIN cluster_node n ON n.node_id = r.node_id
                        WHERE r.source_id = ? AND n.heartbeat_at >= now() - ?::interval
                        """,
                        String.class,
                        sourceId,
                        timeout)
                .stream()
                .findFirst()
                .orElse(null);
    }
}
