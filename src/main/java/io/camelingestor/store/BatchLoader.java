package io.camelingestor.store;

import io.camelingestor.envelope.Envelope;
import io.camelingestor.mapping.Dataset;
import io.camelingestor.mapping.Mapping;
import io.camelingestor.mapping.Mapping.Strategy;
import io.camelingestor.pipeline.InputRejectedException;
import io.camelingestor.pipeline.StageResult;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.postgresql.util.PSQLException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Moves a batch's valid staging rows into the dataset's table in one transaction: one set-based
 * {@code INSERT ... SELECT} with the mapping's conflict strategy, the staging rows marked loaded, and the batch
 * completed (LOADED or PARTIAL). Either all of it commits or none of it does, so a stop in the middle can
 * never leave rows loaded under a RUNNING batch.
 */
@Component("batchLoader")
public class BatchLoader {

    private static final String UNIQUE_VIOLATION = "23505";
    private static final String BATCH_CONTENT_KEY = "ingest_batch_content_once";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final BatchStore batches;

    public BatchLoader(JdbcTemplate jdbc, TransactionTemplate tx, BatchStore batches) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.batches = batches;
    }

    /**
     * Expects the exchange properties {@code envelope}, {@code dataset}, {@code batchId} and {@code stageResult};
     * leaves {@code batchStatus} ({@code LOADED}, {@code PARTIAL}, or {@code DUPLICATE} when another replica
     * completed the same content first) and {@code rowsLoaded}.
     *
     * @throws InputRejectedException when {@code strategy: fail} meets rows that already exist
     */
    public void load(Exchange exchange) {
        Envelope envelope = exchange.getProperty(Envelope.PROPERTY, Envelope.class);
        Dataset dataset = exchange.getProperty(Dataset.PROPERTY, Dataset.class);
        UUID batchId = exchange.getProperty(BatchStore.BATCH_ID, UUID.class);
        StageResult staged = exchange.getProperty(StageResult.PROPERTY, StageResult.class);
        String status = staged.rowsInvalid() > 0 ? "PARTIAL" : "LOADED";
        Instant started = Instant.now();
        try {
            long loaded = tx.execute(s -> {
                long rows = jdbc.update(insertSql(dataset), batchId, batchId);
                jdbc.update(
                        "UPDATE " + SqlIdentifiers.quote(dataset.mapping().stagingTable())
                                + " SET loaded = true WHERE batch_id = ? AND valid",
                        batchId);
                batches.complete(batchId, status, staged, rows);
                batches.recordQualityChecks(batchId, dataset.name(), staged);
                batches.recordStage(batchId, "load", started, "success", staged.rowsValid(), rows, null);
                new ApiCursors(jdbc).advance(envelope); // issue 4: cursor in the load transaction
                return rows;
            });
            exchange.setProperty(BatchStore.BATCH_STATUS, status);
            exchange.setProperty("rowsLoaded", loaded);
        } catch (DuplicateKeyException e) {
            if (String.valueOf(e.getMessage()).contains(BATCH_CONTENT_KEY)) {
                batches.markDuplicate(batchId, envelope.dataset(), envelope.sha256());
                new ApiCursors(jdbc).advance(envelope); // issue 4: a window already loaded moves the cursor
                exchange.setProperty(BatchStore.BATCH_STATUS, "DUPLICATE");
                exchange.setProperty("rowsLoaded", 0L);
                return;
            }
            throw new InputRejectedException(
                    "rows conflict with rows already in " + dataset.target().name() + " (conflict strategy "
                            + dataset.mapping().conflict().strategy().name().toLowerCase() + "): " + detail(e),
                    Map.of("table", dataset.target().name(), "conflict", detail(e)),
                    e);
        }
    }

    /**
     * The statement for a dataset: values bound ({@code batch_id} twice), identifiers validated and quoted.
     * Every dataset table has a {@code batch_id} column (checked with the mapping) for lineage.
     */
    static String insertSql(Dataset dataset) {
        Mapping.Conflict conflict = dataset.mapping().conflict();
        String table = SqlIdentifiers.quote(dataset.target().name());
        List<String> columns = dataset.loadColumns();
        StringBuilder sql = new StringBuilder("INSERT INTO ")
                .append(table)
                .append(" (")
                .append(SqlIdentifiers.quoteAll(columns))
                .append(", \"batch_id\")\nSELECT ");
        boolean dedupe = conflict.strategy() == Strategy.UPDATE;
        if (dedupe) {
            // several rows of one input with the same key: the last one wins, as a later row corrects an earlier one
            sql.append("DISTINCT ON (")
                    .append(SqlIdentifiers.quoteAll("r.", conflict.onColumns()))
                    .append(") ");
        }
        sql.append(SqlIdentifiers.quoteAll("r.", columns));
        sql.append(", ?::uuid");
        sql.append("\nFROM ")
                .append(SqlIdentifiers.quote(dataset.mapping().stagingTable()))
                .append(" s")
                .append("\nCROSS JOIN LATERAL jsonb_populate_record(NULL::")
                .append(table)
                .append(", s.data) r")
                .append("\nWHERE s.batch_id = ? AND s.valid");
        if (dedupe) {
            sql.append("\nORDER BY ")
                    .append(SqlIdentifiers.quoteAll("r.", conflict.onColumns()))
                    .append(", s.row_number DESC");
        }
        switch (conflict.strategy()) {
            case UPDATE -> {
                List<String> updates = new ArrayList<>(
                        conflict.updateColumns().isEmpty()
                                ? columns.stream()
                                        .filter(c -> !conflict.onColumns().contains(c))
                                        .toList()
                                : conflict.updateColumns());
                updates.add("batch_id");
                sql.append("\nON CONFLICT (")
                        .append(SqlIdentifiers.quoteAll(conflict.onColumns()))
                        .append(") ");
                sql.append("DO UPDATE SET ")
                        .append(String.join(
                                ", ",
                                updates.stream()
                                        .map(c -> SqlIdentifiers.quote(c) + " = EXCLUDED." + SqlIdentifiers.quote(c))
                                        .toList()));
            }
            case IGNORE ->
                sql.append("\nON CONFLICT (")
                        .append(SqlIdentifiers.quoteAll(conflict.onColumns()))
                        .append(") DO NOTHING");
            case FAIL, APPEND -> {} // a unique violation rejects the input
        }
        return sql.toString();
    }

    private static String detail(DuplicateKeyException e) {
        Throwable cause = e.getCause();
        if (cause instanceof PSQLException p
                && p.getServerErrorMessage() != null
                && p.getServerErrorMessage().getDetail() != null) {
            return p.getServerErrorMessage().getDetail();
        }
        return cause instanceof SQLException s && UNIQUE_VIOLATION.equals(s.getSQLState())
                ? s.getMessage()
                : e.getMessage();
    }
}
