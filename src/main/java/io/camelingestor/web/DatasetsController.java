package io.camelingestor.web;

import io.camelingestor.batch.BatchQueries;
import io.camelingestor.core.DataPaths;
import io.camelingestor.core.IngestorProperties;
import io.camelingestor.dataset.MappingRegistry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** The datasets (mappings) and uploading a file into one's inbound folder. */
@RestController
@RequestMapping("/api/datasets")
@Tag(name = "datasets", description = "Mappings and their inbound folders")
class DatasetsController {

    private final MappingRegistry mappings;
    private final IngestorProperties properties;
    private final KnownDatasets datasets;
    private final BatchQueries queries;
    private final InputFollower follower;
    private final DataPaths paths;

    DatasetsController(
            MappingRegistry mappings,
            IngestorProperties properties,
            KnownDatasets datasets,
            BatchQueries queries,
            InputFollower follower) {
        this.mappings = mappings;
        this.properties = properties;
        this.datasets = datasets;
        this.queries = queries;
        this.follower = follower;
        this.paths = new DataPaths(properties.dataDir());
    }

    @GetMapping
    @Operation(summary = "Every mapping: in force or not, its tables and the error that keeps it (or its edit) out")
    List<Map<String, Object>> list() {
        TreeSet<String> names = new TreeSet<>(mappings.names());
        names.addAll(mappings.errors().keySet());
        List<Map<String, Object>> list = new ArrayList<>();
        for (String name : names) {
            Map<String, Object> dataset = new LinkedHashMap<>();
            dataset.put("name", name);
            var loaded = mappings.find(name);
            dataset.put("loaded", loaded.isPresent());
            dataset.put(
                    "targetTable", loaded.map(d -> d.mapping().targetTable()).orElse(null));
            dataset.put(
                    "stagingTable", loaded.map(d -> d.mapping().stagingTable()).orElse(null));
            dataset.put(
                    "granularity", loaded.map(d -> d.mapping().granularity()).orElse(null));
            dataset.put("inbound", paths.shown(properties.inbound(name)));
            dataset.put("error", mappings.errors().get(name));
            list.add(dataset);
        }
        return list;
    }

    /**
     * Stores the upload in the dataset's inbound folder, where the file source takes it like any dropped file:
     * written under a hidden name, then published under its sanitised name (never over a file waiting there).
     */
    @PostMapping(path = "/{dataset}/files", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Operation(summary = "Upload a file (multipart part 'file') into the dataset's inbound folder")
    ResponseEntity<Map<String, Object>> upload(@PathVariable String dataset, @RequestPart("file") MultipartFile file)
            throws IOException {
        datasets.require(dataset);
        String name = UploadNames.sanitise(file.getOriginalFilename());
        Path inbound = properties.inbound(dataset);
        Files.createDirectories(inbound);
        Path target = inbound.resolve(name);
        if (!target.normalize().getParent().equals(inbound.normalize())) {
            throw new IllegalStateException("a sanitised name left the inbound folder: " + name);
        }
        if (Files.exists(target)) {
            throw inTheWay(name, inbound);
        }
        Path hidden = inbound.resolve(".upload-" + UUID.randomUUID() + "-" + name);
        String sha256;
        try (InputStream in = file.getInputStream()) {
            MessageDigest digest = sha256();
            Files.copy(new DigestInputStream(in, digest), hidden);
            sha256 = HexFormat.of().formatHex(digest.digest());
        }
        Timestamp since = new Timestamp(System.currentTimeMillis());
        try {
            FileUploadsHelper.publish(hidden, target);
        } catch (FileAlreadyExistsException e) {
            Files.deleteIfExists(hidden);
            throw inTheWay(name, inbound);
        }
        String inputId = name + ":" + sha256;
        Optional<UUID> batch = follower.await(() -> queries.batchOfInput(inputId, since));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("dataset", dataset);
        body.put("file", name);
        body.put("size", Files.exists(target) ? Files.size(target) : file.getSize());
        body.put("sha256", sha256);
        body.put("inputId", inputId);
        body.put("batchId", batch.orElse(null));
        body.put("follow", batch.map(b -> "/api/batches/" + b).orElse("/api/batches?inputId=" + inputId));
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(body);
    }

    private ApiException inTheWay(String name, Path inbound) {
        return new ApiException(
                HttpStatus.CONFLICT,
                "file in the way",
                "a file named " + name + " is waiting or being ingested in " + paths.shown(inbound)
                        + "; upload it again once it is done, or under another name");
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
