package io.camelingestor.ingest.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camelingestor.IngestorIntegrationTest;
import io.camelingestor.batch.BatchStatus;
import io.camelingestor.core.Envelope;
import io.camelingestor.core.ExchangeProperties;
import io.camelingestor.core.InputRejectedException;
import io.camelingestor.core.StageResult;
import io.camelingestor.dataset.Dataset;
import io.camelingestor.dataset.MappingLoader;
import io.camelingestor.dataset.TableCatalog;
import io.camelingestor.ingest.reject.DeadLetters;
import io.camelingestor.ingest.stage.OpenStaging;
import io.camelingestor.ingest.stage.StagingWriter;
import io.camelingestor.ingest.transform.StagedRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * What each conflict strategy does to the target table, run through {@link BatchLoader} against the real
 * database: an existing row, two staged rows with its key (a later correction), and one new row.
 */
class ConflictStrategiesTest extends IngestorIntegrationTest {

    @Autowired
    BatchLoader loader;

    @Autowired
    TableCatalog catalog;

    @Autowired
    CamelContext camel;

    @Autowired
    StagingWriter writer;

    @Autowired
    DeadLetters deadLetters;

    @TempDir
    Path mappings;

    private UUID batchId;

    @BeforeEach
    void tables() {
        jdbc.execute(
                """
                CREATE TABLE strategy_target (device_id text, ts timestamptz NOT NULL, v double precision, note text,
                    batch_id uuid, UNIQUE NULLS NOT DISTINCT (device_id, ts));
                CREATE TABLE strategy_append (device_id text, ts timestamptz NOT NULL, v double precision, note text,
                    batch_id uuid);
                CREATE TABLE staging_strategy (LIKE staging_template INCLUDING ALL);
                INSERT INTO strategy_target VALUES ('d1', '2025-01-01T00:00:00Z', 1.0, 'old', NULL);
                INSERT INTO strategy_append VALUES ('d1', '2025-01-01T00:00:00Z', 1.0, 'old', NULL);
                """);
        batchId = UUID.randomUUID();
        jdbc.update(
                """
                INSERT INTO ingest_batch (id, source_id, dataset, input_id, source_uri, content_type, status, node_id)
                VALUES (?, 'test', 'strategy', 'strategy-test', 'test', 'csv', 'RUNNING', 'it-node')""",
                batchId);
        staged(2, "d1", "2025-01-01T00:00:00Z", 5.0, "first");
        staged(3, "d1", "2025-01-01T00:00:00Z", 7.0, "second");
        staged(4, "d1", "2025-01-01T01:00:00Z", 3.0, "new");
    }

    @AfterEach
    void dropTables() {
        jdbc.execute("DROP TABLE strategy_target, strategy_append, staging_strategy");
        for (String table : List.of("pipeline_execution", "data_quality_check", "dead_letter")) {
            jdbc.update("DELETE FROM " + table + " WHERE batch_id = ?", batchId);
        }
        jdbc.update("DELETE FROM ingest_batch WHERE id = ?", batchId);
    }

    @Test
    void updateLetsTheLastRowOfTheInputWinAndUpdatesOnlyTheListedColumns() throws Exception {
        Exchange exchange = load("update", "strategy_target", "[v]");

        assertThat(rows("strategy_target"))
                .containsExactly(
                        "d1|2025-01-01T00:00:00Z|7.0|old|" + batchId, "d1|2025-01-01T01:00:00Z|3.0|new|" + batchId);
        assertThat(exchange.getProperty(ExchangeProperties.ROWS_LOADED, Long.class))
                .isEqualTo(2L);
        assertThat(jdbc.queryForObject("SELECT status FROM ingest_batch WHERE id = ?", String.class, batchId))
                .isEqualTo("LOADED");
    }

    @Test
    void updateOfAnInputWithoutRepeatedKeysLoadsEveryRow() throws Exception {
        jdbc.update("DELETE FROM staging_strategy WHERE row_number = 2");
        Exchange exchange = prepare("update", "strategy_target", "[v, note]");
        exchange.setProperty(ExchangeProperties.STAGE_RESULT, new StageResult(2, 2, 0, List.of(), Map.of(), Map.of()));

        loader.load(exchange);

        assertThat(rows("strategy_target"))
                .containsExactly(
                        "d1|2025-01-01T00:00:00Z|7.0|second|" + batchId, "d1|2025-01-01T01:00:00Z|3.0|new|" + batchId);
        assertThat(exchange.getProperty(ExchangeProperties.ROWS_LOADED, Long.class))
                .isEqualTo(2L);
    }

    @Test
    void updateWithoutUpdateColumnsUpdatesEveryColumnButTheKey() throws Exception {
        load("update", "strategy_target", "[]");

        assertThat(rows("strategy_target"))
                .containsExactly(
                        "d1|2025-01-01T00:00:00Z|7.0|second|" + batchId, "d1|2025-01-01T01:00:00Z|3.0|new|" + batchId);
    }

    @Test
    void ignoreKeepsExistingRows() throws Exception {
        Exchange exchange = load("ignore", "strategy_target", "[]");

        assertThat(rows("strategy_target"))
                .containsExactly("d1|2025-01-01T00:00:00Z|1.0|old|null", "d1|2025-01-01T01:00:00Z|3.0|new|" + batchId);
        assertThat(exchange.getProperty(ExchangeProperties.ROWS_LOADED, Long.class))
                .isEqualTo(1L);
    }

    @Test
    void failRejectsTheInputNamingTheKeyAndLoadsNothing() {
        assertThatThrownBy(() -> load("fail", "strategy_target", "[]"))
                .isInstanceOf(InputRejectedException.class)
                .hasMessageContaining("rows conflict with rows already in strategy_target")
                .hasMessageContaining("(device_id, ts)=(d1, 2025-01-01 00:00:00+00) already exists")
                // the report names where in the input: staged rows 2 and 3 hold the existing key
                .hasMessageEndingWith("(first at row 2 of the input)")
                .satisfies(
                        e -> assertThat(((InputRejectedException) e).details()).containsEntry("row", 2L));

        assertNothingLoadedAndBatchRunning();
        // the staged rows stay for the report, under a batch that never completed
        assertThat(jdbc.queryForObject("SELECT count(*) FROM staging_strategy WHERE valid", Long.class))
                .isEqualTo(3L);
    }

    @Test
    void appendInsertsEveryRow() throws Exception {
        Exchange exchange = load("append", "strategy_append", "[]");

        assertThat(rows("strategy_append"))
                .containsExactly(
                        "d1|2025-01-01T00:00:00Z|1.0|old|null",
                        "d1|2025-01-01T00:00:00Z|5.0|first|" + batchId,
                        "d1|2025-01-01T00:00:00Z|7.0|second|" + batchId,
                        "d1|2025-01-01T01:00:00Z|3.0|new|" + batchId);
        assertThat(exchange.getProperty(ExchangeProperties.ROWS_LOADED, Long.class))
                .isEqualTo(3L);
    }

    @Test
    void appendSkipsRowsThatConflictWithExistingOnesAsTheOriginalDid() throws Exception {
        // the original's append: INSERT ... ON CONFLICT DO NOTHING; the input is loaded, not rejected
        Exchange exchange = load("append", "strategy_target", "[]");

        assertThat(rows("strategy_target"))
                .containsExactly("d1|2025-01-01T00:00:00Z|1.0|old|null", "d1|2025-01-01T01:00:00Z|3.0|new|" + batchId);
        assertThat(exchange.getProperty(ExchangeProperties.ROWS_LOADED, Long.class))
                .isEqualTo(1L);
        assertThat(jdbc.queryForObject("SELECT status FROM ingest_batch WHERE id = ?", String.class, batchId))
                .isEqualTo("LOADED");
    }

    @Test
    void aLoadRunningBesideStagingLetsTheLastRowWinAcrossChunks() throws Exception {
        // rows 2 and 3 share a key and arrive in two chunks: the second chunk updates what the first inserted
        Exchange exchange = prepare("update", "strategy_target", "[v, note]");
        ConcurrentLoad load = beginLoad(exchange);
        exchange.setProperty(ExchangeProperties.PENDING_LOAD, load);
        load.rowsStaged(2);
        load.rowsStaged(4);

        loader.load(exchange);

        assertThat(rows("strategy_target"))
                .containsExactly(
                        "d1|2025-01-01T00:00:00Z|7.0|second|" + batchId, "d1|2025-01-01T01:00:00Z|3.0|new|" + batchId);
        assertThat(jdbc.queryForObject("SELECT status FROM ingest_batch WHERE id = ?", String.class, batchId))
                .isEqualTo("LOADED");
    }

    @Test
    void anAbortedLoadLeavesNothingOfItsChunks() throws Exception {
        Exchange exchange = prepare("update", "strategy_target", "[v, note]");
        ConcurrentLoad load = beginLoad(exchange);
        load.rowsStaged(2);
        load.rowsStaged(4);

        load.abort(); // what the quality gate's rejection does

        assertNothingLoadedAndBatchRunning();
    }

    @Test
    void aConflictInALaterChunkUnderFailRejectsTheWholeInput() throws Exception {
        Exchange exchange = prepare("fail", "strategy_target", "[]");
        ConcurrentLoad load = beginLoad(exchange);
        exchange.setProperty(ExchangeProperties.PENDING_LOAD, load);
        jdbc.update("DELETE FROM strategy_target");
        jdbc.update("INSERT INTO strategy_target VALUES ('d1', '2025-01-01T01:00:00Z', 9.0, 'existing', NULL)");
        load.rowsStaged(2); // row 2 is new and inserted...
        load.rowsStaged(4); // ...then row 3 repeats its key

        assertThatThrownBy(() -> loader.load(exchange))
                .isInstanceOf(InputRejectedException.class)
                .hasMessageContaining("(device_id, ts)=(d1, 2025-01-01 00:00:00+00) already exists")
                // row 3 repeats row 2's key (the conflict PostgreSQL names); row 4 is in the table already
                .hasMessageEndingWith("(first at row 3 of the input)")
                .satisfies(
                        e -> assertThat(((InputRejectedException) e).details()).containsEntry("row", 3L));
        // the first chunk's insert went with the rest
        assertThat(rows("strategy_target")).containsExactly("d1|2025-01-01T01:00:00Z|9.0|existing|null");
    }

    @Test
    void anInputOfOneChunkIsStagedAndLoadedInOneTransaction() throws Exception {
        Exchange exchange = prepare("update", "strategy_target", "[v, note]");
        readyToLoadInOneTransaction(
                exchange, row(2, "2025-01-01T00:00:00Z", 5.0, "first"), row(3, "2025-01-01T01:00:00Z", 3.0, "new"));
        // nothing of it is committed before the load: another connection sees no staged row yet
        assertThat(stagedRows()).isZero();

        loader.load(exchange);

        assertThat(rows("strategy_target"))
                .containsExactly(
                        "d1|2025-01-01T00:00:00Z|5.0|first|" + batchId, "d1|2025-01-01T01:00:00Z|3.0|new|" + batchId);
        assertThat(jdbc.queryForObject("SELECT status FROM ingest_batch WHERE id = ?", String.class, batchId))
                .isEqualTo("LOADED");
        assertThat(stagedRows()).isEqualTo(2);
    }

    @Test
    void anInputOfOneChunkThatRepeatsAKeyLetsItsLastRowWinInTheStagingTransaction() throws Exception {
        // the first insert fails inside the round trip that also sets the load's savepoint and SET LOCAL; the
        // insert is run again with DISTINCT ON behind its own savepoint, in the same transaction
        Exchange exchange = prepare("update", "strategy_target", "[v, note]");
        readyToLoadInOneTransaction(
                exchange, row(2, "2025-01-01T01:00:00Z", 3.0, "first"), row(3, "2025-01-01T01:00:00Z", 4.0, "last"));

        loader.load(exchange);

        assertThat(rows("strategy_target"))
                .containsExactly("d1|2025-01-01T00:00:00Z|1.0|old|null", "d1|2025-01-01T01:00:00Z|4.0|last|" + batchId);
        assertThat(jdbc.queryForObject("SELECT status FROM ingest_batch WHERE id = ?", String.class, batchId))
                .isEqualTo("LOADED");
        assertThat(stagedRows()).isEqualTo(2);
    }

    @Test
    void aConflictUnderFailInTheStagingTransactionRejectsTheInputAndKeepsItsStagedRows() throws Exception {
        Exchange exchange = prepare("fail", "strategy_target", "[]");
        readyToLoadInOneTransaction(
                exchange, row(2, "2025-01-01T01:00:00Z", 3.0, "new"), row(3, "2025-01-01T00:00:00Z", 5.0, "exists"));

        assertThatThrownBy(() -> loader.load(exchange))
                .isInstanceOf(InputRejectedException.class)
                .hasMessageContaining("(device_id, ts)=(d1, 2025-01-01 00:00:00+00) already exists")
                // row 3 holds the key already in the table
                .hasMessageEndingWith("(first at row 3 of the input)")
                .satisfies(
                        e -> assertThat(((InputRejectedException) e).details()).containsEntry("row", 3L));
        // the new row's insert went with the rest; the staged rows stay for the report
        assertThat(stagedRows()).isEqualTo(2);
        assertNothingLoadedAndBatchRunning();
    }

    @Test
    void sameContentCompletedFirstElsewhereMakesAnInputOfOneChunkADuplicateAndKeepsItsStagedRows() throws Exception {
        // another replica loaded the same content while this one staged it: the batch's end, sent with the commit,
        // meets the unique (dataset, sha256) key of completed batches
        UUID other = UUID.randomUUID();
        jdbc.update("UPDATE ingest_batch SET sha256 = 'same-content' WHERE id = ?", batchId);
        jdbc.update(
                """
                INSERT INTO ingest_batch (id, source_id, dataset, input_id, source_uri, content_type, status, node_id,
                                          sha256)
                VALUES (?, 'test', 'strategy', 'elsewhere', 'test', 'csv', 'LOADED', 'other-node', 'same-content')""",
                other);
        try {
            Exchange exchange = prepare("update", "strategy_target", "[v, note]");
            exchange.setProperty(
                    ExchangeProperties.ENVELOPE,
                    new Envelope(
                            "test",
                            "strategy-test",
                            "test",
                            Instant.now(),
                            "csv",
                            "strategy",
                            "d1",
                            null,
                            "same-content",
                            Map.of()));
            readyToLoadInOneTransaction(exchange, row(2, "2025-01-01T01:00:00Z", 3.0, "new"));

            loader.load(exchange);

            assertThat(exchange.getProperty(ExchangeProperties.BATCH_STATUS)).isEqualTo(BatchStatus.DUPLICATE);
            assertThat(jdbc.queryForMap("SELECT status, duplicate_of FROM ingest_batch WHERE id = ?", batchId))
                    .containsEntry("status", "DUPLICATE")
                    .containsEntry("duplicate_of", other);
            assertThat(rows("strategy_target")).containsExactly("d1|2025-01-01T00:00:00Z|1.0|old|null");
            assertThat(stagedRows()).isEqualTo(1);
        } finally {
            jdbc.update("UPDATE ingest_batch SET duplicate_of = NULL WHERE id = ?", batchId);
            jdbc.update("DELETE FROM ingest_batch WHERE id = ?", other);
        }
    }

    @Test
    void anAbortedLoadInTheStagingTransactionKeepsTheStagedRowsAndLoadsNothing() throws Exception {
        Exchange exchange = prepare("update", "strategy_target", "[v, note]");
        PendingLoad load = stageInOneTransaction(exchange, row(2, "2025-01-01T01:00:00Z", 3.0, "new"));

        load.abort(); // what the quality gate's rejection and the dead letter do

        assertThat(stagedRows()).isEqualTo(1);
        assertNothingLoadedAndBatchRunning();
    }

    @Test
    void aDeadLetterCommitsTheStagedRowsOfAnInputOfOneChunkBeforeItEndsTheBatch() throws Exception {
        // the quality gate rejected the input: its rows must be readable once its batch is seen REJECTED, not
        // only when the exchange ends (which this test never lets happen)
        Exchange exchange = prepare("update", "strategy_target", "[v, note]");
        exchange.setProperty(
                ExchangeProperties.PENDING_LOAD,
                stageInOneTransaction(exchange, row(2, "2025-01-01T01:00:00Z", 3.0, "new")));
        exchange.setProperty(
                Exchange.EXCEPTION_CAUGHT,
                new InputRejectedException("quality below threshold: 1 of 2 rows valid", Map.of()));

        try {
            deadLetters.record(exchange);

            assertThat(jdbc.queryForObject("SELECT status FROM ingest_batch WHERE id = ?", String.class, batchId))
                    .isEqualTo("REJECTED");
            assertThat(stagedRows()).isEqualTo(1);
            assertThat(exchange.getProperty(ExchangeProperties.PENDING_LOAD)).isNull();
            assertThat(rows("strategy_target")).containsExactly("d1|2025-01-01T00:00:00Z|1.0|old|null");
        } finally {
            PendingLoad.abandon(exchange); // what the exchange's end does; its open transaction would block cleanup
        }
    }

    @Test
    void aLoadFromStagingAloneRefusesWhenValidRowsAreMissing() throws Exception {
        // a load that failed with its connection lost the rows staged in its transaction: a redelivered load,
        // from staging alone, must not end the batch LOADED without them
        Exchange exchange = prepare("update", "strategy_target", "[v, note]");
        exchange.setProperty(ExchangeProperties.STAGE_RESULT, new StageResult(4, 4, 0, List.of(), Map.of(), Map.of()));

        assertThatThrownBy(() -> loader.load(exchange))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("3 of its 4 valid rows are staged");
        assertNothingLoadedAndBatchRunning();
    }

    /** Stages the rows as the stager stages an input of one chunk: left open for the load to take over. */
    /** Stages valid rows as an input of one chunk and leaves its load and stage result where the stager would. */
    private void readyToLoadInOneTransaction(Exchange exchange, StagedRow... rows) throws Exception {
        exchange.setProperty(ExchangeProperties.PENDING_LOAD, stageInOneTransaction(exchange, rows));
        exchange.setProperty(
                ExchangeProperties.STAGE_RESULT,
                new StageResult(rows.length, rows.length, 0, List.of(), Map.of(), Map.of()));
    }

    private PendingLoad stageInOneTransaction(Exchange exchange, StagedRow... rows) throws Exception {
        jdbc.update("DELETE FROM staging_strategy WHERE batch_id = ?", batchId);
        PendingLoad[] taken = new PendingLoad[1];
        writer.write(batchId, "staging_strategy", false, List.of(rows).iterator(), new StagingWriter.Chunks() {
            @Override
            public void committed(long upToRow) {
                throw new AssertionError("an input of one chunk is not committed by the writer");
            }

            @Override
            public boolean takeOver(OpenStaging staging) {
                taken[0] = loader.inStagingTransaction(
                        staging,
                        exchange.getProperty(ExchangeProperties.ENVELOPE, Envelope.class),
                        exchange.getProperty(ExchangeProperties.DATASET, Dataset.class),
                        batchId);
                return true;
            }
        });
        assertThat(taken[0]).as("taken over").isNotNull();
        return taken[0];
    }

    private static StagedRow row(long number, String ts, double v, String note) {
        return new StagedRow(number, new String[0], new Object[] {"d1", Instant.parse(ts), v, note}, List.of());
    }

    /** Only the row that was there before, and the batch not completed (what a rollback or an abort leaves). */
    private void assertNothingLoadedAndBatchRunning() {
        assertThat(rows("strategy_target")).containsExactly("d1|2025-01-01T00:00:00Z|1.0|old|null");
        assertThat(jdbc.queryForObject("SELECT status FROM ingest_batch WHERE id = ?", String.class, batchId))
                .isEqualTo("RUNNING");
    }

    private long stagedRows() {
        return jdbc.queryForObject("SELECT count(*) FROM staging_strategy WHERE batch_id = ?", Long.class, batchId);
    }

    /** A load running beside staging, as the stager starts it. */
    private ConcurrentLoad beginLoad(Exchange exchange) {
        return loader.begin(
                exchange.getProperty(ExchangeProperties.ENVELOPE, Envelope.class),
                exchange.getProperty(ExchangeProperties.DATASET, Dataset.class),
                batchId);
    }

    private Exchange load(String strategy, String table, String updateColumns) throws Exception {
        Exchange exchange = prepare(strategy, table, updateColumns);
        loader.load(exchange);
        return exchange;
    }

    private Exchange prepare(String strategy, String table, String updateColumns) throws Exception {
        Path file = mappings.resolve("strategy.yaml");
        Files.writeString(
                file,
                """
                columns: {Device: device_id, Time: ts, V: v, Note: note}
                coercions: {ts: datetime, v: float}
                conflict_resolution:
                  strategy: %s
                  on_columns: [device_id, ts]
                  update_columns: %s
                target_table: %s
                staging_table: staging_strategy
                """
                        .formatted(strategy, updateColumns, table));
        Dataset dataset = Dataset.of(
                "strategy",
                new MappingLoader().load(file),
                catalog.describe(table).orElseThrow());
        Exchange exchange = new DefaultExchange(camel);
        exchange.setProperty(
                ExchangeProperties.ENVELOPE,
                new Envelope(
                        "test", "strategy-test", "test", Instant.now(), "csv", "strategy", "d1", null, null, Map.of()));
        exchange.setProperty(ExchangeProperties.DATASET, dataset);
        exchange.setProperty(ExchangeProperties.BATCH_ID, batchId);
        exchange.setProperty(ExchangeProperties.STAGE_RESULT, new StageResult(3, 3, 0, List.of(), Map.of(), Map.of()));
        return exchange;
    }

    private void staged(long row, String device, String ts, double v, String note) {
        jdbc.update(
                """
                INSERT INTO staging_strategy (batch_id, row_number, raw, data, valid)
                VALUES (?, ?, '{}', ARRAY[?, ?, ?::float8::text, ?], true)""",
                batchId,
                row,
                device,
                ts,
                v,
                note);
    }

    private List<String> rows(String table) {
        return jdbc.queryForList(
                "SELECT device_id || '|' || to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') || '|' || v::numeric(10,1) || '|' || note || '|' || coalesce(batch_id::text, 'null') FROM "
                        + table + " ORDER BY ts, v",
                String.class);
    }
}
