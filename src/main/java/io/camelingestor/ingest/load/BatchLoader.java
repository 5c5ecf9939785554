package io.camelingestor.ingest.load;

import io.camelingestor.batch.ApiCursors;
import io.camelingestor.batch.BatchFinished;
import io.camelingestor.batch.BatchStatus;
import io.camelingestor.batch.BatchStore;
import io.camelingestor.core.Envelope;
import io.camelingestor.core.ExchangeProperties;
import io.camelingestor.core.InputRejectedException;
import io.camelingestor.core.StageResult;
import io.camelingestor.dataset.Dataset;
import io.camelingestor.dataset.Mapping;
import io.camelingestor.dataset.Mapping.Strategy;
import io.camelingestor.dataset.SqlIdentifiers;
import io.camelingestor.dataset.TargetTable;
import io.camelingestor.ingest.stage.OpenStaging;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.postgresql.util.PSQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.core.ArgumentPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.PreparedStatementCallback;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Moves a batch's valid staging rows into the dataset's table in one transaction: set-based
 * {@code INSERT ... SELECT} statements with the mapping's conflict strategy, and the batch completed (LOADED or
 * PARTIAL), which is what marks its valid staging rows loaded. Either all of it commits or none of it does, so
 * a stop in the middle can never leave rows loaded under a RUNNING batch.
 *
 * <p>Normally the load runs while the batch is staged ({@link #begin}: one insert per committed chunk, on a
 * thread of its own) and {@code direct:load} only completes it; when that did not happen (a redelivery after
 * the load failed, a caller that staged by itself) one statement loads the whole batch from staging.
 */
@Component("batchLoader")
public class BatchLoader {

    private static final Logger log = LoggerFactory.getLogger(BatchLoader.class);

    private static final String UNIQUE_VIOLATION = "23505";
    /** "ON CONFLICT DO UPDATE command cannot affect row a second time": the input repeats a key. */
    private static final String CARDINALITY_VIOLATION = "21000";

    private static final String BATCH_CONTENT_KEY = "ingest_batch_content_once";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final BatchStore batches;
    private final ApiCursors cursors;

    public BatchLoader(JdbcTemplate jdbc, TransactionTemplate tx, BatchStore batches, ApiCursors cursors) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.batches = batches;
        this.cursors = cursors;
    }

    /** Starts loading a batch beside its staging: the stager reports each committed chunk to the result. */
    public ConcurrentLoad begin(Envelope envelope, Dataset dataset, UUID batchId) {
        ConcurrentLoad load = new ConcurrentLoad(batchId);
        Map<String, String> mdc = MDC.getCopyOfContextMap(); // the batch's log lines keep its batch and input id
        Thread thread = new Thread(
                () -> {
                    if (mdc != null) {
                        MDC.setContextMap(mdc);
                    }
                    run(load, envelope, dataset);
                },
                "load-" + envelope.dataset());
        thread.setDaemon(true);
        thread.start();
        return load;
    }

    /**
     * Loads an input of one chunk in its staging's own transaction, on the calling thread, when
     * {@code direct:load} finishes it: one commit for staging, load and the batch's end. An abort commits the
     * staged rows alone, as a rejected larger input keeps its committed chunks.
     */
    public PendingLoad inStagingTransaction(OpenStaging staging, Envelope envelope, Dataset dataset, UUID batchId) {
        return new PendingLoad() {
            @Override
            public UUID batchId() {
                return batchId;
            }

            @Override
            public long finish(BatchStatus status, StageResult staged, Instant started, BatchStore.StageRun stage) {
                JdbcTemplate on = new JdbcTemplate(new SingleConnectionDataSource(staging.connection(), true));
                on.setExceptionTranslator(jdbc.getExceptionTranslator());
                long rows;
                BatchFinished ended;
                try {
                    // two round trips for the whole load (issue 15: on two shared cores each costs about as much
                    // as a small file's insert): a savepoint that keeps the staged rows if the load fails, no scan
                    // of every batch ever staged (as in the concurrent load; SET LOCAL ends with the transaction
                    // or the savepoint) and the insert in one; the batch's end and the commit in the other
                    rows = insert(on, IN_STAGING_TRANSACTION, Statements.of(dataset), batchId, 0, staging.lastRow());
                    ended = complete(on, envelope, dataset, batchId, status, staged, stage, started, rows, true);
                } catch (RuntimeException e) {
                    keepStaged(on, staging, e);
                    throw e;
                }
                commit(staging); // committed already: gives the connection back, summarises the staging when due
                batches.finished(ended);
                return rows;
            }

            @Override
            public void abort() {
                try {
                    commit(staging);
                } catch (RuntimeException e) {
                    log.warn(
                            "{} {}: its staged rows could not be committed: {}",
                            envelope.dataset(),
                            envelope.inputId(),
                            e.getMessage());
                }
            }
        };
    }

    /** Run before the insert of a load in the staging's transaction, in the same round trip. */
    private static final List<String> IN_STAGING_TRANSACTION =
            List.of("SAVEPOINT load", "SET LOCAL enable_seqscan = off");

    /** The load failed: its statements are undone, the staged rows committed (for the report, a redelivery). */
    private static void keepStaged(JdbcTemplate on, OpenStaging staging, RuntimeException failure) {
        try {
            on.execute("ROLLBACK TO SAVEPOINT load");
            staging.commit();
        } catch (RuntimeException | SQLException lost) {
            staging.close(); // the staged rows are gone with the transaction: a redelivered load says so
            failure.addSuppressed(lost);
        }
    }

    private static void commit(OpenStaging staging) {
        try {
            staging.commit();
        } catch (SQLException e) {
            throw new UncategorizedSQLException("commit of the load in the staging's transaction", null, e);
        }
    }

    /** The loading thread: one transaction, one insert per chunk, until told to finish or abort. */
    private void run(ConcurrentLoad load, Envelope envelope, Dataset dataset) {
        UUID batchId = load.batchId();
        try {
            Long rows = tx.execute(status -> {
                // the staged rows of a chunk are found by the BRIN index on (batch_id, row_number); never let a
                // large staging table's statistics turn that into a scan of every batch ever staged
                jdbc.execute("SET LOCAL enable_seqscan = off");
                long loaded = 0;
                long from = 0;
                Statements statements = Statements.of(dataset);
                RuntimeException failure = null;
                while (true) {
                    ConcurrentLoad.Command command;
                    try {
                        command = load.next();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        command = new ConcurrentLoad.Abort();
                    }
                    if (command instanceof ConcurrentLoad.Rows r) {
                        if (failure == null && r.upTo() > from) {
                            try {
                                loaded += insert(jdbc, List.of(), statements, batchId, from, r.upTo());
                            } catch (RuntimeException e) {
                                failure = e; // the transaction is lost: staging goes on, reported at the end
                            }
                        }
                        from = Math.max(from, r.upTo());
                    } else if (command instanceof ConcurrentLoad.Finish f) {
                        if (failure != null) {
                            throw failure;
                        }
                        batches.finished(complete(
                                jdbc,
                                envelope,
                                dataset,
                                batchId,
                                f.status(),
                                f.staged(),
                                f.stage(),
                                f.started(),
                                loaded,
                                false));
                        return loaded;
                    } else {
                        status.setRollbackOnly();
                        return -1L;
                    }
                }
            });
            load.ended(rows == null ? -1 : rows, null);
        } catch (RuntimeException | Error e) {
            load.ended(-1, e);
        }
    }

    /**
     * Expects the exchange properties {@code envelope}, {@code dataset}, {@code batchId} and {@code stageResult};
     * leaves {@code batchStatus} ({@code LOADED}, {@code PARTIAL}, or {@code DUPLICATE} when another replica
     * completed the same content first) and {@code rowsLoaded}.
     *
     * @throws InputRejectedException when {@code strategy: fail} meets rows that already exist
     */
    public void load(Exchange exchange) {
        Envelope envelope = exchange.getProperty(ExchangeProperties.ENVELOPE, Envelope.class);
        Dataset dataset = exchange.getProperty(ExchangeProperties.DATASET, Dataset.class);
        UUID batchId = exchange.getProperty(ExchangeProperties.BATCH_ID, UUID.class);
        StageResult staged = exchange.getProperty(ExchangeProperties.STAGE_RESULT, StageResult.class);
        BatchStore.StageRun stage = exchange.getProperty(ExchangeProperties.STAGE_RUN, BatchStore.StageRun.class);
        PendingLoad running = exchange.removeProperty(ExchangeProperties.PENDING_LOAD) instanceof PendingLoad c
                        && c.batchId().equals(batchId)
                ? c
                : null;
        BatchStatus status = staged.rowsInvalid() > 0 ? BatchStatus.PARTIAL : BatchStatus.LOADED;
        Instant started = Instant.now();
        try {
            long loaded = running != null
                    ? running.finish(status, staged, started, stage)
                    : tx.execute(s -> {
                        requireStaged(dataset, batchId, staged);
                        long rows = insert(jdbc, List.of(), Statements.of(dataset), batchId, 0, Long.MAX_VALUE);
                        batches.finished(complete(
                                jdbc, envelope, dataset, batchId, status, staged, stage, started, rows, false));
                        return rows;
                    });
            exchange.setProperty(ExchangeProperties.BATCH_STATUS, status);
            exchange.setProperty(ExchangeProperties.ROWS_LOADED, loaded);
        } catch (DuplicateKeyException e) {
            if (String.valueOf(e.getMessage()).contains(BATCH_CONTENT_KEY)) {
                batches.markDuplicate(batchId, envelope.dataset(), envelope.sha256());
                cursors.advance(envelope); // a window already loaded moves the cursor
                exchange.setProperty(ExchangeProperties.BATCH_STATUS, BatchStatus.DUPLICATE);
                exchange.setProperty(ExchangeProperties.ROWS_LOADED, 0L);
                return;
            }
            Long row = firstConflictingRow(dataset, batchId);
            Map<String, Object> details = new java.util.LinkedHashMap<>();
            details.put("table", dataset.target().name());
            details.put("conflict", detail(e));
            if (row != null) {
                details.put("row", row);
            }
            throw new InputRejectedException(
                    "rows conflict with rows already in " + dataset.target().name() + " (conflict strategy "
                            + dataset.mapping().conflict().strategy().name().toLowerCase() + "): " + detail(e)
                            + (row == null ? "" : " (first at row " + row + " of the input)"),
                    details,
                    e);
        }
    }

    /**
     * A load from staging alone (a redelivery after a failed load) first checks that every valid row is still
     * staged: a load that failed with its connection lost the rows staged in the same transaction, and the batch
     * must then fail rather than end LOADED with rows missing.
     */
    private void requireStaged(Dataset dataset, UUID batchId, StageResult staged) {
        Long rows = jdbc.queryForObject(
                "SELECT count(*) FROM " + SqlIdentifiers.quote(dataset.mapping().stagingTable())
                        + " WHERE batch_id = ? AND valid",
                Long.class,
                batchId);
        if (rows == null || rows < staged.rowsValid()) {
            throw new IllegalStateException("batch " + batchId + ": " + rows + " of its " + staged.rowsValid()
                    + " valid rows are staged (the rest went with a failed transaction); ingest the input again");
        }
    }

    /**
     * The end of the load's transaction, on its connection: the batch completed, its checks and timings recorded,
     * an API window's cursor moved. Returns the batch's end for {@link BatchStore#finished} to announce once
     * committed.
     *
     * @param andCommit commit in the same round trip (only on a connection of the caller's own, never in a Spring
     *     transaction)
     */
    private BatchFinished complete(
            JdbcOperations on,
            Envelope envelope,
            Dataset dataset,
            UUID batchId,
            BatchStatus status,
            StageResult staged,
            BatchStore.StageRun stage,
            Instant started,
            long rows,
            boolean andCommit) {
        cursors.advance(on, envelope); // an API window's cursor moves in the transaction that loaded it
        // one statement: the batch completed, its quality checks and its stage and load timings (issue 15)
        BatchFinished ended =
                batches.complete(on, batchId, dataset.name(), status, staged, rows, stage, started, andCommit);
        log.debug("{} {}: {} rows loaded", envelope.dataset(), envelope.inputId(), rows);
        return ended;
    }

    /**
     * Inserts the valid staged rows with row numbers in {@code (from, to]}, after the statements {@code before}
     * in the same round trip. Under {@code strategy: update} the insert first runs as if every key came once,
     * which is the common case and spares sorting; only when PostgreSQL answers that a row would be updated twice
     * (the rows repeat a key) does it run again, behind a savepoint, keeping the last row of each key. A key
     * repeated in a later chunk simply updates the row again, so the last row of the input wins either way.
     */
    private static long insert(
            JdbcOperations on, List<String> before, Statements statements, UUID batchId, long from, long to) {
        if (statements.dedupe() == null) {
            return inOneRoundTrip(on, before, statements.plain(), List.of(), batchId, batchId, from, to);
        }
        // a savepoint in SQL: the same on the load thread's Spring transaction and on a staging's own connection
        List<String> withSavepoint = new ArrayList<>(before);
        withSavepoint.add("SAVEPOINT insert_plain");
        try {
            return inOneRoundTrip(
                    on,
                    withSavepoint,
                    statements.plain(),
                    List.of("RELEASE SAVEPOINT insert_plain"),
                    batchId,
                    batchId,
                    from,
                    to);
        } catch (DataAccessException e) {
            if (!(e.getMostSpecificCause() instanceof SQLException sql)
                    || !CARDINALITY_VIOLATION.equals(sql.getSQLState())) {
                throw e;
            }
            on.execute("ROLLBACK TO SAVEPOINT insert_plain");
            return on.update(statements.dedupe(), batchId, batchId, from, to);
        }
    }

    /**
     * Runs a statement with others before and after it in one round trip and returns its update count: PgJDBC
     * sends the parts of a multi-statement text together, with one sync, and PostgreSQL skips what follows an
     * error. Values are bound to the statement's parameters only (the others take none).
     */
    private static long inOneRoundTrip(
            JdbcOperations on, List<String> before, String statement, List<String> after, Object... args) {
        List<String> all = new ArrayList<>(before);
        all.add(statement);
        all.addAll(after);
        Long count = on.execute(String.join(";\n", all), (PreparedStatementCallback<Long>) ps -> {
            new ArgumentPreparedStatementSetter(args).setValues(ps);
            ps.execute();
            for (int i = 0; i < before.size(); i++) {
                ps.getMoreResults();
            }
            return (long) ps.getUpdateCount();
        });
        return count == null ? 0 : count;
    }

    /** A dataset's insert statements, built once per load; {@code dedupe} only under {@code strategy: update}. */
    private record Statements(String plain, String dedupe) {
        static Statements of(Dataset dataset) {
            return new Statements(
                    insertSql(dataset, false),
                    dataset.mapping().conflict().strategy() == Strategy.UPDATE ? insertSql(dataset, true) : null);
        }
    }

    /**
     * The statement for a dataset: values bound ({@code batch_id} twice, then the row number range), identifiers validated and quoted, each
     * staged text cast to its column's type as the database names it. Every dataset table has a {@code batch_id}
     * column (checked with the mapping) for lineage.
     *
     * @param dedupe keep only the last row of each key ({@code strategy: update} on an input that repeats keys)
     */
    static String insertSql(Dataset dataset, boolean dedupe) {
        Mapping.Conflict conflict = dataset.mapping().conflict();
        String table = SqlIdentifiers.quote(dataset.target().name());
        List<String> columns = dataset.loadColumns();
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            TargetTable.Column column = dataset.target().column(columns.get(i)).orElseThrow();
            values.append(i == 0 ? "" : ", ")
                    .append("s.data[")
                    .append(i + 1)
                    .append("]::")
                    .append(column.castType())
                    .append(" AS ")
                    .append(SqlIdentifiers.quote(column.name()));
        }
        StringBuilder select = new StringBuilder("SELECT ")
                .append(values)
                .append(", s.row_number FROM ")
                .append(SqlIdentifiers.quote(dataset.mapping().stagingTable()))
                .append(" s WHERE s.batch_id = ? AND s.valid AND s.row_number > ? AND s.row_number <= ?");
        StringBuilder sql = new StringBuilder("INSERT INTO ")
                .append(table)
                .append(" (")
                .append(SqlIdentifiers.quoteAll(columns))
                .append(", \"batch_id\")\nSELECT ");
        if (dedupe) {
            // several rows of one input with the same key: the last one wins, as a later row corrects an earlier one
            sql.append("DISTINCT ON (")
                    .append(SqlIdentifiers.quoteAll("r.", conflict.onColumns()))
                    .append(") ");
        }
        sql.append(SqlIdentifiers.quoteAll("r.", columns))
                .append(", ?::uuid\nFROM (")
                .append(select)
                .append(") r");
        if (dedupe) {
            sql.append("\nORDER BY ")
                    .append(SqlIdentifiers.quoteAll("r.", conflict.onColumns()))
                    .append(", r.row_number DESC");
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
            // as the original: rows that conflict with existing ones (on any unique key) are skipped
            case APPEND -> sql.append("\nON CONFLICT DO NOTHING");
            case FAIL -> {} // a unique violation rejects the input
        }
        return sql.toString();
    }

    /**
     * The first staged valid row (as the report counts rows: the header is row 1) whose key is already in the
     * target table or repeats an earlier row's key, for a rejection under {@code strategy: fail}; null when it
     * cannot be told (the staged rows went with the transaction).
     */
    private Long firstConflictingRow(Dataset dataset, UUID batchId) {
        try {
            List<String> columns = dataset.loadColumns();
            List<String> key = dataset.mapping().conflict().onColumns();
            if (key.isEmpty() || !columns.containsAll(key)) {
                return null;
            }
            StringBuilder casts = new StringBuilder();
            StringBuilder match = new StringBuilder();
            String keys = SqlIdentifiers.quoteAll("r.", key);
            for (String column : key) {
                TargetTable.Column target = dataset.target().column(column).orElse(null);
                if (target == null || target.castType() == null) {
                    return null;
                }
                String quoted = SqlIdentifiers.quote(column);
                casts.append("s.data[")
                        .append(columns.indexOf(column) + 1)
                        .append("]::")
                        .append(target.castType())
                        .append(" AS ")
                        .append(quoted)
                        .append(", ");
                match.append(match.isEmpty() ? "" : " AND ")
                        .append("t.")
                        .append(quoted)
                        .append(" IS NOT DISTINCT FROM x.")
                        .append(quoted);
            }
            // a row conflicts when its key is in the table already or repeats an earlier row's key in the input
            String sql = "SELECT min(x.row_number) FROM (SELECT r.*, count(*) OVER (PARTITION BY " + keys
                    + " ORDER BY r.row_number) AS nth FROM (SELECT " + casts + "s.row_number FROM "
                    + SqlIdentifiers.quote(dataset.mapping().stagingTable())
                    + " s WHERE s.batch_id = ? AND s.valid) r) x WHERE x.nth > 1 OR EXISTS (SELECT 1 FROM "
                    + SqlIdentifiers.quote(dataset.target().name()) + " t WHERE " + match + ")";
            return jdbc.query(sql, rs -> rs.next() && rs.getObject(1) != null ? rs.getLong(1) : null, batchId);
        } catch (RuntimeException e) {
            log.debug("could not tell the conflicting row of batch {}", batchId, e);
            return null;
        }
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
