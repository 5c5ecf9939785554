package io.camelingestor.pipeline;

import io.camelingestor.envelope.Envelope;
import io.camelingestor.mapping.Dataset;
import io.camelingestor.read.RawRecord;
import io.camelingestor.read.RecordReaders;
import io.camelingestor.read.RecordStream;
import io.camelingestor.store.BatchStore;
import io.camelingestor.store.StagingWriter;
import io.camelingestor.transform.DecimalMarkDetector;
import io.camelingestor.transform.NumberParser.DecimalMark;
import io.camelingestor.transform.RecordError;
import io.camelingestor.transform.RecordTransformer;
import io.camelingestor.transform.StagedRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Steps 3 to 5 of the pipeline for one input: reads its records (streaming), transforms and validates each,
 * and stages them all, valid or not, in one transaction. The input is opened again on every attempt, so a
 * redelivery after a database failure starts from the first row and replaces what the failed attempt staged.
 */
@Component("stager")
public class Stager {

    private static final int SAMPLE_ERRORS = 100;
    private static final int SAMPLES_PER_CHECK = 20;

    private final RecordReaders readers;
    private final StagingWriter writer;
    private final BatchStore batches;
    private final TransactionTemplate tx;

    public Stager(RecordReaders readers, StagingWriter writer, BatchStore batches, TransactionTemplate tx) {
        this.readers = readers;
        this.writer = writer;
        this.batches = batches;
        this.tx = tx;
    }

    /**
     * Expects the exchange properties {@code envelope}, {@code dataset} and {@code batchId}; leaves
     * {@code stageResult} ({@link StageResult}).
     *
     * @throws InputRejectedException when the input cannot be read as the dataset (no header, required
     *     columns missing, malformed CSV)
     */
    public void stage(Exchange exchange) throws IOException {
        Envelope envelope = exchange.getProperty(Envelope.PROPERTY, Envelope.class);
        Dataset dataset = exchange.getProperty(Dataset.PROPERTY, Dataset.class);
        UUID batchId = exchange.getProperty(BatchStore.BATCH_ID, UUID.class);
        Instant started = Instant.now();
        InputCoercer coercer = coercerFor(envelope, dataset);
        StageResult result = tx.execute(status -> {
            try (RecordStream records = readers.open(envelope, dataset)) {
                RecordTransformer transformer =
                        new RecordTransformer(dataset, records.header(), envelope.deviceId(), coercer.coercer());
                Tally tally = new Tally();
                writer.write(
                        batchId,
                        dataset.mapping().stagingTable(),
                        records.header(),
                        dataset.loadColumns(),
                        tally.rows(records, transformer));
                Map<String, Object> detected = new LinkedHashMap<>(records.detected());
                detected.put("decimalMark", coercer.describe());
                return tally.result(detected);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (SQLException e) {
                throw new UncategorizedSQLException("staging " + envelope.inputId(), null, e);
            }
        });
        batches.recordStage(batchId, "stage", started, "success", result.rowsTotal(), result.rowsValid(), null);
        exchange.setProperty(StageResult.PROPERTY, result);
    }

    /** The coercer for this input, and how it reads ambiguous numbers (kept in the batch's metadata). */
    private record InputCoercer(io.camelingestor.transform.Coercer coercer, String describe) {}

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

    /** Counts rows and failed rules while the rows stream past, keeping a bounded sample for reports. */
    private static final class Tally {
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

        private StagedRow count(StagedRow row) {
            total++;
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
