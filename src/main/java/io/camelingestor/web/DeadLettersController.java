package io.camelingestor.web;

import io.camelingestor.batch.ApiCursors;
import io.camelingestor.batch.BatchQueries;
import io.camelingestor.core.DataPaths;
import io.camelingestor.core.IngestorProperties;
import io.camelingestor.ingest.reject.KeptPayloads;
import io.camelingestor.source.file.FileEnvelopes;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.ProducerTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Inputs that could not be loaded, and replaying them once the cause is fixed (a mapping edited, say). */
@RestController
@RequestMapping("/api/dead-letters")
@Tag(name = "dead letters", description = "Inputs that ended REJECTED or FAILED")
class DeadLettersController {

    private static final String FILE_SOURCE_PREFIX = "files.";

    private final BatchQueries queries;
    private final IngestorProperties properties;
    private final KnownDatasets datasets;
    private final InputFollower follower;
    private final KeptPayloads keptPayloads;
    private final ProducerTemplate producer;
    private final DataPaths paths;
    private final ApiCursors cursors;

    DeadLettersController(
            BatchQueries queries,
            ApiCursors cursors,
            IngestorProperties properties,
            KnownDatasets datasets,
            InputFollower follower,
            KeptPayloads keptPayloads,
            ProducerTemplate producer) {
        this.queries = queries;
        this.cursors = cursors;
        this.properties = properties;
        this.datasets = datasets;
        this.follower = follower;
        this.keptPayloads = keptPayloads;
        this.producer = producer;
        this.paths = new DataPaths(properties.dataDir());
    }

    @GetMapping
    @Operation(summary = "Dead letters, newest first")
    Paging list(
            @Parameter(description = "true: not replayed yet; false: replayed; absent: all")
                    @RequestParam(required = false)
                    Boolean open,
            @RequestParam(required = false) String dataset,
            @RequestParam(defaultValue = "50") int limit,
            @RequestParam(defaultValue = "0") long offset) {
        Paging.check(limit, offset);
        if (dataset != null) {
            datasets.require(dataset);
        }
        return Paging.of(queries.deadLetters(open, dataset, limit, offset), offset, limit)
                .shown(paths);
    }

    @GetMapping("/{id}")
    @Operation(summary = "One dead letter")
    Map<String, Object> get(@PathVariable long id) {
        return paths.shownIn(letter(id));
    }

    private Map<String, Object> letter(long id) {
        return queries.deadLetter(id).orElseThrow(() -> ApiException.notFound("dead letter", id));
    }

    /**
     * Puts exactly the original input back where it came from: the rejected file into its inbound folder
     * (under a hidden name first, then renamed, so the file source never sees half a file), or an API window's
     * kept records and envelope into {@code direct:ingest}. The batch that ingests it is linked to this dead
     * letter ({@code replayBatchId}).
     */
    @PostMapping("/{id}/replay")
    @Operation(summary = "Resubmit the original input of a dead letter")
    ResponseEntity<Map<String, Object>> replay(@PathVariable long id) throws IOException {
        Map<String, Object> letter = letter(id);
        if (letter.get("replayedAt") != null) {
            throw new ApiException(
                    HttpStatus.CONFLICT,
                    "already replayed",
                    "dead letter " + id + " was replayed at " + letter.get("replayedAt")
                            + (letter.get("replayBatchId") != null ? " as batch " + letter.get("replayBatchId") : ""));
        }
        String sourceId = (String) letter.get("sourceId");
        String payloadRef = (String) letter.get("payloadRef");
        if (keptPayloads.isKept(payloadRef)) {
            return replayKept(id, letter, payloadRef);
        }
        if (!sourceId.startsWith(FILE_SOURCE_PREFIX) || payloadRef == null) {
            throw new ApiException(
                    HttpStatus.UNPROCESSABLE_ENTITY,
                    "cannot replay",
                    "dead letter " + id + " of source " + sourceId + " kept no payload to resubmit (a request"
                            + " that failed before its records were read: the source's next run fetches it again)");
        }
        Path payload = Path.of(payloadRef).toAbsolutePath().normalize();
        Path rejectedRoot = properties.dataDir().resolve("rejected");
        if (!payload.startsWith(rejectedRoot) || !Files.isRegularFile(payload)) {
            throw new ApiException(
                    HttpStatus.UNPROCESSABLE_ENTITY,
                    "cannot replay",
                    "the rejected file of dead letter " + id + " is no longer in " + paths.shown(rejectedRoot));
        }
        // exactly the bytes that failed: the input id is <name>:<sha256> of the file as it was read
        String inputId = (String) letter.get("inputId");
        int colon = inputId == null ? -1 : inputId.lastIndexOf(':');
        if (colon < 1 || !FileEnvelopes.sha256(payload).equals(inputId.substring(colon + 1))) {
            throw new ApiException(
                    HttpStatus.CONFLICT,
                    "payload changed",
                    "the kept file " + payload.getFileName() + " of dead letter " + id
                            + " no longer holds the bytes that failed (its SHA-256 differs from the input id's):"
                            + " not replayed");
        }
        String folder = sourceId.substring(FILE_SOURCE_PREFIX.length());
        Path inbound = properties.inbound(folder);
        // under its original name (a second file of the same name was kept as <stem>.1.<ext>): mappings take
        // the device id from the name
        String original = inputId.substring(0, colon);
        Path target = inbound.resolve(
                original.contains("/") || original.startsWith(".")
                        ? payload.getFileName().toString()
                        : original);
        if (!queries.markReplayed(id)) {
            throw new ApiException(
                    HttpStatus.CONFLICT, "already replayed", "dead letter " + id + " was replayed meanwhile");
        }
        java.sql.Timestamp since = new java.sql.Timestamp(System.currentTimeMillis());
        try {
            Files.createDirectories(inbound);
            Path hidden = inbound.resolve(".replay-" + id + "-" + payload.getFileName());
            Files.move(payload, hidden, StandardCopyOption.ATOMIC_MOVE);
            try {
                FileUploadsHelper.publish(hidden, target);
            } catch (FileAlreadyExistsException e) {
                Files.move(hidden, payload, StandardCopyOption.ATOMIC_MOVE);
                throw new ApiException(
                        HttpStatus.CONFLICT,
                        "file in the way",
                        "a file named " + target.getFileName() + " is waiting in " + paths.shown(inbound) + " already");
            }
        } catch (IOException | RuntimeException e) {
            queries.unmarkReplayed(id);
            throw e;
        }
        // its report went with it: the dead letter keeps the reason, and the new batch writes its own
        Files.deleteIfExists(payload.resolveSibling(payload.getFileName() + ".error.json"));
        return accepted(id, letter, paths.shown(target));
    }

    /** An API window's kept records and envelope, sent into {@code direct:ingest} again. */
    private ResponseEntity<Map<String, Object>> replayKept(long id, Map<String, Object> letter, String payloadRef) {
        // the window's cursor did not move when it failed, so the source's next runs fetched it again: once one
        // of them loaded past the kept records, replaying these would put older values back over newer ones
        Optional<Instant> loaded = cursors.passed(keptPayloads.envelope(payloadRef));
        if (loaded.isPresent()) {
            throw new ApiException(
                    HttpStatus.CONFLICT,
                    "fetched again",
                    "dead letter " + id + ": its source fetched the window again and loaded up to " + loaded.get()
                            + ", at or after the kept records' newest; replaying them would put older values"
                            + " back. Not replayed");
        }
        if (!queries.markReplayed(id)) {
            throw new ApiException(
                    HttpStatus.CONFLICT, "already replayed", "dead letter " + id + " was replayed meanwhile");
        }
        try {
            keptPayloads.replay(payloadRef, producer);
        } catch (RuntimeException e) {
            queries.unmarkReplayed(id);
            throw e;
        }
        return accepted(id, letter, "direct:ingest");
    }

    private ResponseEntity<Map<String, Object>> accepted(long id, Map<String, Object> letter, String resubmittedTo) {
        Optional<UUID> batch = follower.await(() -> queries.replayBatch(id));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("deadLetterId", id);
        body.put("inputId", letter.get("inputId"));
        body.put("resubmittedTo", resubmittedTo);
        body.put("batchId", batch.orElse(null));
        body.put("follow", batch.map(b -> "/api/batches/" + b).orElse("/api/dead-letters/" + id + " (replayBatchId)"));
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(body);
    }
}
