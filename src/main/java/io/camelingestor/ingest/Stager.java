package io.camelingestor.ingest;

import io.camelingestor.batch.BatchStore;
import io.camelingestor.coerce.DecimalMarkDetector;
import io.camelingestor.coerce.NumberParser.DecimalMark;
import io.camelingestor.core.Envelope;
import io.camelingestor.core.ExchangeProperties;
import io.camelingestor.core.InputRejectedException;
import io.camelingestor.core.RawRecord;
import io.camelingestor.core.RecordError;
import io.camelingestor.core.StageResult;
import io.camelingestor.dataset.Dataset;
import io.camelingestor.ingest.load.BatchLoader;
import io.camelingestor.ingest.load.ConcurrentLoad;
import io.camelingestor.ingest.load.PendingLoad;
import io.camelingestor.ingest.read.RecordReaders;
import io.camelingestor.ingest.read.RecordStream;
import io.camelingestor.ingest.stage.OpenStaging;
import io.camelingestor.ingest.stage.StagingWriter;
import io.camelingestor.ingest.transform.RecordTransformer;
import io.camelingestor.ingest.transform.StagedRow;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.stereotype.Component;

/**
 * Steps 3 to 5 of the pipeline for one input: reads its records (streaming), transforms and validates each,
 * and stages them all, valid or not, in chunks; each committed chunk is handed to the batch's load, which
 * inserts it in its own, still open, transaction while the next chunk is read ({@link ConcurrentLoad}). An
 * input of one chunk is not committed here: {@code direct:load} loads it in the same transaction. The
 * input is opened again on every attempt, so a redelivery after a database failure starts from the first row,
 * replaces what the failed attempt staged, and loads in a new transaction.
 */
@Component("stager")
public class Stager {

    private static final Logger log = LoggerFactory.getLogger(Stager.class);

    private static final int SAMPLE_ERRORS = 100;
    private static final int SAMPLES_PER_CHECK = 20;

    private final RecordReaders readers;
    private final StagingWriter writer;
    private final BatchStore batches;
    private final BatchLoader loader;

    private final Duration progressEvery;

    public Stager(
            RecordReaders readers,
            StagingWriter writer,
            BatchStore batches,
            BatchLoader loader,
            @Value("${ingestor.progress-log-period:10s}") Duration progressEvery) {
        this.readers = readers;
        this.writer = writer;
        this.batches = batches;
        this.loader = loader;
        this.progressEvery = progressEvery;
    }

    /**
     * Expects the exchange properties {@code envelope}, {@code dataset} and {@code batchId}; leaves
     * {@code stageResult} ({@link StageResult}).
     *
     * @throws InputRejectedException when the input cannot be read as the dataset (no header, required
     *     columns missing, malformed CSV)
     */
    public void stage(Exchange exchange) throws IOException {
        Envelope envelope = exchange.getProperty(ExchangeProperties.ENVELOPE, Envelope.class);
        Dataset dataset = exchange.getProperty(ExchangeProperties.DATASET, Dataset.class);
        UUID batchId = exchange.getProperty(ExchangeProperties.BATCH_ID, UUID.class);
        Instant started = Instant.now();
        if (dataset.deviceIdFromEnvelope()
                && envelope.deviceId() == null
                && envelope.metadata().containsKey("fileName")) {
            // never a silent NULL device: two devices' files would overwrite each other's rows
            throw new InputRejectedException(
                    "no device for this file: table " + dataset.target().name() + " keeps rows per device, and"
                            + " neither the file name (mapping source.device_id_from_filename) nor the datasource"
                            + " registry (conf/datasources.yaml, a datasource with files: {pattern, dataset}) names"
                            + " one for '" + envelope.metadata().get("fileName") + "' (dataset " + dataset.name() + ")",
                    Map.of("fileName", envelope.metadata().get("fileName"), "dataset", dataset.name()));
        }
        InputCoercer coercer = coercerFor(envelope, dataset);
        PendingLoad.abandon(exchange); // of an attempt that failed before this redelivery
        if (exchange.getProperty(ExchangeProperties.PENDING_LOAD_ABANDON_HOOKED) == null) {
            // whatever ends the exchange before direct:load (the quality gate, a dead letter) abandons the load
            exchange.setProperty(ExchangeProperties.PENDING_LOAD_ABANDON_HOOKED, true);
            exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
                @Override
                public void onDone(Exchange done) {
                    PendingLoad.abandon(done);
                }
            });
        }
        // a redelivery replaces what the failed attempt staged; a new batch has nothing staged to delete
        boolean stagedBefore = exchange.getProperty(ExchangeProperties.STAGED_BEFORE) != null;
        exchange.setProperty(ExchangeProperties.STAGED_BEFORE, true);
        LoadAsStaged loads = new LoadAsStaged(exchange, envelope, dataset, batchId);
        StageResult result;
        try (RecordStream records = readers.open(envelope, dataset)) {
            RecordTransformer transformer =
                    new RecordTransformer(dataset, records.header(), envelope.deviceId(), coercer.coercer());
            Tally tally = new Tally(new Progress(envelope, progressEvery));
            writer.write(
                    batchId, dataset.mapping().stagingTable(), stagedBefore, tally.rows(records, transformer), loads);
            tally.progress.finished(tally.total);
            Map<String, Object> detected = new LinkedHashMap<>(records.detected());
            detected.put("decimalMark", coercer.describe());
            // the names of the staged arrays' elements, kept once per batch rather than once per row
            detected.put("header", records.header());
            detected.put("columns", dataset.loadColumns());
            result = tally.result(detected);
        } catch (IOException | RuntimeException e) {
            PendingLoad.abandon(exchange);
            throw e;
        } catch (SQLException e) {
            PendingLoad.abandon(exchange);
            throw new UncategorizedSQLException("staging " + envelope.inputId(), null, e);
        }
        // its pipeline_execution row is written with the batch's end, in the same statement (issue 15)
        exchange.setProperty(
                ExchangeProperties.STAGE_RUN,
                new BatchStore.StageRun(started, Instant.now(), result.rowsTotal(), result.rowsValid()));
        exchange.setProperty(ExchangeProperties.STAGE_RESULT, result);
    }

    /**
     * Begins the batch's load as its chunks are staged: a {@link ConcurrentLoad} beside the staging once the first
     * chunk is committed and more rows follow, or, for an input of one chunk, a load in the staging's own
     * transaction (one commit and no second thread for a small file).
     */
    private final class LoadAsStaged implements StagingWriter.Chunks {
        private final Exchange exchange;
        private final Envelope envelope;
        private final Dataset dataset;
        private final UUID batchId;
        private ConcurrentLoad concurrent;

        LoadAsStaged(Exchange exchange, Envelope envelope, Dataset dataset, UUID batchId) {
            this.exchange = exchange;
            this.envelope = envelope;
            this.dataset = dataset;
            this.batchId = batchId;
        }

        @Override
        public void committed(long upToRow) {
            if (concurrent == null) {
                concurrent = loader.begin(envelope, dataset, batchId);
                exchange.setProperty(ExchangeProperties.PENDING_LOAD, concurrent);
            }
            concurrent.rowsStaged(upToRow);
        }

        @Override
        public boolean takeOver(OpenStaging staging) {
            exchange.setProperty(
                    ExchangeProperties.PENDING_LOAD, loader.inStagingTransaction(staging, envelope, dataset, batchId));
            return true;
        }
    }

    /** The coercer for this input, and how it reads ambiguous numbers (kept in the batch's metadata). */
    private record InputCoercer(io.camelingestor.coerce.Coercer coercer, String describe) {}

    /**
     * The mapping's coercer; with {@code decimal: auto}, one that reads an ambiguous {@code 1,234} as this
     * input's other numbers write their decimals, found from its first rows in a first, short pass.
     */
    private InputCoercer coercerFor(Envelope envelope, Dataset dataset) throws IOException {
        DecimalMark configured = dataset.mapping().source().decimal();
        if (configured != DecimalMark.AUTO) {
            return new InputCoercer(dataset.coercer(), configured.name().toLowerCase(java.util.Locale.ROOT));
        }
        try (RecordStream records = readers.open(envelope, dataset)) {
            Map<Integer, String> numeric =
                    new RecordTransformer(dataset, records.header(), envelope.deviceId()).numericColumns();
            DecimalMarkDetector.Decision decision = DecimalMarkDetector.decide(records, numeric);
            return new InputCoercer(
                    dataset.coercer().forInput(decision),
                    decision.ambiguousAs() == null
                            ? "both"
                            : decision.ambiguousAs().name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    /** Logs how far a large input has got, at most once per period, from the thread that reads it. */
    private static final class Progress {
        private final Envelope envelope;
        private final long everyNanos;
        private final long started = System.nanoTime();
        private long next;

        Progress(Envelope envelope, Duration every) {
            this.envelope = envelope;
            this.everyNanos = every.toNanos();
            this.next = started + everyNanos;
        }

        /** Called per row: one clock read per 4096 rows keeps it off the profile. */
        void row(long rows) {
            if ((rows & 4095) == 0 && System.nanoTime() >= next) {
                next = System.nanoTime() + everyNanos;
                log.info("{} {}: {} rows read, {} rows/s", envelope.dataset(), envelope.inputId(), rows, rate(rows));
            }
        }

        void finished(long rows) {
            if (System.nanoTime() - started >= everyNanos) {
                log.info(
                        "{} {}: all {} rows read, {} rows/s", envelope.dataset(), envelope.inputId(), rows, rate(rows));
            }
        }

        private long rate(long rows) {
            long nanos = Math.max(1, System.nanoTime() - started);
            return rows * 1_000_000_000L / nanos;
        }
    }

    /** Counts rows and failed rules while the rows stream past, keeping a bounded sample for reports. */
    private static final class Tally {
        private final Progress progress;
        private long total;
        private long valid;
        private long skipped;
        private final List<RecordError> sample = new ArrayList<>();
        private final Map<StageResult.CheckKey, Long> failed = new LinkedHashMap<>();
        private final Map<StageResult.CheckKey, List<RecordError>> samples = new LinkedHashMap<>();

        Iterator<StagedRow> rows(RecordStream records, RecordTransformer transformer) {
            return new Iterator<>() {
                private StagedRow next;

                @Override
                public boolean hasNext() {
                    while (next == null && records.hasNext()) {
                        RawRecord record = records.next();
                        if (transformer.isSummaryRow(record)) {
                            skipped++;
                        } else {
                            next = count(transformer.apply(record));
                        }
                    }
                    return next != null;
                }

                @Override
                public StagedRow next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    StagedRow row = next;
                    next = null;
                    return row;
                }
            };
        }

        Tally(Progress progress) {
            this.progress = progress;
        }

        private StagedRow count(StagedRow row) {
            total++;
            progress.row(total);
            if (row.valid()) {
                valid++;
                return row;
            }
            for (RecordError error : row.errors()) {
                if (sample.size() < SAMPLE_ERRORS) {
                    sample.add(error);
                }
                var key = new StageResult.CheckKey(error.rule(), error.column());
                failed.merge(key, 1L, Long::sum);
                List<RecordError> s = samples.computeIfAbsent(key, k -> new ArrayList<>());
                if (s.size() < SAMPLES_PER_CHECK) {
                    s.add(error);
                }
            }
            return row;
        }

        StageResult result(Map<String, Object> detected) {
            Map<StageResult.CheckKey, StageResult.CheckTally> checks = new LinkedHashMap<>();
            failed.forEach(
                    (key, count) -> checks.put(key, new StageResult.CheckTally(count, List.copyOf(samples.get(key)))));
            return new StageResult(total, valid, skipped, sample, checks, detected);
        }
    }
}
