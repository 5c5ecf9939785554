package io.camelingestor.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import io.camelingestor.core.Envelope;
import io.camelingestor.core.ExchangeProperties;
import io.camelingestor.core.IngestorProperties;
import io.camelingestor.core.StageResult;
import io.camelingestor.dataset.SqlIdentifiers;
import io.camelingestor.datasource.DatasourceRegistry;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.jdbc.core.ArgumentPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.PreparedStatementCallback;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps {@code ingest_batch}, {@code pipeline_execution} and {@code data_quality_check}: one batch per input,
 * from RUNNING to LOADED, PARTIAL, DUPLICATE, REJECTED or FAILED.
 */
@Component("batches")
public class BatchStore {

    /** The MDC key of the input id of the batch a thread works on (the batch id's is {@code batchId}). */
    public static final String MDC_INPUT_ID = "inputId";

    // finished_at is clock_timestamp(), not now(): now() is when the transaction began, and the load
    // completes its batch at the end of a long transaction

    private static final Logger log = LoggerFactory.getLogger(BatchStore.class);

    /** Time-ordered (UUID version 7): a batch's staging rows sit in block ranges of their own (V3). */
    private static final TimeBasedEpochGenerator BATCH_IDS = Generators.timeBasedEpochGenerator();

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final String nodeId;
    private final ApplicationEventPublisher events;
    private final DatasourceRegistry datasources;

    public BatchStore(
            JdbcTemplate jdbc,
            TransactionTemplate tx,
            ObjectMapper json,
            IngestorProperties properties,
            ApplicationEventPublisher events,
            DatasourceRegistry datasources) {
        this.datasources = datasources;
        this.jdbc = jdbc;
        this.tx = tx;
        this.json = json;
        this.nodeId = properties.nodeId();
        this.events = events;
    }

    /**
     * Registers the input of the exchange's {@link Envelope}: a new RUNNING batch, or a DUPLICATE batch when
     * the same content was already loaded for this dataset.
     *
     * <p>Leaves the exchange properties {@value ExchangeProperties#BATCH_ID} (UUID) and {@value ExchangeProperties#BATCH_STATUS} ({@code RUNNING} or
     * {@code DUPLICATE}); for a duplicate also {@code duplicateOf}.
     */
    /**
     * Removes the MDC keys {@link #register} put there, so that the next log lines of the thread (another
     * input's, or another window's of an HTTP source run) do not carry this input's batch and input id.
     */
    public static void leaveBatchMdc() {
        MDC.remove(ExchangeProperties.BATCH_ID);
        MDC.remove(MDC_INPUT_ID);
    }

    /**
     * Marks the thread as working on no batch yet while its exchange goes on (an HTTP source's next window):
     * empty values rather than none, because Camel's MDC handling (pattern {@code *}) puts back, after a step
     * that completed asynchronously (a redelivery, a throttle), every MDC value it saw before the step unless
     * the key has a value now, and would give the next window's lines the last window's batch. Shown as
     * nothing in the plain format, as absent ones are.
     */
    public static void noBatchMdcYet() {
        MDC.put(ExchangeProperties.BATCH_ID, "");
        MDC.put(MDC_INPUT_ID, "");
    }

    public void register(Exchange exchange) {
        Envelope envelope = exchange.getProperty(ExchangeProperties.ENVELOPE, Envelope.class);
        UUID id = BATCH_IDS.generate();
        Instant started = Instant.now();
        // every log line of this input names it (camel.main.mdc-logging-keys-pattern carries them along)
        MDC.put(ExchangeProperties.BATCH_ID, id.toString());
        MDC.put(MDC_INPUT_ID, envelope.inputId());
        String device = envelope.deviceId() == null ? "" : envelope.deviceId();
        // A RUNNING batch's registration commits without waiting for its WAL flush (set_config below, local to
        // the statement's own transaction; issue 15: one fsync less per input). A server crash can lose only such a
        // registration, and nothing depends on it until the input's load commits, synchronously, which flushes the
        // WAL written before it: until then the file is still in its folder (an API window's cursor has not moved)
        // and the input is ingested again. A DUPLICATE ends here and its file moves next: that commit waits.
        // One statement, one round trip (issue 15): the duplicate check, the device made known to the registry
        // (the batch references it), the batch, an earlier unfinished attempt at the same input on this node
        // superseded (its dead letter could not be written, say, with the database down), and a dead letter
        // replayed through the API linked to the batch that ingests its input again. The sub-statements share
        // one snapshot and the foreign keys are checked at the end of the statement.
        Registered registered = jdbc.queryForObject(
                """
                WITH original AS (
                    SELECT id FROM ingest_batch
                    WHERE dataset = ?::text AND sha256 = ?::text AND status IN ('LOADED', 'PARTIAL') LIMIT 1),
                device AS (
                """
                        + DatasourceRegistry.ENSURE_SQL
                        + """
                ),
                batch AS (
                    INSERT INTO ingest_batch (id, source_id, dataset, input_id, sha256, source_uri, device_id,
                                              content_type, status, duplicate_of, node_id, metadata, started_at,
                                              finished_at, rows_total, rows_valid, rows_invalid, rows_loaded,
                                              granularity)
                    SELECT ?::uuid, ?::text, ?::text, ?::text, ?::text, ?::text, ?::text, ?::text,
                           CASE WHEN o.id IS NULL THEN 'RUNNING' ELSE 'DUPLICATE' END, o.id,
                           ?::text, ?::jsonb, ?::timestamptz, CASE WHEN o.id IS NULL THEN NULL ELSE ?::timestamptz END,
                           z.n, z.n, z.n, z.n, ?::text
                    FROM (SELECT 1) one LEFT JOIN original o ON true
                         CROSS JOIN LATERAL (SELECT CASE WHEN o.id IS NULL THEN NULL ELSE 0 END AS n) z
                    RETURNING duplicate_of),
                superseded AS (
                    UPDATE ingest_batch SET status = 'FAILED', finished_at = clock_timestamp(), rows_loaded = 0,
                           error = 'superseded: the input was tried again as batch ' || ?
                    WHERE node_id = ?::text AND dataset = ?::text AND input_id = ?::text AND status = 'RUNNING'
                      AND NOT EXISTS (SELECT 1 FROM original)),
                replayed AS (
                    UPDATE dead_letter SET replay_batch_id = ?::uuid
                    WHERE input_id = ?::text AND source_id = ?::text AND replayed_at IS NOT NULL AND replay_batch_id IS NULL)
                SELECT batch.duplicate_of, EXISTS (SELECT 1 FROM device),
                       set_config('synchronous_commit', CASE WHEN batch.duplicate_of IS NULL THEN 'off' ELSE 'on' END,
                                  true)
                FROM batch
                """,
                (rs, n) -> new Registered(rs.getObject(1, UUID.class), rs.getBoolean(2)),
                envelope.dataset(),
                envelope.sha256(),
                device,
                envelope.sourceId(),
                device,
                id,
                envelope.sourceId(),
                envelope.dataset(),
                envelope.inputId(),
                envelope.sha256(),
                envelope.sourceUri(),
                envelope.deviceId(),
                envelope.contentType(),
                nodeId,
                toJson(envelope.metadata()),
                Timestamp.from(started),
                Timestamp.from(started), // a duplicate ends here, having read, staged and loaded nothing
                envelope.granularity(),
                id.toString(),
                nodeId,
                envelope.dataset(),
                envelope.inputId(),
                id,
                envelope.inputId(),
                envelope.sourceId());
        if (registered.deviceAdded()) {
            datasources.registeredAsUnknown(envelope.deviceId(), envelope.sourceId());
        }
        Optional<UUID> original = Optional.ofNullable(registered.duplicateOf());
        BatchStatus status = original.isPresent() ? BatchStatus.DUPLICATE : BatchStatus.RUNNING;
        exchange.setProperty(ExchangeProperties.BATCH_ID, id);
        exchange.setProperty(ExchangeProperties.BATCH_STATUS, status);
        original.ifPresent(o -> exchange.setProperty(ExchangeProperties.DUPLICATE_OF, o));
        if (original.isPresent()) {
            // what the statement just wrote: nothing to read back
            finished(new BatchFinished(
                    id,
                    envelope.sourceId(),
                    envelope.dataset(),
                    envelope.inputId(),
                    BatchStatus.DUPLICATE,
                    0,
                    0,
                    0,
                    0,
                    Duration.ZERO));
        }
    }

    private record Registered(UUID duplicateOf, boolean deviceAdded) {}

    /** Another replica completed the same content first: this batch becomes its DUPLICATE. */
    public void markDuplicate(UUID batchId, String dataset, String sha256) {
        finished(jdbc.queryForObject(
                """
                UPDATE ingest_batch SET status = 'DUPLICATE', finished_at = clock_timestamp(), rows_loaded = 0,
                       duplicate_of = (SELECT id FROM ingest_batch WHERE dataset = ? AND sha256 = ?
                                       AND status IN ('LOADED', 'PARTIAL') LIMIT 1)
                WHERE id = ?
                """
                        + ENDED,
                (rs, n) -> ended(batchId, rs),
                dataset,
                sha256,
                batchId));
    }

    /** When the batch's stage ran and how many rows it read and found valid; written with the batch's end. */
    public record StageRun(Instant started, Instant finished, long in, long out) {}

    private static final String ENDED =
            """
            RETURNING source_id, dataset, input_id, status, coalesce(rows_total, 0), coalesce(rows_valid, 0),
                      coalesce(rows_invalid, 0), coalesce(rows_loaded, 0),
                      extract(epoch FROM coalesce(finished_at, clock_timestamp()) - started_at)""";

    /** The {@code pipeline_execution} rows of a batch's end, from a JSON array (one parameter, in order). */
    private static final String EXECUTIONS =
            """
            executions AS (
                INSERT INTO pipeline_execution (batch_id, stage, started_at, finished_at, status, records_in, records_out)
                SELECT ?::uuid, x.stage, x.started_at, coalesce(x.finished_at, clock_timestamp()), 'success',
                       x.records_in, x.records_out
                FROM jsonb_to_recordset(?::jsonb)
                     AS x(stage text, started_at timestamptz, finished_at timestamptz, records_in bigint, records_out bigint))
            """;

    /**
     * Completes a batch, on the load's connection (its Spring transaction, or the staging's own for an input of
     * one chunk), as the transaction's last statement: the batch's status and counts, its
     * {@code data_quality_check} rows (one per failed rule and column, with up to 20 sample failures) and its
     * {@code pipeline_execution} rows (the stage's when given, and the load's, ending now) in one statement. The
     * end is not announced here: the caller passes it to {@link #finished} (after the commit).
     *
     * @param andCommit commit in the same round trip; only on a connection whose transaction is the caller's own
     *     (a load in its staging's transaction), never in a Spring transaction
     */
    public BatchFinished complete(
            JdbcOperations on,
            UUID batchId,
            String dataset,
            BatchStatus status,
            StageResult staged,
            long rowsLoaded,
            StageRun stage,
            Instant loadStarted,
            boolean andCommit) {
        List<Map<String, Object>> checks = new ArrayList<>();
        staged.checks().forEach((key, tally) -> {
            Map<String, Object> check = new java.util.LinkedHashMap<>();
            check.put("check_type", key.rule());
            check.put("column_name", key.column());
            check.put("failed_count", tally.failed());
            check.put("sample_failures", tally.samples());
            checks.add(check);
        });
        List<Map<String, Object>> executions = stageExecution(stage);
        executions.add(execution("load", loadStarted, null, staged.rowsValid(), rowsLoaded));
        String sql =
                """
                WITH batch AS (
                    UPDATE ingest_batch SET status = ?, rows_total = ?, rows_valid = ?, rows_invalid = ?, rows_loaded = ?,
                           quality_score = ?, finished_at = clock_timestamp(), metadata = metadata || ?::jsonb
                    WHERE id = ?
                """
                        + ENDED + """
                ),
                """ + EXECUTIONS
                        + """
                ,
                checks AS (
                    INSERT INTO data_quality_check (batch_id, dataset, check_type, column_name, failed_count, total_count,
                                                    sample_failures)
                    SELECT ?::uuid, ?::text, x.check_type, x.column_name, x.failed_count, ?::bigint, x.sample_failures
                    FROM jsonb_to_recordset(?::jsonb)
                         AS x(check_type text, column_name text, failed_count bigint, sample_failures jsonb))
                SELECT * FROM batch
                """;
        Object[] args = {
            status.name(),
            staged.rowsTotal(),
            staged.rowsValid(),
            staged.rowsInvalid(),
            rowsLoaded,
            qualityScore(staged),
            toJson(Map.of("detected", staged.detected(), "rowsSkipped", staged.rowsSkipped())),
            batchId,
            batchId,
            toJson(executions),
            batchId,
            dataset,
            staged.rowsTotal(),
            toJson(checks)
        };
        if (!andCommit) {
            return on.queryForObject(sql, (rs, n) -> ended(batchId, rs), args);
        }
        // PgJDBC sends both together; PostgreSQL skips the COMMIT when the statement fails
        return on.execute(sql + ";\nCOMMIT", (PreparedStatementCallback<BatchFinished>) ps -> {
            new ArgumentPreparedStatementSetter(args).setValues(ps);
            ps.execute();
            try (java.sql.ResultSet rs = ps.getResultSet()) {
                if (!rs.next()) {
                    throw new EmptyResultDataAccessException("batch " + batchId + " is not registered", 1);
                }
                return ended(batchId, rs);
            }
        });
    }

    /** The {@code dead_letter} row of an input that could not be loaded. */
    public record DeadLetter(
            String sourceId, String inputId, String routeId, String errorClass, String message, String payloadRef) {}

    /**
     * Ends a batch REJECTED or FAILED with the reason, and records its dead letter, in one statement; counts are
     * kept when staging got that far.
     */
    public void fail(
            UUID batchId, BatchStatus status, String error, StageResult staged, StageRun stage, DeadLetter letter) {
        List<Map<String, Object>> executions = stageExecution(stage);
        BatchFinished ended = jdbc.queryForObject(
                """
                WITH batch AS (
                    UPDATE ingest_batch SET status = ?, error = ?, finished_at = clock_timestamp(),
                           rows_total = ?, rows_valid = ?, rows_invalid = ?, rows_loaded = 0, quality_score = ?,
                           metadata = metadata || ?::jsonb
                    WHERE id = ?
                """
                        + ENDED + """
                ),
                """ + EXECUTIONS
                        + """
                ,
                letter AS (
                    INSERT INTO dead_letter (batch_id, source_id, input_id, route_id, error_class, error_message,
                                             payload_ref)
                    VALUES (?::uuid, ?::text, ?::text, ?::text, ?::text, ?::text, ?::text))
                SELECT * FROM batch
                """,
                (rs, n) -> ended(batchId, rs),
                status.name(),
                error,
                staged == null ? null : staged.rowsTotal(),
                staged == null ? null : staged.rowsValid(),
                staged == null ? null : staged.rowsInvalid(),
                staged == null ? null : qualityScore(staged),
                // the staged rows' column names, so that a rejected input's rows can be read by name
                staged == null ? "{}" : toJson(Map.of("detected", staged.detected())),
                batchId,
                batchId,
                toJson(executions),
                batchId,
                letter.sourceId(),
                letter.inputId(),
                letter.routeId(),
                letter.errorClass(),
                letter.message(),
                letter.payloadRef());
        finished(ended);
    }

    /** The {@code pipeline_execution} row of the stage, when staging got that far (a list the caller may add to). */
    private static List<Map<String, Object>> stageExecution(StageRun stage) {
        List<Map<String, Object>> executions = new ArrayList<>();
        if (stage != null) {
            executions.add(execution("stage", stage.started(), stage.finished(), stage.in(), stage.out()));
        }
        return executions;
    }

    private static Map<String, Object> execution(String stage, Instant started, Instant finished, long in, long out) {
        Map<String, Object> row = new java.util.LinkedHashMap<>();
        row.put("stage", stage);
        row.put("started_at", started.toString());
        row.put("finished_at", finished == null ? null : finished.toString()); // null: when the statement runs
        row.put("records_in", in);
        row.put("records_out", out);
        return row;
    }

    /** The batch as the statement that ended it returned it ({@link #ENDED}): nothing is read back. */
    private static BatchFinished ended(UUID batchId, java.sql.ResultSet rs) throws java.sql.SQLException {
        return new BatchFinished(
                batchId,
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                BatchStatus.valueOf(rs.getString(4)),
                rs.getLong(5),
                rs.getLong(6),
                rs.getLong(7),
                rs.getLong(8),
                Duration.ofNanos(Math.max(0, (long) (rs.getDouble(9) * 1e9))));
    }

    /**
     * Publishes {@link BatchFinished} for a batch that has just ended, once the transaction that ended it
     * commits (at once outside a transaction). A listener's failure never fails the batch.
     */
    public void finished(BatchFinished event) {
        UUID batchId = event.batchId();
        Runnable publish = () -> {
            try {
                events.publishEvent(event);
            } catch (RuntimeException e) {
                log.warn("A listener of the end of batch {} failed: {}", batchId, e.toString());
            }
        };
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    publish.run();
                }
            });
        } else {
            publish.run();
        }
    }

    /**
     * Resolves the batches this node left RUNNING when it stopped without finishing them (killed, power loss):
     * each becomes FAILED with a dead letter, its staging rows are discarded, and its file, still in the
     * inbound folder because it only leaves after the load commits, is ingested again.
     *
     * @return how many batches were resolved
     */
    public int recoverInterrupted() {
        return resolveRunning(
                nodeId,
                "interrupted: the service stopped while ingesting this input; its staging rows were discarded"
                        + " and the input, left where it was, is ingested again",
                "the service stopped while ingesting this input");
    }

    /**
     * Resolves the RUNNING batches of a replica that stopped renewing its lease (see ReplicaLeases), as
     * {@link #recoverInterrupted()} does for this node's own at start; the caller holds the dead node's lease
     * row locked, so that one replica does it.
     *
     * @return how many batches were resolved
     */
    public int takeOver(String deadNode, java.time.Duration after) {
        return resolveRunning(
                deadNode,
                "interrupted: replica " + deadNode + " stopped renewing its lease (no heartbeat for " + after
                        + ") while ingesting this input; replica " + nodeId
                        + " discarded its staging rows and the input, left where it was, is ingested again",
                "replica " + deadNode + " died while ingesting this input; taken over by " + nodeId);
    }

    private int resolveRunning(String node, String error, String deadLetterMessage) {
        List<Map<String, Object>> stale = jdbc.queryForList(
                "SELECT id, dataset, source_id, input_id, source_uri FROM ingest_batch WHERE status = 'RUNNING' AND node_id = ?",
                node);
        for (Map<String, Object> batch : stale) {
            UUID id = (UUID) batch.get("id");
            tx.executeWithoutResult(status -> {
                jdbc.update(
                        "UPDATE ingest_batch SET status = 'FAILED', finished_at = clock_timestamp(), rows_loaded = 0, error = ? WHERE id = ?",
                        error,
                        id);
                stagingTables()
                        .forEach(table ->
                                jdbc.update("DELETE FROM " + SqlIdentifiers.quote(table) + " WHERE batch_id = ?", id));
                jdbc.update(
                        """
                        INSERT INTO dead_letter (batch_id, source_id, input_id, route_id, error_class, error_message, payload_ref, replayed_at)
                        VALUES (?, ?, ?, 'pipeline', 'Interrupted', ?, ?, now())
                        """,
                        id,
                        batch.get("source_id"),
                        batch.get("input_id"),
                        deadLetterMessage,
                        batch.get("source_uri"));
            });
            log.warn(
                    "Batch {} ({} {}) of node {} was left RUNNING by a stop: marked FAILED, staging discarded, input ingested again",
                    id,
                    batch.get("dataset"),
                    batch.get("input_id"),
                    node);
        }
        return stale.size();
    }

    private List<String> stagingTables() {
        return jdbc.queryForList(
                """
                SELECT table_name FROM information_schema.columns
                WHERE table_schema = current_schema() AND column_name = 'valid' AND table_name LIKE 'staging\\_%'
                  AND table_name <> 'staging_template'
                """,
                String.class);
    }

    static BigDecimal qualityScore(StageResult staged) {
        return staged.rowsTotal() == 0
                ? null
                : BigDecimal.valueOf(staged.rowsValid() * 100.0 / staged.rowsTotal())
                        .setScale(2, RoundingMode.HALF_UP);
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write batch metadata as JSON", e);
        }
    }
}
