package io.camelingestor.ops;

import io.camelingestor.dataset.MappingRegistry;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} component "mappings": the mappings in force and, per file, the error that keeps a
 * mapping (or its latest edit) out. It stays UP with errors: a refused edit leaves the previous mapping
 * working, and restarting the service would not fix the file.
 */
@Component("mappings-health")
class MappingsHealth implements HealthIndicator {

    private final MappingRegistry mappings;

    MappingsHealth(MappingRegistry mappings) {
        this.mappings = mappings;
    }

    @Override
    public Health health() {
        return Health.up()
                .withDetail("loaded", mappings.names())
                .withDetail("errors", mappings.errors())
                .build();
    }
}
