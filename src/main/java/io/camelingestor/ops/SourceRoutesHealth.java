package io.camelingestor.ops;

import io.camelingestor.batch.BatchQueries;
import io.camelingestor.core.DataPaths;
import io.camelingestor.core.IngestorProperties;
import io.camelingestor.source.SourceRoutes;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.NamedContributor;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health/source-routes} (component {@code sourceRoutes}): one component per source route, with its
 * Camel state, last run, last success, last error and the inputs that failed in a row since the last success.
 * A stopped or suspended source stays UP: an operator stops a source on purpose; its state says so.
 */
@Component("sourceRoutes")
class SourceRoutesHealth implements CompositeHealthContributor {

    private final CamelContext camel;
    private final BatchQueries queries;

    private final DataPaths paths;

    SourceRoutesHealth(CamelContext camel, BatchQueries queries, IngestorProperties properties) {
        this.camel = camel;
        this.queries = queries;
        this.paths = new DataPaths(properties.dataDir());
    }

    private Map<String, HealthContributor> sources() {
        Map<String, HealthContributor> sources = new LinkedHashMap<>();
        camel.getRoutes().stream()
                .filter(SourceRoutes::isSource)
                .map(Route::getId)
                .sorted()
                .forEach(id -> sources.put(id, source(id)));
        return sources;
    }

    private HealthIndicator source(String id) {
        return () -> {
            ServiceStatus status = camel.getRouteController().getRouteStatus(id);
            return Health.up()
                    .withDetail("state", status == null ? "Unknown" : status.name())
                    .withDetails(paths.shownIn(queries.sourceActivity(id)))
                    .build();
        };
    }

    @Override
    public HealthContributor getContributor(String name) {
        return sources().get(name);
    }

    @Override
    public Iterator<NamedContributor<HealthContributor>> iterator() {
        return sources().entrySet().stream()
                .map(e -> NamedContributor.of(e.getKey(), e.getValue()))
                .iterator();
    }
}
