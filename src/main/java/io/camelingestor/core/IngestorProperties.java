package io.camelingestor.core;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
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
 */
@ConfigurationProperties("ingestor")
public record IngestorProperties(
        @DefaultValue("./data") Path dataDir,
        @DefaultValue("./routes") Path routesDir,
        @DefaultValue("./mappings") Path mappingsDir,
        @DefaultValue("./sql") Path sqlDir,
        String nodeId) {

    public IngestorProperties {
        dataDir = dataDir.toAbsolutePath().normalize();
        routesDir = routesDir.toAbsolutePath().normalize();
        mappingsDir = mappingsDir.toAbsolutePath().normalize();
        sqlDir = sqlDir.toAbsolutePath().normalize();
        if (nodeId == null || nodeId.isBlank()) {
            nodeId = defaultNodeId();
        }
    }

    public Path inbound(String dataset) {
        return dataDir.resolve("inbound").resolve(dataset);
    }

    public Path rejected(String dataset) {
        return dataDir.resolve("rejected").resolve(dataset);
    }

    public Path processed(String dataset) {
        return dataDir.resolve("processed").resolve(dataset);
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
