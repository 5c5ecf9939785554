package io.camelingestor.ops;

import io.camelingestor.batch.BatchFinished;
import io.camelingestor.batch.BatchQueries;
import io.camelingestor.core.IngestorProperties;
import io.camelingestor.dataset.MappingRegistry;
import io.camelingestor.ingest.read.DatasetDetector;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PostConstruct;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The ingestor's own metrics, beside Camel's route metrics: {@code ingestor_records_total{dataset,outcome}},
 * {@code ingestor_batches_total{dataset,status}}, {@code ingestor_batch_duration_seconds} (histogram),
 * {@code ingestor_files_waiting{folder}} and {@code ingestor_dead_letters_open}.
 */
@Component
class BatchMetrics {

    private final MeterRegistry registry;
    private final IngestorProperties properties;
    private final MappingRegistry mappings;
    private final BatchQueries queries;

    BatchMetrics(
            MeterRegistry registry, IngestorProperties properties, MappingRegistry mappings, BatchQueries queries) {
        this.registry = registry;
        this.properties = properties;
        this.mappings = mappings;
        this.queries = queries;
    }

    @PostConstruct
    void registerGauges() {
        List<String> folders = new ArrayList<>(mappings.names());
        folders.add(DatasetDetector.AUTO);
        for (String folder : folders) {
            Path path = properties.inbound(folder);
            Gauge.builder("ingestor.files.waiting", path, BatchMetrics::filesWaiting)
                    .description("Files waiting in an inbound folder")
                    .tag("folder", folder)
                    .strongReference(true)
                    .register(registry);
        }
        Gauge.builder("ingestor.dead_letters.open", queries, q -> q.openDeadLetters())
                .strongReference(true)
                .description("Dead letters not replayed yet")
                .register(registry);
    }

    @EventListener
    void on(BatchFinished batch) {
        String dataset = batch.dataset();
        records(dataset, "valid").increment(batch.rowsValid());
        records(dataset, "invalid").increment(batch.rowsInvalid());
        records(dataset, "loaded").increment(batch.rowsLoaded());
        Counter.builder("ingestor.batches")
                .description("Batches ended, by dataset and status")
                .tags("dataset", dataset, "status", batch.status().name())
                .register(registry)
                .increment();
        Timer.builder("ingestor.batch.duration")
                .description("Time from a batch's start to its end")
                .tags("dataset", dataset, "status", batch.status().name())
                .publishPercentileHistogram()
                .register(registry)
                .record(batch.duration());
    }

    private Counter records(String dataset, String outcome) {
        return Counter.builder("ingestor.records")
                .description("Records read, by dataset and outcome (valid, invalid, loaded)")
                .tags("dataset", dataset, "outcome", outcome)
                .register(registry);
    }

    private static double filesWaiting(Path folder) {
        try {
            return InboundFiles.in(folder).count();
        } catch (IOException e) {
            return Double.NaN;
        }
    }
}
