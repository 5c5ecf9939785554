package io.camelingestor.config;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Every {@code ingestor.*} property, with its default. The README's configuration table lists the same
 * names; the original Python ingestor's environment variables are mapped onto these in
 * {@code application.properties}.
 *
 * @param dataDir root of inbound/, processed/, rejected/ and (embedded database) pgdata/
 * @param routesDir Camel YAML DSL route files, loaded from disk at start
 * @param mappingsDir one dataset mapping per YAML file
 * @param nodeId names this replica in {@code ingest_batch.node_id}; a restart resolves the batches
 *     this node left RUNNING
 * @param stagingChunkRows rows buffered before a COPY chunk is sent to the database
 * @param progressInterval how often a long input logs its progress
 */
@ConfigurationProperties("ingestor")
public record IngestorProperties(
        @DefaultValue("./data") Path dataDir,
        @DefaultValue("./routes") Path routesDir,
        @DefaultValue("./mappings") Path mappingsDir,
        String nodeId,
        @DefaultValue("5000") int stagingChunkRows,
        @DefaultValue("10s") Duration progressInterval) {

    public IngestorProperties {
        dataDir = dataDir.toAbsolutePath().normalize();
        routesDir = routesDir.toAbsolutePath().normalize();
        mappingsDir = mappingsDir.toAbsolutePath().normalize();
        if (nodeId == null || nodeId.isBlank()) {
            nodeId = defaultNodeId();
        }
        if (stagingChunkRows < 1) {
            throw new IllegalArgumentException("ingestor.staging-chunk-rows must be at least 1");
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
