package io.camelingestor.core;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Every {@code ingestor.*} property, with its default; the README's configuration table lists the same
 * names.
 *
 * @param dataDir root of inbound/, processed/, rejected/ and (embedded database) pgdata/
 * @param routesDir Camel YAML DSL route files, loaded from disk at start
 * @param mappingsDir one dataset mapping per YAML file
 * @param sqlDir Flyway migrations on disk (dataset tables added without rebuilding), applied after the built-in
 *     ones
 * @param nodeId names this replica in {@code ingest_batch.node_id}; a restart resolves the batches
 *     this node left RUNNING
 * @param watchDir the folder whose files find their dataset by their header (CEI-InOE's {@code WATCH_DIR});
 *     default {@code <data-dir>/inbound/auto}
 * @param processedDir where ingested files go, per dataset and day; default {@code <data-dir>/processed}
 * @param rejectedDir where rejected files go, per dataset; default {@code <data-dir>/rejected}
 */
@ConfigurationProperties("ingestor")
public record IngestorProperties(
        @DefaultValue("./data") Path dataDir,
        @DefaultValue("./routes") Path routesDir,
        @DefaultValue("./mappings") Path mappingsDir,
        @DefaultValue("./sql") Path sqlDir,
        String nodeId,
        Path watchDir,
        Path processedDir,
        Path rejectedDir) {

    @ConstructorBinding
    public IngestorProperties {
        dataDir = dataDir.toAbsolutePath().normalize();
        routesDir = routesDir.toAbsolutePath().normalize();
        mappingsDir = mappingsDir.toAbsolutePath().normalize();
        sqlDir = sqlDir.toAbsolutePath().normalize();
        watchDir = (watchDir == null ? dataDir.resolve("inbound").resolve("auto") : watchDir)
                .toAbsolutePath()
                .normalize();
        processedDir = (processedDir == null ? dataDir.resolve("processed") : processedDir)
                .toAbsolutePath()
                .normalize();
        rejectedDir = (rejectedDir == null ? dataDir.resolve("rejected") : rejectedDir)
                .toAbsolutePath()
                .normalize();
        if (nodeId == null || nodeId.isBlank()) {
            nodeId = defaultNodeId();
        }
    }

    /** The folders under the data folder, as when only the main folders are set. */
    public IngestorProperties(Path dataDir, Path routesDir, Path mappingsDir, Path sqlDir, String nodeId) {
        this(dataDir, routesDir, mappingsDir, sqlDir, nodeId, null, null, null);
    }

    /** The inbound folder of a dataset; that of {@code auto} is {@link #watchDir}. */
    public Path inbound(String dataset) {
        return "auto".equals(dataset) ? watchDir : dataDir.resolve("inbound").resolve(dataset);
    }

    public Path rejected(String dataset) {
        return rejectedDir.resolve(dataset);
    }

    public Path processed(String dataset) {
        return processedDir.resolve(dataset);
    }

    private static String defaultNodeId() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                host = "localhost";
            }
        }
        return host;
    }
}
