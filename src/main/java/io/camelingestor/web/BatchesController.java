package io.camelingestor.web;

import io.camelingestor.batch.BatchQueries;
import io.camelingestor.batch.BatchQueries.BatchFilter;
import io.camelingestor.batch.BatchStatus;
import io.camelingestor.core.DataPaths;
import io.camelingestor.core.IngestorProperties;
import io.camelingestor.dataset.MappingRegistry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** What happened to an input: its batch, the stages it went through, its quality checks and invalid rows. */
@RestController
@RequestMapping("/api/batches")
@Tag(name = "batches", description = "One batch per input (file or API window)")
class BatchesController {

    static final List<String> STATUSES = BatchStatus.names();
    private static final int INVALID_ROWS_SAMPLE = 20;

    private final BatchQueries queries;
    private final MappingRegistry mappings;
    private final KnownDatasets datasets;
    private final DataPaths paths;

    BatchesController(
            BatchQueries queries, MappingRegistry mappings, KnownDatasets datasets, IngestorProperties properties) {
        this.queries = queries;
        this.mappings = mappings;
        this.datasets = datasets;
        this.paths = new DataPaths(properties.dataDir());
    }

    @GetMapping
    @Operation(summary = "Batches, newest first")
    Paging list(
            @RequestParam(required = false) String dataset,
            @Parameter(description = "RUNNING, LOADED, PARTIAL, DUPLICATE, REJECTED or FAILED")
                    @RequestParam(required = false)
                    String status,
            @Parameter(description = "the input's id, such as <file name>:<sha256>") @RequestParam(required = false)
                    String inputId,
            @RequestParam(required = false) String sourceId,
            @RequestParam(defaultValue = "50") int limit,
            @RequestParam(defaultValue = "0") long offset) {
        Paging.check(limit, offset);
        if (dataset != null) {
            datasets.require(dataset);
        }
        if (status != null && !STATUSES.contains(status)) {
            throw ApiException.badParameter("status", status, "one of " + String.join(", ", STATUSES));
        }
        return Paging.of(
                        queries.batches(new BatchFilter(dataset, status, inputId, sourceId), limit, offset),
                        offset,
                        limit)
                .shown(paths);
    }

    @GetMapping("/{id}")
    @Operation(summary = "One batch with its stages, quality checks, a sample of invalid rows and its dead letters")
    Map<String, Object> get(@PathVariable UUID id) {
        Map<String, Object> batch =
                new LinkedHashMap<>(queries.batch(id).orElseThrow(() -> ApiException.notFound("batch", id)));
        batch.put("stages", queries.stages(id));
        batch.put("qualityChecks", queries.qualityChecks(id));
        batch.put(
                "invalidRows",
                mappings.find((String) batch.get("dataset"))
                        .map(d -> queries.invalidRows(d.mapping().stagingTable(), id, INVALID_ROWS_SAMPLE))
                        .orElse(List.of()));
        batch.put("deadLetters", queries.deadLettersOf(id));
        return paths.shownIn(batch);
    }
}
