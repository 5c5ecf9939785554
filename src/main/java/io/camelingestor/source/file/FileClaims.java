package io.camelingestor.source.file;

import io.camelingestor.core.ClusterProperties;
import io.camelingestor.core.IngestorProperties;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.processor.idempotent.jdbc.JdbcOrphanLockAwareIdempotentRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Claims of files in the shared inbound folders ({@code file_claim}): camel-sql's
 * {@link JdbcOrphanLockAwareIdempotentRepository}, the idempotent repository made for a file read lock shared
 * by several nodes. The replica holding a claim refreshes it every {@code ingestor.cluster.heartbeat}; a claim not
 * refreshed for {@code ingestor.cluster.takeover-after} belongs to a dead replica and may be taken by another.
 *
 * <p>Adjustments for Camel 4.17, each where the library falls short (its queries, table name and existence
 * check are kept; claiming, releasing and refreshing are replaced): the table comes from Flyway
 * ({@code createTableIfNotExists=false}: the library's existence probe aborts a PostgreSQL transaction); the
 * replica that loses an insert race gets an exception rather than {@code false} (fixed in 4.22), which is a
 * lost claim here; its check-then-insert let several replicas racing for one file all "win" (the loser's
 * insert re-dates the winner's row and reports success), so a claim is one {@code INSERT ... ON CONFLICT DO
 * UPDATE ... WHERE createdAt < max age} here; its keep-alive only covers keys it inserted itself, so this
 * replica re-dates all its claims (by {@code node_id}) in one statement per heartbeat; and a claim is only
 * ever released by the replica holding it. Each claim also names its node ({@code node_id}).
 */
@Component("fileClaims")
public class FileClaims extends JdbcOrphanLockAwareIdempotentRepository {

    private static final Logger log = LoggerFactory.getLogger(FileClaims.class);

    /** All replicas share one processor name: a file's key is its absolute path in the shared folder. */
    static final String PROCESSOR = "inbound";

    private final String nodeId;
    private final long maxAgeMillis;
    private final long heartbeatMillis;
    private ScheduledExecutorService keepAlive;

    /** Claims of files that have left their folders, released together ({@link #removeSoon}). */
    private static final long RELEASE_DELAY_MILLIS = 50;

    private ScheduledExecutorService releases;
    private final Queue<String> queued = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean releaseScheduled = new AtomicBoolean();

    public FileClaims(
            DataSource dataSource,
            PlatformTransactionManager transactions,
            CamelContext camelContext,
            IngestorProperties properties,
            ClusterProperties cluster) {
        super(new JdbcTemplate(dataSource), new TransactionTemplate(transactions), camelContext);
        this.nodeId = properties.nodeId();
        this.maxAgeMillis = cluster.takeoverAfter().toMillis();
        this.heartbeatMillis = cluster.heartbeat().toMillis();
        setProcessorName(PROCESSOR);
        setTableName("file_claim");
        setCreateTableIfNotExists(false);
        setLockMaxAgeMillis(maxAgeMillis);
        setLockKeepAliveIntervalMillis(cluster.heartbeat().toMillis());
    }

    /** Started with the application (not by a route): prepares its statements and starts the keep-alive. */
    @PostConstruct
    void startClaims() {
        start();
        keepAlive = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "file-claims-keepalive");
            t.setDaemon(true);
            return t;
        });
        keepAlive.scheduleWithFixedDelay(this::refresh, heartbeatMillis, heartbeatMillis, TimeUnit.MILLISECONDS);
        releases = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "file-claims-release");
            t.setDaemon(true);
            return t;
        });
    }

    @PreDestroy
    void stopClaims() {
        if (keepAlive != null) {
            keepAlive.shutdownNow();
            releases.shutdownNow();
        }
        releaseQueued();
        shutdown();
    }

    /**
     * Releases the claim of a file that has left the folder a moment later, together with the others released
     * meanwhile: one statement and commit for many files instead of one each on the worker (issue 15). Only for
     * a file that is gone: a claim kept a little longer on it keeps nobody off a file. A file left in the folder
     * for another try is released at once ({@link #remove}), so that the next poll can take it.
     */
    public void removeSoon(String key) {
        queued.add(key);
        if (releaseScheduled.compareAndSet(false, true)) {
            try {
                releases.schedule(this::releaseQueued, RELEASE_DELAY_MILLIS, TimeUnit.MILLISECONDS);
            } catch (RuntimeException stopping) {
                releaseScheduled.set(false);
                releaseQueued();
            }
        }
    }

    private void releaseQueued() {
        releaseScheduled.set(false);
        List<String> keys = new ArrayList<>();
        for (String key; (key = queued.poll()) != null; ) {
            keys.add(key);
        }
        if (keys.isEmpty()) {
            return;
        }
        try {
            jdbcTemplate.update(
                    "DELETE FROM file_claim WHERE processorName = ? AND node_id = ? AND messageId = ANY (?)",
                    processorName,
                    nodeId,
                    keys.toArray(String[]::new));
        } catch (RuntimeException e) {
            // the files have gone: their claims age out after ingestor.cluster.takeover-after
            log.warn(
                    "Could not release the claims of {} files that have left their folders: {}",
                    keys.size(),
                    e.getMessage());
        }
    }

    /** Every claim this replica holds is dated now: one statement per heartbeat, whatever their number. */
    private void refresh() {
        try {
            jdbcTemplate.update(
                    "UPDATE file_claim SET createdAt = ? WHERE processorName = ? AND node_id = ?",
                    new Timestamp(System.currentTimeMillis()),
                    processorName,
                    nodeId);
        } catch (RuntimeException e) {
            log.warn("Could not refresh the file claims of {}: {}", nodeId, e.getMessage());
        }
    }

    /**
     * Claims the file in one statement: inserted when nobody holds it, taken over when its holder stopped
     * refreshing it for the max age, refused otherwise. One statement, so replicas racing for a file cannot
     * both win, whatever transaction the caller runs in.
     */
    @Override
    public boolean add(String key) {
        long now = System.currentTimeMillis();
        return jdbcTemplate.update(
                        """
                        INSERT INTO file_claim (processorName, messageId, createdAt, node_id) VALUES (?, ?, ?, ?)
                        ON CONFLICT (processorName, messageId) DO UPDATE
                        SET createdAt = excluded.createdAt, node_id = excluded.node_id
                        WHERE file_claim.createdAt < ?
                        """,
                        processorName,
                        key,
                        new Timestamp(now),
                        nodeId,
                        new Timestamp(now - maxAgeMillis))
                == 1;
    }

    /** Releases the claim only when this replica holds it. */
    @Override
    public boolean remove(String key) {
        return jdbcTemplate.update(
                        "DELETE FROM file_claim WHERE processorName = ? AND messageId = ? AND node_id = ?",
                        processorName,
                        key,
                        nodeId)
                == 1;
    }
}
