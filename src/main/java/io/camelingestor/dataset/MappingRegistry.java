package io.camelingestor.dataset;

import io.camelingestor.core.Envelope;
import io.camelingestor.core.ExchangeProperties;
import io.camelingestor.core.IngestorProperties;
import io.camelingestor.core.InputRejectedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The mappings in {@code ingestor.mappings-dir}, checked against the database. A file edited on disk is read
 * again on the next input; an edit that does not check out is refused (logged, kept in {@link #errors()})
 * and the previous mapping stays in force.
 */
@Component("mappings")
public class MappingRegistry {

    private static final Logger log = LoggerFactory.getLogger(MappingRegistry.class);

    private final Path dir;
    private final TableCatalog catalog;
    private final MappingLoader loader = new MappingLoader();
    private final Map<String, Loaded> datasets = new ConcurrentHashMap<>();
    private final Map<String, String> errors = new ConcurrentHashMap<>();
    private final Map<String, FileTime> seen = new ConcurrentHashMap<>();

    private record Loaded(Dataset dataset) {}

    public MappingRegistry(IngestorProperties properties, TableCatalog catalog) throws IOException {
        this.dir = properties.mappingsDir();
        this.catalog = catalog;
        if (!Files.isDirectory(dir)) {
            log.warn("Mappings folder {} does not exist: no dataset can be ingested", dir);
            return;
        }
        for (Path file : mappingFiles()) {
            refresh(file);
        }
    }

    /**
     * The dataset named by the envelope, re-read first when its file changed on disk.
     *
     * @throws InputRejectedException when there is no such mapping or it has errors
     */
    public Dataset resolve(@ExchangeProperty(ExchangeProperties.ENVELOPE) Envelope envelope) {
        String name = envelope.dataset();
        Path file = fileOf(name);
        if (file != null) {
            refresh(file);
        }
        Loaded loaded = datasets.get(name);
        if (loaded == null && envelope.metadata().get("detection") instanceof String detection) {
            throw new InputRejectedException(detection, Map.of("dataset", name));
        }
        if (loaded == null) {
            String error = errors.get(name);
            throw new InputRejectedException(
                    error != null
                            ? "mapping '" + name + "' cannot be used: " + error
                            : "no mapping '" + name + "' in " + dir + " (loaded: " + names() + ")",
                    Map.of("dataset", name));
        }
        return loaded.dataset();
    }

    public Optional<Dataset> find(String name) {
        return Optional.ofNullable(datasets.get(name)).map(Loaded::dataset);
    }

    public List<String> names() {
        return List.copyOf(new TreeMap<>(datasets).keySet());
    }

    /** Mapping name to the error that keeps its latest edit (or the mapping itself) out of force. */
    public Map<String, String> errors() {
        return Map.copyOf(errors);
    }

    /**
     * Reads every mapping file that changed since it was last read (the {@code mappings-watch} route calls this
     * every few seconds, so that health and the log show a refused edit before any input needs it).
     */
    public void refreshAll() throws IOException {
        if (Files.isDirectory(dir)) {
            for (Path file : mappingFiles()) {
                refresh(file);
            }
        }
    }

    /**
     * Makes the next {@link #refreshAll()} read again the mappings that were refused, even if their files did not
     * change: called when the database's tables changed (a migration from the SQL folder created the table a
     * mapping was waiting for).
     */
    public synchronized void retryRefused() {
        errors.keySet().forEach(seen::remove);
    }

    private synchronized void refresh(Path file) {
        String name = MappingLoader.nameOf(file);
        FileTime modified;
        try {
            modified = Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return; // deleted meanwhile: keep what is in force
        }
        if (modified.equals(seen.get(name))) {
            return;
        }
        seen.put(name, modified);
        try {
            Mapping mapping = loader.load(file);
            Dataset dataset = check(name, mapping);
            boolean replaced = datasets.put(name, new Loaded(dataset)) != null;
            errors.remove(name);
            log.info(
                    "Mapping {} {} from {} (target {}, {} columns)",
                    name,
                    replaced ? "reloaded" : "loaded",
                    file.getFileName(),
                    mapping.targetTable(),
                    mapping.columns().size());
        } catch (MappingException e) {
            errors.put(name, e.getMessage());
            log.error(
                    "Mapping refused: {}{}",
                    e.getMessage(),
                    datasets.containsKey(name) ? " (the previous version stays in force)" : "");
        }
    }

    private Dataset check(String name, Mapping given) throws MappingException {
        Path file = given.file();
        TargetTable target = catalog.describe(given.targetTable())
                .orElseThrow(() -> new MappingException(
                        file,
                        lineOf(file, "target_table"),
                        "target_table",
                        "table '" + given.targetTable() + "' does not exist (add it with a migration)"));
        if (!target.has("batch_id")) {
            throw new MappingException(
                    file,
                    lineOf(file, "target_table"),
                    "target_table",
                    "table '" + target.name()
                            + "' needs a batch_id uuid column: every loaded row names the batch that wrote it");
        }
        Mapping mapping = keyedPerDevice(given, target);
        List<String> missing = new ArrayList<>();
        mapping.columns().values().stream().filter(c -> !target.has(c)).forEach(missing::add);
        mapping.conflict().onColumns().stream()
                .filter(c -> !target.has(c) && !missing.contains(c))
                .forEach(missing::add);
        mapping.conflict().updateColumns().stream()
                .filter(c -> !target.has(c) && !missing.contains(c))
                .forEach(missing::add);
        if (!missing.isEmpty()) {
            throw new MappingException(
                    file,
                    MappingLoader.lineOf(file, "columns", missing.get(0)),
                    "columns",
                    "table '" + target.name() + "' has no column " + String.join(", ", missing) + " (it has "
                            + String.join(", ", target.columns().keySet()) + ")");
        }
        Dataset dataset = Dataset.of(name, mapping, target);
        for (String column : mapping.required()) {
            if (!dataset.loadColumns().contains(column)) {
                throw new MappingException(
                        file,
                        MappingLoader.lineOf(file, "validation_rules", column),
                        "required",
                        "'" + column + "' is not a mapped column");
            }
        }
        var strategy = mapping.conflict().strategy();
        if ((strategy == Mapping.Strategy.UPDATE || strategy == Mapping.Strategy.IGNORE)
                && !catalog.hasUniqueKey(target.name(), mapping.conflict().onColumns())) {
            throw new MappingException(
                    file,
                    lineOf(file, "on_columns"),
                    "on_columns",
                    "table '" + target.name() + "' has no unique key on ("
                            + String.join(", ", mapping.conflict().onColumns()) + ")");
        }
        TargetTable staging = catalog.describe(mapping.stagingTable())
                .orElseThrow(() -> new MappingException(
                        file,
                        lineOf(file, "staging_table"),
                        "staging_table",
                        "table '" + mapping.stagingTable() + "' does not exist (create it LIKE staging_template)"));
        for (String column : List.of("batch_id", "row_number", "raw", "data", "errors", "valid")) {
            if (!staging.has(column)) {
                throw new MappingException(
                        file,
                        lineOf(file, "staging_table"),
                        "staging_table",
                        "table '" + staging.name() + "' lacks column " + column + " (create it LIKE staging_template)");
            }
        }
        for (String column : List.of("raw", "data")) {
            if (!"ARRAY".equals(staging.column(column).orElseThrow().type())) {
                throw new MappingException(
                        file,
                        lineOf(file, "staging_table"),
                        "staging_table",
                        "table '" + staging.name() + "' has column " + column + " of the old jsonb shape"
                                + " (create it LIKE staging_template: " + column + " is text[])");
            }
        }
        for (String column : dataset.loadColumns()) {
            if (target.column(column).map(c -> c.castType() == null).orElse(false)) {
                throw new MappingException(
                        file,
                        MappingLoader.lineOf(file, "columns", column),
                        "columns",
                        "column " + column + " of table '" + target.name()
                                + "' has a type whose name is not a plain identifier; it cannot be loaded");
            }
        }
        return dataset;
    }

    /**
     * The device is always part of a dataset's key: {@code on_columns} that leave it out (the original's
     * {@code [timestamp]}, {@code [production_date]}) are keyed per device, so two devices never overwrite
     * each other's rows.
     */
    private static Mapping keyedPerDevice(Mapping mapping, TargetTable target) {
        Mapping.Conflict conflict = mapping.conflict();
        if (!target.has(Dataset.DEVICE_ID)
                || conflict.onColumns().isEmpty()
                || conflict.onColumns().contains(Dataset.DEVICE_ID)) {
            return mapping;
        }
        List<String> on = new ArrayList<>();
        on.add(Dataset.DEVICE_ID);
        on.addAll(conflict.onColumns());
        log.info("{}: on_columns {} keyed per device as {}", mapping.file().getFileName(), conflict.onColumns(), on);
        return new Mapping(
                mapping.file(),
                mapping.dataset(),
                mapping.granularity(),
                mapping.columns(),
                mapping.coercions(),
                mapping.required(),
                mapping.constraints(),
                new Mapping.Conflict(
                        conflict.strategy(),
                        on,
                        conflict.updateColumns().stream()
                                .filter(c -> !Dataset.DEVICE_ID.equals(c))
                                .toList()),
                mapping.targetTable(),
                mapping.stagingTable(),
                mapping.source(),
                mapping.minValidRatio());
    }

    /** The line of the mapping file that names {@code key} (a top-level key, a column), or null. */
    private static Integer lineOf(Path file, String key) {
        return MappingLoader.lineOf(file, null, key);
    }

    private Path fileOf(String name) {
        for (String ext : List.of(".yaml", ".yml")) {
            Path file = dir.resolve(name + ext);
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        return null;
    }

    private List<Path> mappingFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().matches(".*\\.ya?ml"))
                    .sorted()
                    .toList();
        }
    }
}
