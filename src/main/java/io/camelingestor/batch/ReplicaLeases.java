package io.camelingestor.batch;

import io.camelingestor.core.ClusterProperties;
import io.camelingestor.core.IngestorProperties;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every replica's lease in {@code cluster_node}: renewed every {@code ingestor.cluster.heartbeat} with the
 * database's clock, so replicas need no synchronised clocks for it. On each renewal a replica also looks for
 * dead ones (lease older than {@code ingestor.cluster.takeover-after}) and takes over their work: their RUNNING
 * batches become FAILED with a replayed dead letter and their staging rows are discarded (as a restarted node
 * does with its own), their file claims and source runs are freed, and so their files, still in the inbound
 * folders, are ingested again by whichever replica claims them first. The dead node's row is locked while this
 * happens ({@code FOR UPDATE SKIP LOCKED}), so one replica does it. Batches RUNNING under a node id that has no
 * lease at all (written before leases existed) are treated the same once they are older than the timeout.
 *
 * <p>Leases, claims and takeover are on for one replica too: a container that comes back under a new host name
 * then takes over what its previous name left, after the timeout.
 *
 * <p>Hand-written because the engines in use each cover one part: Quartz's cluster check-in only recovers
 * Quartz jobs, and camel-sql's orphan-aware repository only frees its own keys; the batches are ours.
 */
@Component("replicaLeases")
public class ReplicaLeases {

    private static final Logger log = LoggerFactory.getLogger(ReplicaLeases.class);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final BatchStore batches;
    private final ClusterProperties cluster;
    private final String nodeId;
    private final int workers;
    private final AtomicReference<Instant> lastRenewed = new AtomicReference<>();
    private final AtomicReference<String> lastProblem = new AtomicReference<>();
    private ScheduledExecutorService timer;

    public ReplicaLeases(
            JdbcTemplate jdbc,
            TransactionTemplate tx,
            BatchStore batches,
            ClusterProperties cluster,
            IngestorProperties properties,
            @Value("${ingestor.workers:2}") int workers) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.batches = batches;
        this.cluster = cluster;
        this.nodeId = properties.nodeId();
        this.workers = workers;
    }

    /**
     * Before any route consumes: this node's lease is (re)started, and what a previous run of this node id left
     * (claims of files, source runs) is freed at once, since this node is not working on anything yet.
     */
    @PostConstruct
    void start() {
        jdbc.update(
                """
                INSERT INTO cluster_node (node_id, started_at, heartbeat_at, workers, version)
                VALUES (?, now(), now(), ?, ?)
                ON CONFLICT (node_id) DO UPDATE SET started_at = now(), heartbeat_at = now(), taken_over_at = NULL,
                       taken_over_by = NULL, workers = excluded.workers, version = excluded.version
                """,
                nodeId,
                workers,
                ReplicaLeases.class.getPackage().getImplementationVersion());
        int claims = jdbc.update("DELETE FROM file_claim WHERE node_id = ?", nodeId);
        int runs = jdbc.update("DELETE FROM source_run WHERE node_id = ?", nodeId);
        if (claims + runs > 0) {
            log.info(
                    "Node {} started again: freed {} file claims and {} source runs of its previous run",
                    nodeId,
                    claims,
                    runs);
        }
        lastRenewed.set(Instant.now());
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "replica-lease");
            t.setDaemon(true);
            return t;
        });
        long period = cluster.heartbeat().toMillis();
        timer.scheduleWithFixedDelay(this::beat, period, period, TimeUnit.MILLISECONDS);
    }

    /** Graceful stop (routes already stopped): the lease ends now, so anything left is taken over at once. */
    @PreDestroy
    void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
        try {
            jdbc.update(
                    "UPDATE cluster_node SET heartbeat_at = now() - ?::interval WHERE node_id = ?",
                    cluster.takeoverAfter().toMillis() + " milliseconds",
                    nodeId);
        } catch (RuntimeException e) {
            log.debug("Could not end the lease of {} at stop: {}", nodeId, e.toString());
        }
    }

    void beat() {
        try {
            renew();
            takeOverDead();
            lastProblem.set(null);
        } catch (RuntimeException e) {
            lastProblem.set(e.getMessage());
            log.warn("Lease of node {} not renewed: {}", nodeId, e.getMessage());
        }
    }

    void renew() {
        List<String> takenBy = jdbc.queryForList(
                """
                UPDATE cluster_node SET heartbeat_at = now(), taken_over_at = NULL, taken_over_by = NULL
                WHERE node_id = ? RETURNING (SELECT taken_over_by FROM cluster_node WHERE node_id = ?)
                """,
                String.class,
                nodeId,
                nodeId);
        if (takenBy.isEmpty()) {
            start(); // the row was removed by hand: register again
            return;
        }
        if (takenBy.get(0) != null) {
            log.error(
                    "Node {} did not renew its lease for longer than {} and replica {} took over its work; inputs"
                            + " it finishes now end as DUPLICATE of the other replica's load (check the database"
                            + " connection and pauses of this replica)",
                    nodeId,
                    cluster.takeoverAfter(),
                    takenBy.get(0));
        }
        lastRenewed.set(Instant.now());
    }

    /**
     * Takes over the work of every replica whose lease expired.
     *
     * @return the node ids taken over
     */
    public List<String> takeOverDead() {
        String timeout = cluster.takeoverAfter().toMillis() + " milliseconds";
        List<String> taken = tx.execute(status -> {
            List<String> dead = jdbc.queryForList(
                    """
                    SELECT node_id FROM cluster_node
                    WHERE heartbeat_at < now() - ?::interval AND taken_over_at IS NULL AND node_id <> ?
                    FOR UPDATE SKIP LOCKED
                    """,
                    String.class,
                    timeout,
                    nodeId);
            for (String node : dead) {
                int resolved = batches.takeOver(node, cluster.takeoverAfter());
                int claims = jdbc.update("DELETE FROM file_claim WHERE node_id = ?", node);
                int runs = jdbc.update("DELETE FROM source_run WHERE node_id = ?", node);
                jdbc.update(
                        "UPDATE cluster_node SET taken_over_at = now(), taken_over_by = ? WHERE node_id = ?",
                        nodeId,
                        node);
                log.warn(
                        "Replica {} did not renew its lease for {}: took over {} RUNNING batches, {} file claims and"
                                + " {} source runs; its files are ingested again",
                        node,
                        cluster.takeoverAfter(),
                        resolved,
                        claims,
                        runs);
            }
            // batches of a node id that never had a lease (written before leases existed)
            List<String> unleased = jdbc.queryForList(
                    """
                    SELECT DISTINCT b.node_id FROM ingest_batch b
                    WHERE b.status = 'RUNNING' AND b.started_at < now() - ?::interval AND b.node_id IS NOT NULL
                      AND NOT EXISTS (SELECT 1 FROM cluster_node n WHERE n.node_id = b.node_id)
                    """,
                    String.class,
                    timeout);
            for (String node : unleased) {
                // the lease row both records the takeover and serialises it between replicas
                int inserted = jdbc.update(
                        """
                        INSERT INTO cluster_node (node_id, started_at, heartbeat_at, taken_over_at, taken_over_by)
                        VALUES (?, now(), now() - ?::interval, now(), ?) ON CONFLICT DO NOTHING
                        """,
                        node,
                        timeout,
                        nodeId);
                if (inserted == 1) {
                    int resolved = batches.takeOver(node, cluster.takeoverAfter());
                    log.warn("Node {} left {} RUNNING batches and has no lease: taken over", node, resolved);
                    dead = new java.util.ArrayList<>(dead);
                    dead.add(node);
                }
            }
            return dead;
        });
        return taken == null ? List.of() : taken;
    }

    /**
     * Every replica that has a lease, newest first: node id, start, last heartbeat, whether it is alive (lease
     * younger than the takeover timeout), who took over its work if it died, and what it is doing now (its
     * RUNNING batches, file claims and HTTP source runs).
     */
    public List<Map<String, Object>> members() {
        String timeout = cluster.takeoverAfter().toMillis() + " milliseconds";
        List<Map<String, Object>> nodes = jdbc.queryForList(
                """
                SELECT node_id AS "nodeId", started_at AS "startedAt", heartbeat_at AS "lastHeartbeat",
                       heartbeat_at >= now() - ?::interval AS "alive", taken_over_at AS "takenOverAt",
                       taken_over_by AS "takenOverBy", workers
                FROM cluster_node ORDER BY heartbeat_at DESC
                """,
                timeout);
        for (Map<String, Object> node : nodes) {
            Object id = node.get("nodeId");
            node.put(
                    "runningBatches",
                    jdbc.queryForList(
                            """
                            SELECT id, dataset, input_id AS "inputId", started_at AS "startedAt" FROM ingest_batch
                            WHERE status = 'RUNNING' AND node_id = ? ORDER BY started_at
                            """,
                            id));
            node.put(
                    "claimedFiles",
                    jdbc.queryForList(
                            "SELECT messageId AS \"file\", createdAt AS \"refreshedAt\" FROM file_claim WHERE node_id = ? ORDER BY 1",
                            id));
            node.put(
                    "sourceRuns",
                    jdbc.queryForList(
                            "SELECT source_id AS \"sourceId\", started_at AS \"startedAt\" FROM source_run WHERE node_id = ?",
                            id));
        }
        return nodes;
    }

    public String nodeId() {
        return nodeId;
    }

    /** When this replica last renewed its lease, and the error of the last failed renewal (null when fine). */
    public Instant lastRenewed() {
        return lastRenewed.get();
    }

    public String lastProblem() {
        return lastProblem.get();
    }

    public ClusterProperties settings() {
        return cluster;
    }

    public int workers() {
        return workers;
    }
}
