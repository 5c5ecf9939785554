package io.camelingestor.source.file;

import io.camelingestor.core.ClusterProperties;
import io.camelingestor.core.IngestorProperties;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.sql.Timestamp;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.processor.idempotent.jdbc.JdbcOrphanLockAwareIdempotentRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
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
 * <p>Three adjustments for Camel 4.17, each where the library falls short: the table comes from Flyway
 * ({@code createTableIfNotExists=false}: the library's existence probe aborts a PostgreSQL transaction); the
 * replica that loses an insert race gets an exception rather than {@code false} (fixed in 4.22), which is a
 * lost claim here; and a claim taken over from a dead replica is inserted afresh (stale row deleted first,
 * under a transaction-scoped advisory lock on the key) rather than only re-dated, because the library's
 * re-dating does not add the key to the set it keeps alive (the new holder would lose it after one timeout)
 * and would also re-date a claim another replica made a moment before. Each claim also names its node ({@code node_id}).
 */
@Component("fileClaims")
public class FileClaims extends JdbcOrphanLockAwareIdempotentRepository {

    private static final Logger log = LoggerFactory.getLogger(FileClaims.class);

    /** All replicas share one processor name: a file's key is its absolute path in the shared folder. */
    static final String PROCESSOR = "inbound";

    private final String nodeId;
    private final long maxAgeMillis;

    public FileClaims(
            DataSource dataSource,
            PlatformTransactionManager transactions,
            CamelContext camelContext,
            IngestorProperties properties,
            ClusterProperties cluster) {
        super(new JdbcTemplate(dataSource), new TransactionTemplate(transactions), camelContext);
        this.nodeId = properties.nodeId();
        this.maxAgeMillis = cluster.takeoverAfter().toMillis();
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
    }

    @PreDestroy
    void stopClaims() {
        shutdown();
    }

    @Override
    public boolean add(String key) {
        try {
            return super.add(key);
        } catch (DataIntegrityViolationException e) {
            log.debug("File {} was claimed by another replica at the same moment", key);
            return false;
        }
    }

    /** Removes the key only when this replica holds it: a claim of another replica is never released here. */
    @Override
    protected int delete(String key) {
        Integer mine = jdbcTemplate.queryForObject(
                "SELECT count(*) FROM file_claim WHERE processorName = ? AND messageId = ? AND node_id = ?",
                Integer.class,
                processorName,
                key,
                nodeId);
        return mine != null && mine > 0 ? super.delete(key) : 0;
    }

    @Override
    protected int insert(String key) {
        // reached when no live claim was seen; replicas racing for the same file queue here until the first
        // one's transaction ends, then see its claim
        jdbcTemplate.queryForList("SELECT pg_advisory_xact_lock(hashtextextended(?, 14))", key);
        jdbcTemplate.update(
                "DELETE FROM file_claim WHERE processorName = ? AND messageId = ? AND createdAt < ?",
                processorName,
                key,
                new Timestamp(System.currentTimeMillis() - maxAgeMillis));
        Integer live = jdbcTemplate.queryForObject(getQueryString(), Integer.class, processorName, key);
        if (live != null && live > 0) {
            return 0; // claimed by another replica meanwhile
        }
        int inserted = super.insert(key); // the library's insert: adds the key to the set it keeps alive
        jdbcTemplate.update(
                "UPDATE file_claim SET node_id = ? WHERE processorName = ? AND messageId = ?",
                nodeId,
                processorName,
                key);
        return inserted;
    }
}
