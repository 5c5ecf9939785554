package io.camelingestor.ops;

import io.camelingestor.core.IngestorProperties;
import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Watches every folder under {@code routes/} while running ({@code ingestor.routes.reload}, on by default):
 * {@link RouteFilesReload} instead of Camel's own watcher, which {@code camel.main.routes-reload-enabled=false}
 * keeps off.
 */
@Component
@ConditionalOnProperty(name = "ingestor.routes.reload", havingValue = "true", matchIfMissing = true)
class RouteFilesReloadConfiguration implements CamelContextConfiguration {

    private final IngestorProperties properties;

    RouteFilesReloadConfiguration(IngestorProperties properties) {
        this.properties = properties;
    }

    @Override
    public void beforeApplicationStart(CamelContext context) {
        try {
            context.addService(new RouteFilesReload(properties.routesDir().toString(), "*.yaml"));
        } catch (Exception e) {
            throw new IllegalStateException("cannot watch the route files in " + properties.routesDir(), e);
        }
    }

    @Override
    public void afterApplicationStart(CamelContext context) {}
}
